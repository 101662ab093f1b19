//! The full playground's layout: header and banner, messages, transport, share bar, controls and
//! triggers beside the diagram and the charts.

use super::{App, MIN_VIEW_S, Msg, VIEW_S};
use crate::link::Link;
use crate::sim::Window;
use crate::ui::banner::Banner;
use crate::ui::charts::{Charts, Mark};
use crate::ui::controls::ControlPanel;
use crate::ui::diagram::{Diagram, Dot};
use crate::ui::embed_dialog::EmbedDialog;
use crate::ui::share::ShareBar;
use crate::ui::transport::Transport;
use crate::ui::triggers::Triggers;
use std::rc::Rc;
use yew::prelude::*;

impl App {
    pub(super) fn marks(&self) -> Rc<Vec<Mark>> {
        let sim = self.playback.sim();
        let triggers = sim.trigger_marks().map(|m| Mark::Span { start_s: m.start_s, end_s: m.end_s, label: m.label() });
        let changes = sim
            .change_marks()
            .map(|c| Mark::Change { t_s: c.t_s, label: format!("{} → {}", c.field.label, c.field.display(&c.to)) });
        Rc::new(triggers.chain(changes).collect())
    }

    pub(super) fn notes(&self) -> Rc<Vec<(&'static str, String)>> {
        let sim = self.playback.sim();
        let scenario = sim.scenario();
        Rc::new(vec![
            (
                "clients.load_rps",
                format!("implied backend utilisation {:.0} %", scenario.implied_utilization() * 100.0),
            ),
            ("cache.target_hit_rate", format!("capacity {} keys", sim.cache_capacity())),
            ("backend.workers", format!("capacity {:.0} req/s", scenario.backend_capacity_rps())),
        ])
    }

    /// The charts' time axis and the windows on it. The axis ends at the clock at every render, so
    /// the charts move smoothly: it stretches over the first two minutes, then slides.
    pub(super) fn chart_view(&self) -> (f64, f64, Rc<Vec<Window>>) {
        let sim = self.playback.sim();
        let to_s = sim.now_s().max(MIN_VIEW_S);
        let from_s = (to_s - VIEW_S).max(0.0);
        (from_s, to_s, Rc::new(sim.windows().filter(|w| w.end_s >= from_s).cloned().collect()))
    }

    pub(super) fn full_view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let sim = self.playback.sim();
        let scenario = sim.scenario();
        let now_s = sim.now_s();
        let (from_s, to_s, windows) = self.chart_view();
        let latest = windows.last();
        let verdict = self.playback.health();
        let dots: Vec<Dot> = self.dots.iter().map(|(d, _, _)| *d).collect();
        html! {
            <div class="app">
                <header class="top">
                    <h1>{ "Metastable Playground" }</h1>
                    <Banner state={verdict.state} reason={verdict.reason.to_string()} />
                    <button type="button" class="theme" onclick={link.callback(|_| Msg::ToggleTheme)} aria-label="Switch light or dark theme">
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z" /></svg>
                    </button>
                </header>
                { self.messages(ctx) }
                <Transport playing={self.playback.playing()} speed={self.playback.speed()}
                    effective_speed={self.playback.effective_speed()} behind={self.behind} seed={scenario.seed}
                    {now_s} at_rest={self.playback.at_rest()} preset={self.preset.clone()} on_command={link.callback(Msg::Command)} />
                <ShareBar on_action={link.callback(Msg::Share)} status={self.share_status.clone()} />
                if self.embed_dialog {
                    <EmbedDialog link={Link { embed: None, ..self.link() }} title={self.title()}
                        on_close={link.callback(|_| Msg::CloseEmbedDialog)} />
                }
                <main class="layout">
                    <aside class="side">
                        <ControlPanel scenario={self.scenario.clone()} notes={self.notes()}
                            on_change={link.callback(|(path, value)| Msg::Set(path, value))} />
                        <Triggers on_fire={link.callback(Msg::Fire)} />
                    </aside>
                    <div class="stage">
                        <Diagram {dots} cache_fill={sim.cache_len() as f64 / sim.cache_capacity().max(1) as f64}
                            cache_capacity={sim.cache_capacity()} queue_len={sim.queue_len()}
                            queue_limit={u64::from(scenario.backend.queue_limit)} busy={sim.in_service()}
                            workers={u64::from(sim.workers_available())} offered_rps={latest.map_or(0.0, |w| w.offered_rps)}
                            reduced_motion={self.reduced_motion} />
                        <Charts windows={windows.clone()} {from_s} {to_s} marks={self.marks()}
                            timeout_ms={scenario.clients.timeout_s.map(|t| t * 1e3)} />
                    </div>
                </main>
            </div>
        }
    }
}
