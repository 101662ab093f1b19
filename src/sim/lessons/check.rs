//! A step's check: a condition on the judged windows that must hold for some simulated seconds in
//! a row ("the banner shows Metastable for 5 s", "success above 95 % for 10 s"), and the tracker
//! that reads a run's windows as they are judged.

use crate::sim::health::HealthState;
use crate::sim::metrics::Window;
use crate::sim::run::Run;

/// A figure of a window that a check reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Of the logical requests that ended, the share that succeeded.
    Success,
    /// Attempts per logical request.
    Amplification,
    /// Of the backend's completions, the share whose caller had given up.
    Wasted,
    /// Busy worker time ÷ available worker time.
    Utilization,
    CacheHitRate,
    /// Calls reaching the last tier's backend per logical request.
    LastTierCalls,
    /// Of the attempts, the share the backend turned away at once (its queue full).
    Rejected,
}

impl Figure {
    /// The figure in `window`; `None` when the window holds nothing to compute it from.
    pub fn read(self, w: &Window) -> Option<f64> {
        match self {
            Figure::Success => w.success_ratio,
            Figure::Amplification => w.retry_amplification,
            Figure::Wasted => (w.backend_completions_rps > 0.0).then(|| w.wasted_rps / w.backend_completions_rps),
            Figure::Utilization => Some(w.utilization),
            Figure::CacheHitRate => w.cache_hit_rate,
            Figure::LastTierCalls => {
                let last = w.tiers.last()?;
                (w.offered_rps > 0.0).then(|| last.backend_arrivals_rps / w.offered_rps)
            }
            Figure::Rejected => (w.attempts_rps > 0.0).then(|| w.rejections_rps / w.attempts_rps),
        }
    }

    /// Its name and `value` in its unit, as a learner reads them: ("wasted work", "80 %").
    fn words(self, value: f64) -> (&'static str, String) {
        let percent = || format!("{} %", (value * 100.0).round());
        match self {
            Figure::Success => ("success", percent()),
            Figure::Amplification => ("attempts per request", format!("{value}")),
            Figure::Wasted => ("wasted work", percent()),
            Figure::Utilization => ("busy workers", percent()),
            Figure::CacheHitRate => ("cache hit rate", percent()),
            Figure::LastTierCalls => ("calls to the last tier per request", format!("{value}")),
            Figure::Rejected => ("attempts turned away", percent()),
        }
    }
}

/// A condition that completes a step once it has held for `for_s` simulated seconds in a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Check {
    /// The banner shows `state`.
    State { state: HealthState, for_s: f64 },
    /// A figure stays at or above `value`.
    AtLeast { figure: Figure, value: f64, for_s: f64 },
    /// A figure stays below `value`.
    Below { figure: Figure, value: f64, for_s: f64 },
    /// Every one of these holds at once, for the longest time any of them asks.
    All(&'static [Check]),
}

impl Check {
    /// Seconds in a row the condition must hold.
    pub fn for_s(&self) -> f64 {
        match *self {
            Check::State { for_s, .. } | Check::AtLeast { for_s, .. } | Check::Below { for_s, .. } => for_s,
            Check::All(checks) => checks.iter().map(Check::for_s).fold(0.0, f64::max),
        }
    }

    /// Does it hold in `window`, judged `state`? A figure a window cannot give does not hold.
    pub fn holds(&self, window: &Window, state: HealthState) -> bool {
        match *self {
            Check::State { state: wanted, .. } => state == wanted,
            Check::AtLeast { figure, value, .. } => figure.read(window).is_some_and(|v| v >= value),
            Check::Below { figure, value, .. } => figure.read(window).is_some_and(|v| v < value),
            Check::All(checks) => checks.iter().all(|c| c.holds(window, state)),
        }
    }

    /// The goal in words: "the banner shows Metastable for 5 s".
    pub fn describe(&self) -> String {
        match *self {
            Check::State { state, for_s } => format!("the banner shows {} for {for_s} s", state.label()),
            Check::AtLeast { figure, value, for_s } => {
                let (name, value) = figure.words(value);
                format!("{name} at or above {value} for {for_s} s")
            }
            Check::Below { figure, value, for_s } => {
                let (name, value) = figure.words(value);
                format!("{name} below {value} for {for_s} s")
            }
            Check::All(checks) => checks.iter().map(Check::describe).collect::<Vec<_>>().join(", and "),
        }
    }
}

/// Follows a check over a run's judged windows from a simulated time on.
#[derive(Clone, Debug, PartialEq)]
pub struct Checker {
    check: Check,
    /// Windows that start before this are not read.
    from_s: f64,
    /// End of the newest window read.
    read_to_s: f64,
    held_s: f64,
    /// When the condition first held for long enough.
    done_at_s: Option<f64>,
}

impl Checker {
    pub fn new(check: Check, from_s: f64) -> Self {
        Checker { check, from_s, read_to_s: f64::NEG_INFINITY, held_s: 0.0, done_at_s: None }
    }

    pub fn check(&self) -> Check {
        self.check
    }

    /// Reads the windows of `run` judged since the last call. Once done, it stays done.
    pub fn observe(&mut self, run: &Run) {
        for (window, verdict) in run.judged_windows() {
            if window.end_s <= self.read_to_s || window.start_s < self.from_s - 1e-9 {
                continue;
            }
            self.read_to_s = window.end_s;
            if self.done_at_s.is_some() {
                continue;
            }
            self.held_s = if self.check.holds(window, verdict.state) {
                self.held_s + (window.end_s - window.start_s)
            } else {
                0.0
            };
            if self.held_s >= self.check.for_s() - 1e-9 {
                self.done_at_s = Some(window.end_s);
            }
        }
    }

    /// Seconds in a row the condition has held (up to what it needs).
    pub fn held_s(&self) -> f64 {
        self.held_s.min(self.check.for_s())
    }

    /// When the check was met, if it was.
    pub fn done_at_s(&self) -> Option<f64> {
        self.done_at_s
    }
}
