//! A simulation with its health judge beside it: the thing that drives the engine for the command
//! line, the playground and the tests. The judge labels every window as it closes; while it needs
//! a fresh run of the settings, the simulation waits and the fresh run spends the event budget, so
//! verdicts do not depend on how the caller slices time.

use crate::sim::engine::{Progress, Simulation};
use crate::sim::health::{Judge, Memo, Verdict};
use crate::sim::metrics::Window;
use crate::sim::scenario::{Scenario, ScenarioError, s_to_ns};

/// A judged simulation.
pub struct Run {
    sim: Simulation,
    judge: Judge,
    /// Events the fresh runs have processed.
    fresh_events: u64,
}

impl Run {
    /// Builds the simulation of `scenario` (validated) at time zero.
    pub fn new(scenario: Scenario) -> Result<Run, ScenarioError> {
        Self::build(scenario, None)
    }

    /// As [`Run::new`], advanced (fast, judged as it goes) to `start_s` simulated seconds.
    pub fn started_at(scenario: Scenario, start_s: f64) -> Result<Run, ScenarioError> {
        let mut run = Run::new(scenario)?;
        run.run_until(s_to_ns(start_s));
        Ok(run)
    }

    /// As [`Run::new`], sharing fresh-run verdicts with other runs through `memo`.
    pub fn with_memo(scenario: Scenario, memo: Memo) -> Result<Run, ScenarioError> {
        Self::build(scenario, Some(memo))
    }

    fn build(scenario: Scenario, memo: Option<Memo>) -> Result<Run, ScenarioError> {
        let history = scenario.metrics.history_windows as usize;
        Ok(Run { sim: Simulation::new(scenario)?, judge: Judge::with_memo(history, memo), fresh_events: 0 })
    }

    /// The memo given to [`Run::with_memo`], with the verdicts this run learnt.
    pub fn take_memo(&mut self) -> Memo {
        self.judge.take_memo()
    }

    /// Events the fresh runs of this run have processed (none for a verdict shared through a memo).
    pub fn fresh_events(&self) -> u64 {
        self.fresh_events
    }

    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The simulation, to apply live changes and triggers.
    pub fn sim_mut(&mut self) -> &mut Simulation {
        &mut self.sim
    }

    /// Advances to `target_ns` within `budget` events (the fresh runs' included), judging each
    /// window as it closes.
    pub fn advance_to(&mut self, target_ns: u64, budget: u64) -> Progress {
        let mut used = 0;
        loop {
            if self.judge.pending() {
                let fresh = self.judge.work(&self.sim, budget - used);
                self.fresh_events += fresh;
                used += fresh;
                if self.judge.pending() {
                    return Progress { events: used, reached: false };
                }
            }
            if used >= budget {
                return Progress { events: used, reached: false };
            }
            let closed = self.sim.windows_closed();
            let progress = self.sim.advance_to_window(target_ns, budget - used);
            used += progress.events;
            if self.sim.windows_closed() > closed {
                self.judge.on_window(&self.sim);
                continue;
            }
            return Progress { events: used, reached: progress.reached };
        }
    }

    /// Runs to `target_ns` with no budget.
    pub fn run_until(&mut self, target_ns: u64) {
        self.advance_to(target_ns, u64::MAX);
    }

    /// The newest verdict ("checking" before the first, and while a fresh run is under way).
    pub fn health(&self) -> Verdict {
        self.judge.newest()
    }

    /// Was the newest verdict reached under the settings in force now (no change since)?
    pub fn verdict_current(&self) -> bool {
        self.judge.settings_version() == Some(self.sim.settings_version())
    }

    /// Is the simulation waiting for a fresh run to judge its newest window?
    pub fn judging(&self) -> bool {
        self.judge.pending()
    }

    /// Windows held with their verdicts, oldest first. While the newest window awaits its verdict
    /// it is left out.
    pub fn judged_windows(&self) -> impl DoubleEndedIterator<Item = (&Window, &Verdict)> {
        let first_window = self.sim.windows_closed() - self.sim.windows().len() as u64;
        let first_verdict = self.judge.judged() - self.judge.verdicts().len() as u64;
        let start = first_window.max(first_verdict);
        let windows = self.sim.windows().skip((start - first_window) as usize);
        windows.zip(self.judge.verdicts().skip((start - first_verdict) as usize))
    }

    /// The verdict of the window ending at `t_s`, if it is held and judged.
    pub fn verdict_at(&self, t_s: f64) -> Option<&Verdict> {
        self.judged_windows().find(|(w, _)| (w.end_s - t_s).abs() < 1e-9).map(|(_, v)| v)
    }

    /// Bytes held by the engine and the judge.
    pub fn footprint_bytes(&self) -> usize {
        self.sim.footprint_bytes() + self.judge.footprint_bytes()
    }
}
