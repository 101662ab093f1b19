//! The counterfactual: a real second run of the engine with the live settings, started fresh
//! (empty backend, warm cache, no triggers). Its verdict is a pure function of the settings, so it
//! is computed once per settings and remembered.

use super::assess;
use crate::sim::engine::Simulation;
use crate::sim::metrics::Window;
use crate::sim::scenario::{Scenario, s_to_ns};

/// How the fresh run did over its second and third thirds.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub healthy: bool,
    pub success_ratio: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// Settings remembered with their verdicts.
const VERDICTS_KEPT: usize = 8;

/// Verdicts by settings, and the fresh run under way, if any.
#[derive(Default)]
pub struct Counterfactual {
    verdicts: Vec<(String, Verdict)>,
    running: Option<(String, Box<Simulation>)>,
}

impl Counterfactual {
    /// The remembered verdict for settings `key`.
    pub fn verdict(&self, key: &str) -> Option<&Verdict> {
        self.verdicts.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Runs the fresh run for `scenario` (whose settings are `key`) for up to `budget` events;
    /// returns the events used. The verdict is available once the run reaches its end.
    pub fn work(&mut self, scenario: &Scenario, key: &str, budget: u64) -> u64 {
        if self.verdict(key).is_some() {
            return 0;
        }
        if self.running.as_ref().is_none_or(|(k, _)| k != key) {
            self.running = Some((key.to_string(), Box::new(Simulation::fresh_and_warm(scenario))));
        }
        let (_, sim) = self.running.as_mut().expect("a fresh run was just started");
        let end_ns = s_to_ns(scenario.health.counterfactual_s);
        let progress = sim.advance_to(end_ns, budget);
        if progress.reached {
            let from_s = scenario.health.counterfactual_s / 3.0;
            let span: Vec<Window> = sim.windows().filter(|w| w.start_s >= from_s).cloned().collect();
            let a = assess(&span, scenario.clients.timeout_s.map(|t| t * 1e3));
            let verdict = Verdict { healthy: a.healthy, success_ratio: a.success_ratio, p99_ms: a.p99_ms };
            if self.verdicts.len() == VERDICTS_KEPT {
                self.verdicts.remove(0);
            }
            self.verdicts.push((key.to_string(), verdict));
            self.running = None;
        }
        progress.events
    }

    /// Bytes held by the fresh run under way.
    pub fn footprint_bytes(&self) -> usize {
        self.running.as_ref().map_or(0, |(_, sim)| sim.footprint_bytes())
    }
}
