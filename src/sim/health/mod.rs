//! Health states, each a precise test run at every window close over the last
//! `health.eval_windows` windows ("the span"):
//! - Triggered: a trigger is active; or one ended less than `settling_s` ago and the span is not
//!   healthy and not improving.
//! - Healthy: success ratio ≥ 0.95 and end-to-end p99 < timeout over the span.
//! - Recovering: not healthy, the previous window was Metastable, Triggered or Recovering, and the
//!   span's success ratio is at least 2 points above the span before it.
//! - Overloaded: not healthy, and the counterfactual (the same settings started fresh: empty
//!   backend, warm cache, no triggers) is not healthy either.
//! - Metastable: not healthy, no trigger for at least `settling_s`, yet the counterfactual is
//!   healthy.

mod counterfactual;

pub use counterfactual::{Counterfactual, Verdict};

use crate::sim::faults::Faults;
use crate::sim::metrics::Window;
use serde::Serialize;

/// The banner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    Healthy,
    Triggered,
    Overloaded,
    Metastable,
    Recovering,
}

impl HealthState {
    pub fn label(self) -> &'static str {
        match self {
            HealthState::Healthy => "Healthy",
            HealthState::Triggered => "Triggered",
            HealthState::Overloaded => "Overloaded",
            HealthState::Metastable => "Metastable",
            HealthState::Recovering => "Recovering",
        }
    }
}

/// Smallest success ratio that counts as healthy.
pub const HEALTHY_SUCCESS_RATIO: f64 = 0.95;
/// How much the success ratio must rise, span over span, to count as recovering.
const RISING_BY: f64 = 0.02;

/// How a span of windows did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Assessment {
    /// Σ goodput ÷ Σ offered; `None` with no demand.
    pub success_ratio: Option<f64>,
    /// Mean of the windows' end-to-end p99, in milliseconds.
    pub p99_ms: Option<f64>,
    pub healthy: bool,
}

/// Assesses `windows` against the healthy test.
pub fn assess(windows: &[Window], timeout_ms: Option<f64>) -> Assessment {
    let offered: f64 = windows.iter().map(|w| w.offered_rps).sum();
    let goodput: f64 = windows.iter().map(|w| w.goodput_rps).sum();
    let success_ratio = (offered > 0.0).then(|| goodput / offered);
    let p99s: Vec<f64> = windows.iter().filter_map(|w| w.e2e_p99_ms).collect();
    let p99_ms = (!p99s.is_empty()).then(|| p99s.iter().sum::<f64>() / p99s.len() as f64);
    let fast_enough = match (p99_ms, timeout_ms) {
        (Some(p99), Some(timeout)) => p99 < timeout,
        _ => true,
    };
    let healthy = success_ratio.is_none_or(|r| r >= HEALTHY_SUCCESS_RATIO) && fast_enough;
    Assessment { success_ratio, p99_ms, healthy }
}

/// What the decision needs.
pub struct Inputs<'a> {
    /// The span, newest last.
    pub recent: &'a [Window],
    /// The span before it.
    pub previous: &'a [Window],
    pub previous_state: Option<HealthState>,
    pub faults: &'a Faults,
    pub now_ns: u64,
    pub settling_ns: u64,
    pub timeout_ms: Option<f64>,
}

/// The outcome, or a request for the counterfactual verdict.
pub enum Decision {
    Done(HealthState, String),
    NeedVerdict,
}

fn percent(ratio: Option<f64>) -> String {
    ratio.map_or("n/a".to_string(), |r| format!("{:.0} %", r * 100.0))
}

fn seconds(ns: u64) -> String {
    format!("{:.0} s", ns as f64 / 1e9)
}

/// Decides the state for the newest window.
pub fn decide(inputs: &Inputs, verdict: Option<&Verdict>) -> Decision {
    let live = assess(inputs.recent, inputs.timeout_ms);
    let goodput = percent(live.success_ratio);
    if let Some(trigger) = inputs.faults.first_active() {
        let reason = format!("a {} is active; goodput is {goodput} of offered", trigger.kind.label());
        return Decision::Done(HealthState::Triggered, reason);
    }
    if live.healthy {
        let p99 = live.p99_ms.map_or("n/a".to_string(), |p| format!("{p:.0} ms"));
        return Decision::Done(HealthState::Healthy, format!("goodput is {goodput} of offered; p99 {p99}"));
    }
    let before = assess(inputs.previous, inputs.timeout_ms);
    let rising =
        matches!((live.success_ratio, before.success_ratio), (Some(now), Some(then)) if now >= then + RISING_BY);
    let was_disturbed = matches!(
        inputs.previous_state,
        Some(HealthState::Metastable | HealthState::Triggered | HealthState::Recovering)
    );
    if was_disturbed && rising {
        return Decision::Done(HealthState::Recovering, format!("goodput is rising: {goodput} of offered"));
    }
    let quiet = inputs.faults.last_quiet().map(|(from_ns, kind)| (inputs.now_ns.saturating_sub(from_ns), kind));
    if let Some((since_ns, kind)) = quiet
        && since_ns < inputs.settling_ns
    {
        let reason = format!("the {} ended {} ago; goodput is {goodput} of offered", kind.label(), seconds(since_ns));
        return Decision::Done(HealthState::Triggered, reason);
    }
    let Some(verdict) = verdict else {
        return Decision::NeedVerdict;
    };
    if !verdict.healthy {
        let reason = format!(
            "demand exceeds capacity: the same settings started fresh reach only {} of offered",
            percent(verdict.success_ratio)
        );
        return Decision::Done(HealthState::Overloaded, reason);
    }
    let cause = match quiet {
        Some((since_ns, kind)) => format!("the {} ended {} ago", kind.label(), seconds(since_ns)),
        None => "no trigger fired".to_string(),
    };
    let reason = format!("{cause}; the same settings started fresh are healthy; goodput is {goodput} of offered");
    Decision::Done(HealthState::Metastable, reason)
}
