//! Range and consistency checks; every message names the field.

use super::{Scenario, TriggerKind};
use std::fmt;

/// A scenario that cannot run, with the field at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Dotted path of the field, e.g. `backend.workers`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// Collects problems; when `fix` is set it also moves each out-of-range value to the nearest end of
/// its range (a value that is not a number goes to the low end).
struct Checker {
    errors: Vec<ScenarioError>,
    fix: bool,
}

impl Checker {
    fn range(&mut self, field: &str, value: &mut f64, low: f64, high: f64) {
        if !(value.is_finite() && *value >= low && *value <= high) {
            self.fail(field, format!("{value} is outside {low}..={high}"));
            if self.fix {
                *value = if value.is_nan() { low } else { value.clamp(low, high) };
            }
        }
    }

    fn count(&mut self, field: &str, value: &mut u32, low: u32, high: u32) {
        if *value < low || *value > high {
            self.fail(field, format!("{value} is outside {low}..={high}"));
            if self.fix {
                *value = (*value).clamp(low, high);
            }
        }
    }

    fn fail(&mut self, field: &str, message: String) {
        self.errors.push(ScenarioError { field: field.to_string(), message });
    }
}

/// Largest simulated time a scenario may reach: a day.
const MAX_TIME_S: f64 = 86_400.0;

impl Scenario {
    /// Checks every field; returns the first problem found.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        match self.problems().into_iter().next() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Every problem, in field order.
    pub fn problems(&self) -> Vec<ScenarioError> {
        check(&mut self.clone(), false)
    }

    /// The scenario with every out-of-range value moved to the nearest end of its range, and the
    /// problems that were fixed, in field order. The result always validates.
    pub fn clamped(mut self) -> (Scenario, Vec<ScenarioError>) {
        let problems = check(&mut self, true);
        (self, problems)
    }
}

