//! Presets with more than one tier: retries that multiply across layers, and a worker pool that a
//! slow dependency exhausts.

use crate::sim::scenario::{Backend, Cache, Scenario, ScheduledTrigger, Tier, TriggerKind};

/// A tier called with `attempts` attempts of `timeout_s` each, no cache in front.
fn tier(name: &str, timeout_s: f64, attempts: u32, backend: Backend) -> Tier {
    let mut t = Tier { timeout_s: Some(timeout_s), backend, ..Tier::default() };
    t.retry.max_attempts = attempts;
    t.backend.name = Some(name.to_string());
    t
}

fn slowdown(tier: u32, at_s: f64, magnitude: f64, duration_s: f64) -> ScheduledTrigger {
    ScheduledTrigger { at_s, kind: TriggerKind::BackendSlowdown, magnitude, duration_s, tier }
}

/// clients → api → orders → db at 300 req/s, 3 attempts at every layer (timeouts 2 s, 1 s,
/// 0.5 s), roomy pools in front of a 1000 req/s database with a 2000-deep queue; the database
/// slows 5× for 5 s at 20 s.
pub fn layered_retries() -> Scenario {
    let wide = Backend { workers: 2000, service_time_ms: 5.0, ..Backend::default() };
    let db = Backend { workers: 10, service_time_ms: 10.0, queue_limit: 2000, ..Backend::default() };
    let mut s = Scenario::default();
    s.clients.load_rps = 300.0;
    s.clients.timeout_s = Some(2.0);
    s.retry.max_attempts = 3;
    s.cache = Cache { enabled: false, ..Cache::default() };
    s.backend = Backend { name: Some("api".to_string()), ..wide.clone() };
    s.tiers = vec![tier("orders", 1.0, 3, wide), tier("db", 0.5, 3, db)];
    s.triggers = vec![slowdown(3, 20.0, 5.0, 5.0)];
    s
}

/// The layered-retries chain with retries only at the edge: the inner layers fail fast.
pub fn retry_at_one_layer() -> Scenario {
    let mut s = layered_retries();
    s.tiers.iter_mut().for_each(|t| t.retry.max_attempts = 1);
    s
}

/// clients → front → db at 1000 req/s: 150 front workers (5 ms each) call a 5000 req/s database
/// once, with a 1 s timeout; the database slows 20× for 10 s at 20 s.
pub fn pool_exhaustion() -> Scenario {
    let mut s = Scenario::default();
    s.clients.load_rps = 1000.0;
    s.retry.max_attempts = 2;
    s.cache = Cache { enabled: false, ..Cache::default() };
    s.backend = Backend { name: Some("front".to_string()), workers: 150, service_time_ms: 5.0, ..Backend::default() };
    let db = Backend { workers: 50, service_time_ms: 10.0, queue_limit: 5000, ..Backend::default() };
    s.tiers = vec![tier("db", 1.0, 1, db)];
    s.triggers = vec![slowdown(2, 20.0, 20.0, 10.0)];
    s
}
