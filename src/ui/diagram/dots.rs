//! The diagram's moving dots: a sample of requests, each kept at its latest step for a moment.

use super::Dot;
use crate::sim::{Simulation, Stage};

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

/// The dots of one run: each sampled request at its latest step, with the wall time (ms) and
/// simulated time (ns) of that step.
#[derive(Default)]
pub struct Dots {
    kept: Vec<(Dot, f64, u64)>,
}

impl Dots {
    /// Takes the sampled request steps of `sim` since the last frame (played at `speed`) and
    /// updates the dots; with reduced motion nothing is sampled.
    pub fn take(&mut self, sim: &mut Simulation, wall_ms: f64, speed: f64, reduced_motion: bool) {
        let rate = sim.windows().last().map_or(0.0, |w| w.offered_rps) * speed;
        let every = (rate / DOTS_PER_S).ceil().max(1.0) as u64;
        sim.set_lifecycle_sampling(if reduced_motion { 0 } else { every });
        let now_ns = sim.now_ns();
        for event in sim.drain_lifecycle() {
            let dot = Dot { request: event.request, stage: event.stage };
            match self.kept.iter_mut().find(|(d, _, _)| d.request == event.request) {
                Some(slot) => *slot = (dot, wall_ms, event.t_ns),
                None => self.kept.push((dot, wall_ms, event.t_ns)),
            }
        }
        self.kept.retain(
            |(d, wall, t_ns)| {
                if finished(d.stage) { wall_ms - wall < DOT_LINGER_MS } else { now_ns - t_ns < DOT_STALE_NS }
            },
        );
        let excess = self.kept.len().saturating_sub(DOTS_KEPT);
        self.kept.drain(..excess);
    }

    pub fn clear(&mut self) {
        self.kept.clear();
    }

    /// The dots to draw.
    pub fn list(&self) -> Vec<Dot> {
        self.kept.iter().map(|(d, _, _)| *d).collect()
    }
}
