//! Why a window has its state: the facts, with their numbers. Words are made from them in one
//! place ([`super::words`]), so the banner, the command line and lessons say the same thing.

use super::span::Span;
use crate::sim::scenario::TriggerKind;
use crate::sim::scenario::fields::FieldValue;
use serde::Serialize;

/// Something that moved the system: a trigger, a change of settings, or a cold start.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Cause {
    /// A trigger; `ended_s` is `None` while it is active.
    Trigger { trigger: TriggerKind, magnitude: f64, tier: u32, started_s: f64, ended_s: Option<f64> },
    /// A live or scheduled change of one field (dotted path), with its values before and after.
    Change { field: &'static str, from: FieldValue, to: FieldValue, at_s: f64 },
    /// The run started with an empty cache.
    ColdStart,
}

impl Cause {
    /// When the system was last moved by it (a trigger's end, a change's time).
    pub fn quiet_from_s(&self) -> f64 {
        match self {
            Cause::Trigger { started_s, ended_s, .. } => ended_s.unwrap_or(*started_s),
            Cause::Change { at_s, .. } => *at_s,
            Cause::ColdStart => 0.0,
        }
    }
}

/// The healthy test that fails.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "test")]
pub enum Failing {
    /// Success ratio below 95 %.
    Success { ratio: f64 },
    /// End-to-end p99 at or above the timeout (`p99_ms` is the newest window's, when it had one).
    Latency { slow_share: f64, p99_ms: Option<f64>, timeout_ms: f64 },
}

/// A sustaining loop seen in the span.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "loop")]
pub enum Loop {
    /// Attempts reaching tier `tier` (from 1), where retries amplify most, per offered request.
    Retries { amplification: f64, tier: u32 },
    /// Share of backend completions whose caller had gone, at the tier (from 1) where it is
    /// largest.
    WastedWork { share: f64, tier: u32 },
    /// The cache is cold: its fill and hit rate, against the warm hit rate it should reach.
    ColdCache { fill: f64, hit_rate: f64, warm_hit_rate: f64 },
    /// A backend slowed by its own load (service-time factor), at the tier (from 1) where the
    /// factor is largest.
    Slowdown { factor: f64, tier: u32 },
}

/// Why the system counts as overloaded.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "evidence")]
pub enum Overload {
    /// First-attempt demand on the backend, λ·(1 − warm hit rate)·S ÷ c, is at least 1. In a
    /// chain, `tier` is the busiest (1 for the first), whose workers' hold includes their calls
    /// to the tiers behind.
    Demand {
        utilization: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        tier: Option<u32>,
    },
    /// This run was never disturbed: it is itself the fresh run of its settings, and fails.
    Undisturbed { failing: Failing },
    /// A fresh run of the same settings fails once it has settled.
    FreshRun { success_ratio: Option<f64>, slow_share: Option<f64>, run_s: f64 },
    /// Queueing theory (Erlang C) puts the settled end-to-end p99 at or above the timeout.
    Theory { utilization: f64, p99_ms: f64, timeout_ms: f64 },
}

/// The facts behind a state.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Reason {
    /// Not judged yet: the span holds too few windows or requests.
    Gathering {
        windows: usize,
        needed_windows: usize,
        ended: u64,
        needed: u64,
    },
    /// Not judged yet: the fresh run of these settings is under way.
    FreshRunPending,
    Healthy {
        success_ratio: Option<f64>,
        p99_ms: Option<f64>,
    },
    /// A trigger is active, or the system was moved less than the settling time ago.
    Triggered {
        cause: Cause,
        success_ratio: Option<f64>,
    },
    Overloaded(Overload),
    Recovering {
        success_ratio: Option<f64>,
        before: Option<f64>,
        failing: Option<Failing>,
    },
    Metastable {
        cause: Cause,
        failing: Failing,
        loops: Vec<Loop>,
    },
}

impl Failing {
    /// The first healthy test `span` fails, if any.
    pub fn of(span: &Span, timeout_ms: Option<f64>) -> Option<Failing> {
        if span.failing_success() {
            return Some(Failing::Success { ratio: span.success_ratio().unwrap_or(0.0) });
        }
        match (span.failing_latency(), timeout_ms) {
            (true, Some(timeout_ms)) => Some(Failing::Latency {
                slow_share: span.slow_share().unwrap_or(0.0),
                p99_ms: span.e2e_p99_ms,
                timeout_ms,
            }),
            _ => None,
        }
    }
}
