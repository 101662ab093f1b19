//! The list of lessons: each with its minutes, its steps and what the learner can do afterwards.

use crate::link::{self, LessonLink, Link};
use crate::sim::lessons;
use yew::prelude::*;

#[component]
pub fn LessonIndex() -> Html {
    let all = lessons::all();
    let minutes: u32 = all.iter().map(|l| l.minutes).sum();
    let items = all.iter().map(|lesson| {
        let href = format!(
            "#{}",
            link::encode(&Link { lesson: Some(LessonLink { name: Some(lesson.name), step: 0 }), ..Link::default() })
        );
        html! {
            <li>
                <a href={href}><strong>{ lesson.title }</strong></a>
                <span class="lesson-meta">{ format!("{} min · {} steps", lesson.minutes, lesson.steps.len()) }</span>
                <p>{ "Afterwards you can: " }{ lesson.outcome }</p>
            </li>
        }
    });
    html! {
        <div class="lesson-index">
            <header class="lesson-top">
                <a class="lesson-home" href="#">{ "Playground" }</a>
                <h1 class="lesson-title">{ "Lessons" }</h1>
            </header>
            <p>{ format!("{} lessons, about {minutes} minutes in all: an onboarding session on metastable failures. \
                Each step asks you to act or predict, then the run shows what happens. Keys: → next, ← back, Space play, \
                R restart, F full screen, P projector theme, 1–9 a step.", all.len()) }</p>
            <ol>{ for items }</ol>
        </div>
    }
}
