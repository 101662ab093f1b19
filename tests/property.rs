//! Property tests over random scenarios and random live changes: no panic, no NaN or infinity, no
//! negative rate, and the ledgers balance.

use metastable_playground::sim::scenario::{Scenario, Trigger, TriggerKind, path, s_to_ns};
use metastable_playground::sim::{Simulation, Window};
use proptest::prelude::*;

/// Numeric fields with the range random values are drawn from (wider than valid, on purpose).
const NUMERIC: [(&str, f64, f64); 23] = [
    ("clients.load_rps", -10.0, 20_000.0),
    ("clients.users", 0.0, 500.0),
    ("clients.think_time_s", 0.0, 2.0),
    ("clients.keys", 0.0, 50_000.0),
    ("clients.zipf_s", -1.0, 3.0),
    ("clients.timeout_s", 0.0, 3.0),
    ("network.cache_ms", -1.0, 20.0),
    ("network.backend_ms", 0.0, 20.0),
    ("retry.max_attempts", 0.0, 8.0),
    ("retry.base_ms", 0.0, 500.0),
    ("retry.cap_ms", 0.0, 5000.0),
    ("retry.multiplier", 0.5, 4.0),
    ("retry.token_bucket.capacity", 0.0, 100.0),
    ("retry.budget.ratio", 0.0, 2.0),
    ("retry.breaker.failure_threshold", 0.0, 1.2),
    ("retry.breaker.min_requests", 0.0, 50.0),
    ("cache.target_hit_rate", -0.1, 1.1),
    ("cache.ttl_s", 0.0, 5.0),
    ("backend.workers", 0.0, 40.0),
    ("backend.service_time_ms", 0.0, 50.0),
    ("backend.service_cv", 0.0, 3.0),
    ("backend.queue_limit", 0.0, 3000.0),
    ("backend.slowdown_alpha", 0.0, 5.0),
];

/// Fields with a fixed set of values.
const CHOICES: [(&str, &[&str]); 12] = [
    ("clients.mode", &["open", "closed"]),
    ("retry.on_timeout", &["true", "false"]),
    ("retry.on_error", &["true", "false"]),
    ("retry.backoff", &["none", "constant", "exponential"]),
    ("retry.jitter", &["none", "full", "equal", "decorrelated"]),
    ("retry.admission", &["none", "token_bucket", "grpc_throttling", "retry_budget", "circuit_breaker"]),
    ("cache.fill", &["look_aside", "write_back"]),
    ("cache.coalescing", &["true", "false"]),
    ("cache.serve_stale", &["true", "false"]),
    ("backend.distribution", &["exponential", "log_normal", "deterministic"]),
    ("backend.discipline", &["fifo", "lifo"]),
    ("backend.deadline_dropping", &["true", "false"]),
];

#[derive(Clone, Debug)]
enum Change {
    Set(String, String),
    Fire(Trigger),
}

fn change() -> impl Strategy<Value = Change> {
    let numeric = (0..NUMERIC.len(), 0.0f64..1.0).prop_map(|(i, u)| {
        let (field, low, high) = NUMERIC[i];
        let value = low + u * (high - low);
        let text = if field.ends_with("users") || field.ends_with("keys") || field.ends_with("attempts") {
            format!("{}", value.round())
        } else {
            format!("{value}")
        };
        Change::Set(field.to_string(), text)
    });
    let choice = (0..CHOICES.len(), any::<prop::sample::Index>()).prop_map(|(i, pick)| {
        let (field, values) = CHOICES[i];
        Change::Set(field.to_string(), pick.get(values).to_string())
    });
    let fire = (0..TriggerKind::ALL.len(), 0.0f64..4.0, 0.0f64..5.0).prop_map(|(k, magnitude, duration_s)| {
        let kind = TriggerKind::ALL[k];
        let magnitude = if matches!(kind, TriggerKind::CapacityLoss | TriggerKind::ErrorBurst) {
            magnitude / 4.0
        } else {
            magnitude
        };
        Change::Fire(Trigger { kind, magnitude, duration_s, tier: 1 })
    });
    prop_oneof![3 => numeric, 2 => choice, 1 => fire]
}

fn check_window(w: &Window) {
    let values = [
        w.offered_rps,
        w.attempts_rps,
        w.retries_rps,
        w.goodput_rps,
        w.failed_rps,
        w.backend_arrivals_rps,
        w.backend_completions_rps,
        w.wasted_rps,
        w.timeouts_rps,
        w.errors_rps,
        w.rejections_rps,
        w.dropped_rps,
        w.retries_refused_rps,
        w.utilization,
        w.cache_fill,
    ];
    let optional = [
        w.success_ratio,
        w.retry_amplification,
        w.cache_hit_rate,
        w.retry_tokens,
        w.p50_ms,
        w.p99_ms,
        w.p999_ms,
        w.e2e_p50_ms,
        w.e2e_p99_ms,
    ];
    for v in values.into_iter().chain(optional.into_iter().flatten()) {
        assert!(v.is_finite() && v >= 0.0, "bad value {v} in {w:?}");
    }
    assert!(w.utilization <= 1.0 + 1e-9, "utilisation {}", w.utilization);
    assert!(w.cache_fill <= 1.0 + 1e-9);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_and_live_changes_never_break_the_engine(
        before in prop::collection::vec(change(), 0..8),
        during in prop::collection::vec(change(), 0..8),
        seed in any::<u64>(),
    ) {
        let mut scenario = Scenario { seed, ..Scenario::default() };
        for c in &before {
            if let Change::Set(field, value) = c
                && let Ok(updated) = path::set(&scenario, field, value) {
                scenario = updated;
            }
        }
        let mut sim = Simulation::new(scenario).expect("path::set only returns valid scenarios");
        let mut step = 0;
        for c in during.iter().map(Some).chain([None]) {
            step += 1;
            // A bounded budget keeps every case small, whatever the load.
            sim.advance_to(s_to_ns(step as f64 * 1.5), 150_000);
            match c {
                Some(Change::Set(field, value)) => { let _ = sim.set(field, value); }
                Some(Change::Fire(trigger)) => { let _ = sim.fire(*trigger); }
                None => {}
            }
        }
        sim.windows().for_each(check_window);
        let t = sim.totals();
        prop_assert_eq!(t.created, t.succeeded + t.failed + sim.logical_in_flight());
        prop_assert_eq!(
            t.first().backend_arrivals,
            t.first().backend_completed + t.first().backend_rejected + t.first().backend_dropped + sim.queue_len() + sim.in_service()
        );
    }

    #[test]
    fn any_json_that_deserialises_builds_or_is_rejected_without_panic(
        fields in prop::collection::vec((0..NUMERIC.len(), -1e12f64..1e12), 0..6),
    ) {
        let mut tree = serde_json::to_value(Scenario::default()).expect("serialisable");
        for (i, value) in fields {
            let mut node = &mut tree;
            for part in NUMERIC[i].0.split('.') {
                node = node.get_mut(part).expect("field exists");
            }
            *node = serde_json::json!(value);
        }
        if let Ok(scenario) = serde_json::from_value::<Scenario>(tree) {
            match Simulation::new(scenario) {
                Ok(mut sim) => { sim.advance_to(s_to_ns(3.0), 100_000); sim.windows().for_each(check_window); }
                Err(e) => prop_assert!(!e.field.is_empty() && !e.message.is_empty()),
            }
        }
    }
}
