//! The embed layout: a compact column for a blog post with the author's chosen controls, the
//! health banner, throughput and latency, and a link to the full playground.

use super::{App, Msg};
use crate::link::{self, Embed, Link};
use crate::ui::banner::Banner;
use crate::ui::browser;
use crate::ui::charts::Charts;
use crate::ui::controls::ControlPanel;
use crate::ui::transport::Command;
use std::rc::Rc;
use yew::prelude::*;

impl App {
    pub(super) fn embed_view(&self, ctx: &Context<Self>, embed: &Embed) -> Html {
        let link = ctx.link();
        let sim = self.playback.sim();
        let scenario = sim.scenario();
        let now_s = sim.now_s();
        let to_s = now_s.max(super::MIN_VIEW_S);
        let from_s = (to_s - super::VIEW_S).max(0.0);
        let windows: Rc<Vec<_>> = Rc::new(sim.windows().filter(|w| w.end_s >= from_s).cloned().collect());
        let (state, reason) = sim.health();
        let full = browser::page_url(&link::encode(&Link { embed: None, ..self.link() }));
        let playing = self.playback.playing() || self.suspended;
        let (label, icon) = if playing { ("Pause", "M7 5h4v14H7zM13 5h4v14h-4z") } else { ("Play", "M7 4l13 8-13 8z") };
        let only = Rc::new(embed.controls.clone());
        html! {
            <div class="app embed">
                <header class="embed-top">
                    <button type="button" id="play" onclick={link.callback(|_| Msg::Command(Command::TogglePlay))} aria-label={label}>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d={icon} /></svg><span>{ label }</span>
                    </button>
                    <button type="button" id="reset" onclick={link.callback(|_| Msg::Command(Command::Reset))} aria-label="Reset">
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 12a8 8 0 1 0 2.3-5.7M4 4v5h5" /></svg>
                    </button>
                    <span class="clock">{ format!("t = {:.1} s", (now_s * 10.0).floor() / 10.0) }</span>
                    <a class="open-full" href={full} target="_blank" rel="noopener">{ "Open in playground" }</a>
                </header>
                <Banner {state} reason={reason.to_string()} judging={sim.judging_health()} />
                { self.messages(ctx) }
                if !only.is_empty() {
                    <ControlPanel scenario={self.scenario_json.clone()} notes={self.notes()} only={Some(only)}
                        on_change={link.callback(|(path, value)| Msg::Set(path, value))} />
                }
                <Charts windows={windows} {from_s} {to_s} marks={self.marks()}
                    timeout_ms={scenario.clients.timeout_s.map(|t| t * 1e3)} compact=true />
            </div>
        }
    }
}
