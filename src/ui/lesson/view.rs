//! The lesson's layout: the bar of steps and buttons, the banners, the step's words, prediction,
//! control and goal, and its charts.

use super::{Key, LessonMsg, LessonPlayer, Side};
use crate::link::{self, LessonLink, Link};
use crate::sim::faults::trigger_label;
use crate::sim::lessons::{self, Checker, Control, Predict};
use crate::sim::scenario::Scenario;
use crate::ui::banner::Banner;
use crate::ui::browser;
use crate::ui::charts::{Charts, marks, nice_ceiling, timeout};
use crate::ui::controls::{ControlPanel, find};
use crate::ui::diagram::live;
use crate::ui::icons::{PLAY, RESET, icon, play_pause};
use std::rc::Rc;
use yew::prelude::*;

/// Simulated seconds shown on the charts, at most and at least.
const VIEW_S: f64 = 120.0;
const MIN_VIEW_S: f64 = 10.0;
const FULL_SCREEN: &str = "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5";
const PROJECTOR: &str = "M12 3a9 9 0 1 0 0 18zM12 3a9 9 0 0 1 0 18";

/// A button's click: `msg`, and the focus let go when the mouse pressed it, so that Space then
/// plays and pauses instead of pressing the button again.
fn press(ctx: &Context<LessonPlayer>, msg: impl Fn() -> LessonMsg + 'static) -> Callback<MouseEvent> {
    ctx.link().callback(move |e: MouseEvent| {
        browser::release_click_focus(&e);
        msg()
    })
}

pub(super) fn render(p: &LessonPlayer, ctx: &Context<LessonPlayer>) -> Html {
    let props = ctx.props();
    let step = p.step();
    let count = p.lesson.steps.len();
    let (label, play_icon) = play_pause(p.playing());
    let now_s = p.runs.first().map_or(0.0, |s| s.playback.sim().now_s());
    let done = p.done();
    let steps = (0..count).map(|i| {
        let current = (i == p.step).then_some("step");
        html! {
            <button type="button" class="step-dot" aria-current={current} aria-label={format!("Step {}", i + 1)}
                onclick={press(ctx, move || LessonMsg::Key(Key::Jump(i)))}>{ i + 1 }</button>
        }
    });
    html! {
        <div class={classes!("lesson", props.projector.then_some("projector"), props.embedded.then_some("embedded"))} data-step={(p.step + 1).to_string()}
            data-done={done.to_string()} data-t={format!("{now_s:.1}")}>
            <header class="lesson-top">
                if props.embedded {
                    <a class="lesson-home" href={browser::page_url(&link::encode(&Link { lesson: Some(props.link), ..Link::default() }))}
                        target="_blank" rel="noopener">{ "Open the lesson" }</a>
                } else {
                    <a class="lesson-home" href="#v=2&lesson=">{ "Lessons" }</a>
                }
                <span class="lesson-title">{ p.lesson.title }</span>
                <nav class="lesson-steps" aria-label="Steps">{ for steps }</nav>
                <span class="clock">{ format!("t = {:.1} s", (now_s * 10.0).floor() / 10.0) }</span>
                <button type="button" id="lesson-play" aria-label={label} onclick={press(ctx, || LessonMsg::Key(Key::TogglePlay))}>
                    { icon(play_icon) }<span>{ label }</span>
                </button>
                <button type="button" id="lesson-restart" aria-label="Restart the step" title="Restart the step (R)"
                    onclick={press(ctx, || LessonMsg::Key(Key::Restart))}>{ icon(RESET) }</button>
                if !props.embedded {
                    <button type="button" id="lesson-full" aria-label="Full screen" title="Full screen (F)"
                        onclick={press(ctx, || LessonMsg::Key(Key::FullScreen))}>{ icon(FULL_SCREEN) }</button>
                    <button type="button" id="lesson-projector" aria-pressed={props.projector.to_string()} title="Projector theme (P)"
                        onclick={press(ctx, || LessonMsg::Key(Key::Projector))}>{ icon(PROJECTOR) }<span>{ "Projector" }</span></button>
                }
            </header>
            <div class="lesson-banners">
                { for p.runs.iter().enumerate().map(|(i, side)| banner(p, i, side)) }
            </div>
            <div class="lesson-body">
                <section class="lesson-text" aria-label="Step">
                    <h2 id="lesson-step" tabindex="-1"><span class="step-count">{ format!("Step {} of {count}", p.step + 1) }</span>{ step.title }</h2>
                    <p class="step-text">{ step.text }</p>
                    { step.predict.map(|q| prediction(p, ctx, q, done)).unwrap_or_default() }
                    { control(p, ctx) }
                    // The goal would give the prediction's answer away: it shows once the learner answers.
                    if p.must_answer() {
                        <p class="goal-hidden">{ "The goal shows once you answer." }</p>
                    } else {
                        { for p.runs.first().map(|s| goal(ctx, &s.checker, side_label(p, 0), next_step(p))) }
                    }
                    if let Some(hint) = p.hint { <p class="lesson-hint" role="status">{ hint }</p> }
                    if let Some(error) = &p.error { <p class="lesson-hint error" role="alert">{ error.clone() }</p> }
                    if !props.embedded {
                        <p class="lesson-keys">{ "→ next · ← back · Space play · R restart · F full screen · P projector" }</p>
                    }
                </section>
                <section class={classes!("lesson-charts", (p.runs.len() > 1).then_some("beside"))}>
                    { for p.runs.iter().enumerate().map(|(i, side)| charts(p, ctx, i, side)) }
                </section>
            </div>
        </div>
    }
}

