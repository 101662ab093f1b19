//! The diagram's moving dots: a sample of requests, each kept at its latest step for a moment.

use super::App;
use crate::sim::Stage;
use crate::ui::diagram::Dot;

/// Sampled requests drawn at once, how long (wall time) a finished one stays, and how long
/// (simulated time) one that has not moved stays: its next step may have left the bounded stream.
const DOTS_KEPT: usize = 90;
const DOT_LINGER_MS: f64 = 900.0;
const DOT_STALE_NS: u64 = 5_000_000_000;
/// New dots per wall second the sampling aims at.
const DOTS_PER_S: f64 = 40.0;

fn finished(stage: Stage) -> bool {
    matches!(stage, Stage::Succeeded | Stage::Failed | Stage::Wasted | Stage::TimedOut | Stage::Errored)
}

impl App {
    /// Takes the sampled request steps since the last frame and updates the dots.
    pub(super) fn take_lifecycle(&mut self, wall_ms: f64) {
        let rate = self.playback.sim().windows().last().map_or(0.0, |w| w.offered_rps) * self.playback.speed();
        let every = (rate / DOTS_PER_S).ceil().max(1.0) as u64;
        let sim = self.playback.sim_mut();
        sim.set_lifecycle_sampling(if self.reduced_motion { 0 } else { every });
        let now_ns = sim.now_ns();
        for event in sim.drain_lifecycle() {
            let dot = Dot { request: event.request, stage: event.stage };
            match self.dots.iter_mut().find(|(d, _, _)| d.request == event.request) {
                Some(slot) => *slot = (dot, wall_ms, event.t_ns),
                None => self.dots.push((dot, wall_ms, event.t_ns)),
            }
        }
        self.dots.retain(
            |(d, wall, t_ns)| {
                if finished(d.stage) { wall_ms - wall < DOT_LINGER_MS } else { now_ns - t_ns < DOT_STALE_NS }
            },
        );
        let excess = self.dots.len().saturating_sub(DOTS_KEPT);
        self.dots.drain(..excess);
    }
}
