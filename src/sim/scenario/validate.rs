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

struct Checker {
    errors: Vec<ScenarioError>,
}

impl Checker {
    fn range(&mut self, field: &str, value: f64, low: f64, high: f64) {
        if !(value.is_finite() && value >= low && value <= high) {
            self.fail(field, format!("{value} is outside {low}..={high}"));
        }
    }

    fn count(&mut self, field: &str, value: u32, low: u32, high: u32) {
        if value < low || value > high {
            self.fail(field, format!("{value} is outside {low}..={high}"));
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
        let mut c = Checker { errors: Vec::new() };
        c.range("duration_s", self.duration_s, 0.0, MAX_TIME_S);
        c.range("network.cache_ms", self.network.cache_ms, 0.0, 10_000.0);
        c.range("network.backend_ms", self.network.backend_ms, 0.0, 10_000.0);

        let cl = &self.clients;
        c.range("clients.load_rps", cl.load_rps, 0.0, 1_000_000.0);
        c.count("clients.users", cl.users, 0, 1_000_000);
        c.range("clients.think_time_s", cl.think_time_s, 0.0, 3600.0);
        c.count("clients.keys", cl.keys, 1, 1_000_000);
        c.range("clients.zipf_s", cl.zipf_s, 0.0, 5.0);
        if let Some(t) = cl.timeout_s {
            c.range("clients.timeout_s", t, 0.001, 3600.0);
        }

        let r = &self.retry;
        c.count("retry.max_attempts", r.max_attempts, 1, 100);
        c.range("retry.base_ms", r.base_ms, 0.0, 3_600_000.0);
        c.range("retry.multiplier", r.multiplier, 1.0, 10.0);
        c.range("retry.cap_ms", r.cap_ms, 0.0, 3_600_000.0);
        if r.cap_ms < r.base_ms {
            c.fail("retry.cap_ms", format!("{} is below retry.base_ms ({})", r.cap_ms, r.base_ms));
        }
        let tb = &r.token_bucket;
        c.range("retry.token_bucket.capacity", tb.capacity, 0.0, 1e9);
        c.range("retry.token_bucket.retry_cost", tb.retry_cost, 0.0, 1e9);
        c.range("retry.token_bucket.timeout_retry_cost", tb.timeout_retry_cost, 0.0, 1e9);
        c.range("retry.token_bucket.success_refund", tb.success_refund, 0.0, 1e9);
        c.range("retry.grpc.max_tokens", r.grpc.max_tokens, 1.0, 1e6);
        c.range("retry.grpc.token_ratio", r.grpc.token_ratio, 0.0, 1e6);
        c.range("retry.budget.ratio", r.budget.ratio, 0.0, 100.0);
        c.range("retry.budget.min_per_s", r.budget.min_per_s, 0.0, 1e6);
        c.count("retry.budget.ttl_s", r.budget.ttl_s, 1, 3600);
        let b = &r.breaker;
        c.range("retry.breaker.failure_threshold", b.failure_threshold, 0.0, 1.0);
        c.count("retry.breaker.window_s", b.window_s, 1, 3600);
        c.count("retry.breaker.min_requests", b.min_requests, 1, 1_000_000);
        c.range("retry.breaker.open_s", b.open_s, 0.001, 3600.0);
        c.count("retry.breaker.half_open_probes", b.half_open_probes, 1, 10_000);

        let ca = &self.cache;
        c.range("cache.target_hit_rate", ca.target_hit_rate, 0.0, 1.0);
        c.range("cache.ttl_s", ca.ttl_s, 0.001, MAX_TIME_S);
        c.range("cache.hit_latency_ms", ca.hit_latency_ms, 0.0, 10_000.0);

        let be = &self.backend;
        c.count("backend.workers", be.workers, 1, 100_000);
        c.range("backend.service_time_ms", be.service_time_ms, 0.001, 3_600_000.0);
        c.range("backend.service_cv", be.service_cv, 0.0, 10.0);
        c.count("backend.queue_limit", be.queue_limit, 0, 10_000_000);
        c.range("backend.slowdown_alpha", be.slowdown_alpha, 0.0, 100.0);
        c.range("backend.slowdown_cap", be.slowdown_cap, 1.0, 1000.0);
        if let Some(q) = be.queue_timeout_ms {
            c.range("backend.queue_timeout_ms", q, 0.0, 3_600_000.0);
        }
        if let Some(limit) = be.concurrency_limit {
            c.count("backend.concurrency_limit", limit, 1, 10_000_000);
        }

        for (i, t) in self.triggers.iter().enumerate() {
            let field = |name: &str| format!("triggers[{i}].{name}");
            c.range(&field("at_s"), t.at_s, 0.0, MAX_TIME_S);
            c.range(&field("duration_s"), t.duration_s, 0.0, MAX_TIME_S);
            check_magnitude(&mut c, &field("magnitude"), t.kind, t.magnitude);
        }

        c.range("metrics.window_s", self.metrics.window_s, 0.01, 3600.0);
        c.count("metrics.history_windows", self.metrics.history_windows, 1, 100_000);
        c.range("health.settling_s", self.health.settling_s, 0.0, 3600.0);
        c.count("health.eval_windows", self.health.eval_windows, 1, 600);
        c.range("health.counterfactual_s", self.health.counterfactual_s, 1.0, 3600.0);
        c.errors
    }
}

/// Checks a trigger's magnitude against its kind (used for scheduled and live triggers).
pub(crate) fn check_trigger_magnitude(kind: TriggerKind, magnitude: f64) -> Result<(), ScenarioError> {
    let mut c = Checker { errors: Vec::new() };
    check_magnitude(&mut c, "magnitude", kind, magnitude);
    c.errors.into_iter().next().map_or(Ok(()), Err)
}

fn check_magnitude(c: &mut Checker, field: &str, kind: TriggerKind, magnitude: f64) {
    match kind {
        TriggerKind::LoadSpike | TriggerKind::BackendSlowdown => c.range(field, magnitude, 0.0, 1000.0),
        TriggerKind::CapacityLoss | TriggerKind::ErrorBurst => c.range(field, magnitude, 0.0, 1.0),
        TriggerKind::CacheFlush | TriggerKind::CacheOutage => c.range(field, magnitude, 0.0, f64::MAX),
    }
}