/// The label of run `i`: the step's own names when it compares two, else none.
fn side_label(p: &LessonPlayer, i: usize) -> Option<&'static str> {
    p.step().beside.map(|b| b.labels[i.min(1)])
}

fn banner(p: &LessonPlayer, i: usize, side: &Side) -> Html {
    let verdict = side.playback.health();
    html! {
        <div class="side-banner">
            if let Some(label) = side_label(p, i) { <span class="side-label">{ label }</span> }
            <Banner state={verdict.state} reason={verdict.reason.to_string()} />
        </div>
    }
}

fn charts(p: &LessonPlayer, ctx: &Context<LessonPlayer>, i: usize, side: &Side) -> Html {
    let sim = side.playback.sim();
    let to_s = sim.now_s().max(MIN_VIEW_S);
    let from_s = (to_s - VIEW_S).max(0.0);
    let in_view =
        |s: &Side| Rc::new(s.playback.sim().windows().filter(|w| w.end_s >= from_s).cloned().collect::<Vec<_>>());
    let peer = p.runs.iter().enumerate().find(|(j, _)| *j != i).map(|(_, other)| in_view(other));
    html! {
        <div class="lesson-side">
            if let Some(label) = side_label(p, i) {
                <h3 class="side-label">{ label }</h3>
                // Like the goal, what each side is to show would give the prediction's answer away.
                if !p.must_answer() {
                    <p class={classes!("side-goal", side.checker.done_at_s().map(|_| "done"))}>
                        { match side.checker.done_at_s() {
                            Some(t) => format!("Shown at t = {t:.0} s: {}", side.checker.check().describe()),
                            None => format!("To show: {}", side.checker.check().describe()),
                        } }
                    </p>
                }
            }
            if p.step().diagram { { live(sim, &side.dots, ctx.props().reduced_motion) } }
            <Charts windows={in_view(side)} {from_s} {to_s} marks={marks(sim)} {peer}
                timeout={timeout(sim)} compact=true
                only={Some(Rc::new(p.step().charts.to_vec()))} tall={p.runs.len() == 1 && !p.step().diagram} />
        </div>
    }
}

fn prediction(p: &LessonPlayer, ctx: &Context<LessonPlayer>, q: Predict, done: bool) -> Html {
    let link = ctx.link();
    let locked = p.answer.is_some();
    let choices = q.choices.iter().enumerate().map(|(i, choice)| {
        let checked = p.picked == Some(i);
        html! {
            <label class={classes!("choice", checked.then_some("picked"))}>
                <input type="radio" name="predict" checked={checked} disabled={locked}
                    onchange={link.callback(move |_| LessonMsg::Pick(i))} />
                <span>{ *choice }</span>
            </label>
        }
    });
    let reveal = match p.answer {
        Some(a) if done && a == q.answer => {
            html! { <p class="reveal right" role="status">{ "You were right: the run shows it." }</p> }
        }
        Some(_) if done => html! {
            <p class="reveal wrong" role="status">{ format!("The run shows: {}", q.choices[q.answer]) }</p>
        },
        Some(_) => html! { <p class="reveal">{ "Answer locked in. Watch the run." }</p> },
        None => html! {
            <button type="button" id="lesson-answer" disabled={p.picked.is_none()} onclick={press(ctx, || LessonMsg::Answer)}>
                { "Lock in and play" }
            </button>
        },
    };
    html! {
        <fieldset class="predict">
            <legend>{ "Predict: " }{ q.question }</legend>
            { for choices }
            { reveal }
        </fieldset>
    }
}

