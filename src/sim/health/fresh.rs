//! The fresh run: the settings in force started fresh and warm (empty backend, warm cache, no
//! triggers, no timeline), run until settled and judged over its second half. Its verdict is a
//! pure function of the settings, so it is computed once per settings and remembered.

use super::demand::fresh_run_s;
use super::span::{Span, summarise};
use crate::sim::engine::Simulation;
use crate::sim::metrics::Window;
use crate::sim::scenario::{Scenario, s_to_ns};
use std::collections::HashMap;

/// How a fresh run did over its second half.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FreshVerdict {
    pub span: Span,
    pub run_s: f64,
}

/// Settings remembered with their verdicts.
const VERDICTS_KEPT: usize = 8;

/// Verdicts by settings, and the fresh run under way, if any.
#[derive(Default)]
pub struct FreshRuns {
    verdicts: Vec<(String, FreshVerdict)>,
    running: Option<(String, Box<Simulation>, f64)>,
    memo: Option<Memo>,
}

/// Most verdicts a memo keeps; past that it starts again.
const MEMO_KEPT: usize = 4096;

/// Fresh-run verdicts handed from one run to the next, as a sweep's runs of the same settings (and
/// seed) need the same fresh run: its verdict is a pure function of them, so sharing it changes no
/// result.
#[derive(Default)]
pub struct Memo {
    verdicts: HashMap<String, FreshVerdict>,
}

impl Memo {
    pub fn len(&self) -> usize {
        self.verdicts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.verdicts.is_empty()
    }
}

/// The settings that decide a fresh run, as text.
pub fn settings_key(scenario: &Scenario) -> String {
    serde_json::to_string(&scenario.without_timeline()).unwrap_or_default()
}

impl FreshRuns {
    /// The remembered verdict for settings `key`.
    pub fn verdict(&self, key: &str) -> Option<&FreshVerdict> {
        let kept = self.verdicts.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        kept.or_else(|| self.memo.as_ref()?.verdicts.get(key))
    }

    /// Remembers verdicts in `memo` too, and answers from it.
    pub fn with_memo(memo: Memo) -> FreshRuns {
        FreshRuns { memo: Some(memo), ..FreshRuns::default() }
    }

    /// The memo, with the verdicts learnt since it was given.
    pub fn take_memo(&mut self) -> Memo {
        self.memo.take().unwrap_or_default()
    }

    /// Runs the fresh run of `scenario` (whose settings are `key`, warm hit rate `warm_hit_rate`
    /// and first-attempt utilisation `rho`) for up to `budget` events; returns the events used. The verdict is there once the run
    /// reaches its end.
    pub fn work(&mut self, scenario: &Scenario, key: &str, warm_hit_rate: f64, rho: Option<f64>, budget: u64) -> u64 {
        if self.verdict(key).is_some() {
            return 0;
        }
        if self.running.as_ref().is_none_or(|(k, _, _)| k != key) {
            // At least four windows, all held, so its second half is never empty.
            let window_s = scenario.metrics.window_s;
            let run_s = fresh_run_s(scenario, warm_hit_rate, rho)
                .unwrap_or(scenario.health.counterfactual_s)
                .max(4.0 * window_s);
            let mut settings = scenario.clone();
            let needed = libm::ceil(run_s / window_s) as u32 + 2;
            settings.metrics.history_windows = settings.metrics.history_windows.max(needed);
            self.running = Some((key.to_string(), Box::new(Simulation::fresh(&settings)), run_s));
        }
        let (_, sim, run_s) = self.running.as_mut().expect("a fresh run was just started");
        let run_s = *run_s;
        let progress = sim.advance_to(s_to_ns(run_s), budget);
        if progress.reached {
            let second_half: Vec<&Window> = sim.windows().filter(|w| w.start_s >= run_s / 2.0 - 1e-9).collect();
            let verdict = FreshVerdict { span: summarise(&second_half), run_s };
            if self.verdicts.len() == VERDICTS_KEPT {
                self.verdicts.remove(0);
            }
            self.verdicts.push((key.to_string(), verdict));
            if let Some(memo) = &mut self.memo {
                if memo.verdicts.len() >= MEMO_KEPT {
                    memo.verdicts.clear();
                }
                memo.verdicts.insert(key.to_string(), verdict);
            }
            self.running = None;
        }
        progress.events
    }

    /// Bytes held by the fresh run under way.
    pub fn footprint_bytes(&self) -> usize {
        self.running.as_ref().map_or(0, |(_, sim, _)| sim.footprint_bytes())
    }
}
