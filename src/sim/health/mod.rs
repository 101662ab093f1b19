//! Health verdicts: each window, as it closes, is labelled by a judge that runs beside the
//! simulation (it reads the engine's windows, triggers and changes; it never steers the engine).
//!
//! The span ([`span`]) is the newest windows holding enough ended requests (at least 300, or the
//! last 60 s); its success ratio is the share of the logical requests that ended in it that
//! succeeded, so it cannot exceed 1. In order, the first that holds:
//! - Overloaded: first-attempt demand on the backend, λ·(1 − warm hit rate)·S ÷ c, is at least 1.
//! - Triggered: a trigger is active.
//! - Checking: the span does not yet hold enough requests.
//! - Healthy: success ratio ≥ 95 % and end-to-end p99 < timeout (failing needs evidence; see
//!   [`span`]).
//! - Recovering: the previous window was Metastable, Triggered or Recovering and the success ratio
//!   rose by 2 points span over span.
//! - Triggered: a trigger ended, or a setting changed, less than `health.settling_s` ago.
//! - Overloaded: the run was never disturbed (no trigger, no change, no cold start), so it is
//!   itself the fresh run of its settings; or the fresh run ([`fresh`]) of the settings in force,
//!   long enough to settle ([`demand::fresh_run_s`]), fails; or, too near capacity for a run to
//!   settle, Erlang C puts the settled p99 at or above the timeout.
//! - Recovering: only the latency test fails (success ≥ 95 %): slow, not stuck.
//! - Metastable: the rest, with the cause that started it and the sustaining loops in force.
//!
//! While the fresh run is under way the newest window is Checking, and the simulation waits.

pub mod demand;
mod fresh;
mod judge;
mod reason;
pub mod span;
mod words;

pub use fresh::{FreshVerdict, Memo};
pub use judge::Judge;
pub use reason::{Cause, Failing, Loop, Overload, Reason};

use serde::{Deserialize, Serialize};

/// The banner's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    /// Not judged yet (too little data, or the fresh run is under way).
    Checking,
    Healthy,
    Triggered,
    Overloaded,
    Metastable,
    Recovering,
}

impl HealthState {
    /// The banner's word.
    pub fn label(self) -> &'static str {
        match self {
            HealthState::Checking => "Checking…",
            HealthState::Healthy => "Healthy",
            HealthState::Triggered => "Triggered",
            HealthState::Overloaded => "Overloaded",
            HealthState::Metastable => "Metastable",
            HealthState::Recovering => "Recovering",
        }
    }

    /// Lower-case name, as in CSV and style classes.
    pub fn name(self) -> &'static str {
        match self {
            HealthState::Checking => "checking",
            HealthState::Healthy => "healthy",
            HealthState::Triggered => "triggered",
            HealthState::Overloaded => "overloaded",
            HealthState::Metastable => "metastable",
            HealthState::Recovering => "recovering",
        }
    }
}

/// A window's state and the facts behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub state: HealthState,
    pub reason: Reason,
}