fn control(p: &LessonPlayer, ctx: &Context<LessonPlayer>) -> Html {
    let link = ctx.link();
    let waiting = p.must_answer();
    match p.step().control {
        // The step's one action: start the run (also Space), until it is running or has shown its goal;
        // a prediction to answer first has its own button, which plays.
        Control::Watch if !waiting && !p.playing() && !p.done() => html! {
            <div class="lesson-control">
                <button type="button" id="lesson-watch" class="watch" onclick={press(ctx, || LessonMsg::Key(Key::TogglePlay))}>
                    { icon(PLAY) }<span>{ "Play and watch (Space)" }</span>
                </button>
            </div>
        },
        Control::Watch => Html::default(),
        Control::Set { path, .. } => html! {
            <div class={classes!("lesson-control", waiting.then_some("dimmed"))} inert={waiting}>
                <ControlPanel scenario={p.scenario.clone()} notes={p.notes.clone()} only={Some(Rc::new(vec![path.to_string()]))}
                    slider_max={p.slider_max}
                    on_change={link.callback(|(path, value, released)| LessonMsg::Set(path, value, released))} />
            </div>
        },
        Control::Fire { kind, magnitude, .. } => html! {
            <div class="lesson-control">
                <button type="button" id="lesson-fire" class="fire" disabled={waiting} onclick={press(ctx, || LessonMsg::Fire)}>
                    { format!("Press: {}", trigger_label(kind, magnitude, 1)) }
                </button>
            </div>
        },
    }
}

/// The end of a step's slider: twice the larger of the value now and the goal's, rounded up to 1,
/// 2 or 5 × 10ⁿ, within the field's own range. The goal then sits well inside the track (the
/// load's full range, 0 to 12 000, would leave a goal of 200 in its first 2 %).
pub(super) fn slider_max(scenario: &Scenario, path: &str, goal: &str) -> Option<f64> {
    let field = find(path)?;
    let end = field.control?.max;
    let now = field.get(scenario).number()?;
    let goal: f64 = goal.parse().ok()?;
    Some(nice_ceiling(2.0 * now.max(goal)).min(end))
}

/// Where the learner goes after this step: the next step, or the next lesson (by name and link).
pub(super) enum After {
    Step,
    Lesson(&'static str, String),
    End,
}

pub(super) fn next_step(p: &LessonPlayer) -> After {
    if p.step + 1 < p.lesson.steps.len() {
        return After::Step;
    }
    let all = lessons::all();
    match all.iter().position(|l| l.name == p.lesson.name).and_then(|i| all.get(i + 1)) {
        Some(next) => {
            let link = Link { lesson: Some(LessonLink { name: Some(next.name), step: 0 }), ..Link::default() };
            After::Lesson(next.title, format!("#{}", link::encode(&link)))
        }
        None => After::End,
    }
}

/// The step's goal, for the run labelled `label` when two run side by side.
fn goal(ctx: &Context<LessonPlayer>, checker: &Checker, label: Option<&'static str>, after: After) -> Html {
    let check = checker.check();
    let status = match checker.done_at_s() {
        Some(t) => format!("Reached at t = {t:.0} s."),
        None => format!("{:.0} of {} s so far", checker.held_s().floor(), check.for_s()),
    };
    let then = match (checker.done_at_s(), after) {
        (None, _) => Html::default(),
        // A button too, for a touch screen with no → key.
        (Some(_), After::Step) => html! {
            <p class="goal-next">
                <button type="button" id="lesson-next" onclick={press(ctx, || LessonMsg::Key(Key::Next))}>{ "Next step" }</button>
                { " or press →" }
            </p>
        },
        (Some(_), After::Lesson(title, href)) => html! {
            <p class="goal-next">{ "That is the end of the lesson. Press → for the next: " }<a href={href}>{ title }</a></p>
        },
        (Some(_), After::End) => html! { <p class="goal-next">{ "That is the end of the last lesson." }</p> },
    };
    let whose = label.map(|l| format!(" ({l})")).unwrap_or_default();
    html! {
        <div class={classes!("goal", checker.done_at_s().map(|_| "done"))} id="lesson-goal">
            <p><strong>{ format!("Goal{whose}: ") }</strong>{ check.describe() }</p>
            <progress max={check.for_s().to_string()} value={checker.held_s().to_string()} aria-label="Goal held"></progress>
            <p class="goal-status" role="status">{ status }</p>
            { then }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::slider_max;
    use crate::sim::scenario::Scenario;

    #[test]
    fn a_steps_slider_holds_its_goal_well_inside_the_fields_range() {
        let scenario = Scenario::default(); // 2500 req/s, 10 workers
        assert_eq!(slider_max(&scenario, "clients.load_rps", "200"), Some(5000.0), "twice the load now, rounded up");
        assert_eq!(slider_max(&scenario, "clients.load_rps", "4000"), Some(10_000.0), "twice the goal");
        assert_eq!(slider_max(&scenario, "clients.load_rps", "9000"), Some(12_000.0), "never past the field's end");
        assert_eq!(slider_max(&scenario, "backend.workers", "30"), Some(100.0));
        assert_eq!(slider_max(&scenario, "retry.backoff", "none"), None, "a choice has no slider");
    }
}