fn check(s: &mut Scenario, fix: bool) -> Vec<ScenarioError> {
    let mut c = Checker { errors: Vec::new(), fix };
    c.range("duration_s", &mut s.duration_s, 0.0, MAX_TIME_S);
    c.range("network.cache_ms", &mut s.network.cache_ms, 0.0, 10_000.0);
    c.range("network.backend_ms", &mut s.network.backend_ms, 0.0, 10_000.0);

    let cl = &mut s.clients;
    c.range("clients.load_rps", &mut cl.load_rps, 0.0, 1_000_000.0);
    c.count("clients.users", &mut cl.users, 0, 1_000_000);
    c.range("clients.think_time_s", &mut cl.think_time_s, 0.0, 3600.0);
    c.count("clients.keys", &mut cl.keys, 1, 1_000_000);
    c.range("clients.zipf_s", &mut cl.zipf_s, 0.0, 5.0);
    if let Some(t) = &mut cl.timeout_s {
        c.range("clients.timeout_s", t, 0.001, 3600.0);
    }

    let r = &mut s.retry;
    c.count("retry.max_attempts", &mut r.max_attempts, 1, 100);
    c.range("retry.base_ms", &mut r.base_ms, 0.0, 3_600_000.0);
    c.range("retry.multiplier", &mut r.multiplier, 1.0, 10.0);
    c.range("retry.cap_ms", &mut r.cap_ms, 0.0, 3_600_000.0);
    if r.cap_ms < r.base_ms {
        c.fail("retry.cap_ms", format!("{} is below retry.base_ms ({})", r.cap_ms, r.base_ms));
        if c.fix {
            r.cap_ms = r.base_ms;
        }
    }
    let tb = &mut r.token_bucket;
    c.range("retry.token_bucket.capacity", &mut tb.capacity, 0.0, 1e9);
    c.range("retry.token_bucket.retry_cost", &mut tb.retry_cost, 0.0, 1e9);
    c.range("retry.token_bucket.timeout_retry_cost", &mut tb.timeout_retry_cost, 0.0, 1e9);
    c.range("retry.token_bucket.success_refund", &mut tb.success_refund, 0.0, 1e9);
    c.range("retry.grpc.max_tokens", &mut r.grpc.max_tokens, 1.0, 1e6);
    c.range("retry.grpc.token_ratio", &mut r.grpc.token_ratio, 0.0, 1e6);
    c.range("retry.budget.ratio", &mut r.budget.ratio, 0.0, 100.0);
    c.range("retry.budget.min_per_s", &mut r.budget.min_per_s, 0.0, 1e6);
    c.count("retry.budget.ttl_s", &mut r.budget.ttl_s, 1, 3600);
    let b = &mut r.breaker;
    c.range("retry.breaker.failure_threshold", &mut b.failure_threshold, 0.0, 1.0);
    c.count("retry.breaker.window_s", &mut b.window_s, 1, 3600);
    c.count("retry.breaker.min_requests", &mut b.min_requests, 1, 1_000_000);
    c.range("retry.breaker.open_s", &mut b.open_s, 0.001, 3600.0);
    c.count("retry.breaker.half_open_probes", &mut b.half_open_probes, 1, 10_000);

    let ca = &mut s.cache;
    c.range("cache.target_hit_rate", &mut ca.target_hit_rate, 0.0, 1.0);
    c.range("cache.ttl_s", &mut ca.ttl_s, 0.001, MAX_TIME_S);
    c.range("cache.hit_latency_ms", &mut ca.hit_latency_ms, 0.0, 10_000.0);

    let be = &mut s.backend;
    c.count("backend.workers", &mut be.workers, 1, 100_000);
    c.range("backend.service_time_ms", &mut be.service_time_ms, 0.001, 3_600_000.0);
    c.range("backend.service_cv", &mut be.service_cv, 0.0, 10.0);
    c.count("backend.queue_limit", &mut be.queue_limit, 0, 10_000_000);
    c.range("backend.slowdown_alpha", &mut be.slowdown_alpha, 0.0, 100.0);
    c.range("backend.slowdown_cap", &mut be.slowdown_cap, 1.0, 1000.0);
    if let Some(q) = &mut be.queue_timeout_ms {
        c.range("backend.queue_timeout_ms", q, 0.0, 3_600_000.0);
    }
    if let Some(limit) = &mut be.concurrency_limit {
        c.count("backend.concurrency_limit", limit, 1, 10_000_000);
    }

    for (i, t) in s.triggers.iter_mut().enumerate() {
        let field = |name: &str| format!("triggers[{i}].{name}");
        c.range(&field("at_s"), &mut t.at_s, 0.0, MAX_TIME_S);
        c.range(&field("duration_s"), &mut t.duration_s, 0.0, MAX_TIME_S);
        check_magnitude(&mut c, &field("magnitude"), t.kind, &mut t.magnitude);
    }

    c.range("metrics.window_s", &mut s.metrics.window_s, 0.01, 3600.0);
    c.count("metrics.history_windows", &mut s.metrics.history_windows, 1, 100_000);
    c.range("health.settling_s", &mut s.health.settling_s, 0.0, 3600.0);
    c.count("health.eval_windows", &mut s.health.eval_windows, 1, 600);
    c.range("health.counterfactual_s", &mut s.health.counterfactual_s, 1.0, 3600.0);
    c.errors
}

/// Checks a trigger's magnitude against its kind (used for scheduled and live triggers).
pub(crate) fn check_trigger_magnitude(kind: TriggerKind, magnitude: f64) -> Result<(), ScenarioError> {
    let mut c = Checker { errors: Vec::new(), fix: false };
    let mut magnitude = magnitude;
    check_magnitude(&mut c, "magnitude", kind, &mut magnitude);
    c.errors.into_iter().next().map_or(Ok(()), Err)
}

fn check_magnitude(c: &mut Checker, field: &str, kind: TriggerKind, magnitude: &mut f64) {
    match kind {
        TriggerKind::LoadSpike | TriggerKind::BackendSlowdown => c.range(field, magnitude, 0.0, 1000.0),
        TriggerKind::CapacityLoss | TriggerKind::ErrorBurst => c.range(field, magnitude, 0.0, 1.0),
        TriggerKind::CacheFlush | TriggerKind::CacheOutage => c.range(field, magnitude, 0.0, f64::MAX),
    }
}
