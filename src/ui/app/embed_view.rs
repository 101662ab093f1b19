//! The embed layout: a compact column for a blog post with the author's chosen controls, the
//! health banner, the diagram if chosen, the chosen charts (throughput and latency by default)
//! with the whole run under them once it outgrows their window, and a link to the full playground.

use super::{App, Msg};
use crate::link::Embed;
use crate::ui::banner::Banner;
use crate::ui::charts::{Charts, timeout};
use crate::ui::controls::ControlPanel;
use crate::ui::icons::{RESET, icon, play_pause};
use crate::ui::transport::{Command, catching_up};
use std::rc::Rc;
use yew::prelude::*;

impl App {
    pub(super) fn embed_view(&self, ctx: &Context<Self>, embed: &Embed) -> Html {
        let link = ctx.link();
        let sim = self.playback.sim();
        let now_s = sim.now_s();
        let (from_s, to_s, windows) = self.chart_view();
        let verdict = self.playback.health();
        let playing = self.playback.playing() || self.suspended;
        let (label, play_icon) = play_pause(playing);
        let only = Rc::new(embed.controls.clone());
        // Read once a render: the state space, the map and the loops are titled with it.
        let settings_modified = self.settings_modified();
        html! {
            <div class="app embed">
                <header class="embed-top">
                    <button type="button" id="play" onclick={link.callback(|_| Msg::Command(Command::TogglePlay))} aria-label={label}>
                        { icon(play_icon) }<span>{ label }</span>
                    </button>
                    <button type="button" id="reset" onclick={link.callback(|_| Msg::Command(Command::Reset))} aria-label="Reset">
                        { icon(RESET) }
                    </button>
                    <span class="clock">{ format!("t = {:.1} s", (now_s * 10.0).floor() / 10.0) }</span>
                    { catching_up(self.catching_up()) }
                    <a class="open-full" href={self.full_url.clone()} target="_blank" rel="noopener">{ "Open in playground" }</a>
                </header>
                <Banner state={verdict.state} reason={verdict.reason.to_string()} />
                { self.messages(ctx) }
                if !only.is_empty() {
                    <ControlPanel scenario={self.scenario.clone()} notes={self.notes.clone()} only={Some(only)}
                        on_change={link.callback(|(path, value, released)| Msg::Set(path, value, released))} />
                }
                if embed.diagram { { self.diagram() } }
                <Charts windows={windows.clone()} {from_s} {to_s} marks={self.marks()}
                    timeout={timeout(sim)} compact=true
                    only={(!embed.charts.is_empty()).then(|| Rc::new(embed.charts.clone()))}
                    last={self.state_space(&windows, settings_modified)}>
                    { self.overview(from_s, to_s) }
                </Charts>
                { self.studies(ctx, true, settings_modified) }
            </div>
        }
    }
}
