//! Conservation at every window: logical requests created = succeeded + failed + in flight, and
//! backend arrivals = completed + rejected + dropped + queued + in service, with the right-hand
//! gauges read from live state, across every preset, live changes and triggers.

mod common;

use metastable_playground::sim::Simulation;
use metastable_playground::sim::presets;
use metastable_playground::sim::scenario::{Trigger, TriggerKind, s_to_ns};

fn assert_conserved(sim: &Simulation, context: &str) {
    let t = sim.totals();
    assert_eq!(
        t.created,
        t.succeeded + t.failed + sim.logical_in_flight(),
        "{context} at {} s: created {} ≠ succeeded {} + failed {} + in flight {}",
        sim.now_s(),
        t.created,
        t.succeeded,
        t.failed,
        sim.logical_in_flight()
    );
    assert_eq!(
        t.backend_arrivals,
        t.backend_completed + t.backend_rejected + t.backend_dropped + sim.queue_len() + sim.in_service(),
        "{context} at {} s: backend ledger does not balance: {t:?}",
        sim.now_s()
    );
    assert!(t.backend_wasted <= t.backend_completed, "{context}: more wasted than completed");
    assert_eq!(
        t.attempts,
        t.attempt_successes + t.timeouts + t.errors + sim.attempts_awaited(),
        "{context} at {} s: attempt ledger does not balance: {t:?}",
        sim.now_s()
    );
}

fn check_every_window(sim: &mut Simulation, until_s: f64, context: &str) {
    let window_ns = s_to_ns(sim.scenario().metrics.window_s);
    while sim.now_ns() < s_to_ns(until_s) {
        sim.run_until(sim.now_ns() + window_ns);
        assert_conserved(sim, context);
    }
}

#[test]
fn every_preset_conserves_requests_at_every_window() {
    for preset in presets::all() {
        let mut sim = Simulation::new((preset.scenario)()).expect("valid preset");
        check_every_window(&mut sim, 60.0, preset.name);
    }
}

#[test]
fn live_changes_and_every_trigger_conserve_requests() {
    let mut scenario = common::preset("retry-storm");
    scenario.cache.target_hit_rate = 0.6;
    scenario.cache.coalescing = true;
    scenario.cache.serve_stale = true;
    scenario.cache.ttl_s = 2.0;
    scenario.backend.queue_timeout_ms = Some(300.0);
    let mut sim = Simulation::new(scenario).expect("valid");
    check_every_window(&mut sim, 5.0, "start");
    for kind in TriggerKind::ALL {
        let magnitude = match kind {
            TriggerKind::CapacityLoss | TriggerKind::ErrorBurst => 0.5,
            _ => 3.0,
        };
        sim.fire(Trigger { kind, magnitude, duration_s: 3.0 }).expect("valid trigger");
        let until = sim.now_s() + 5.0;
        check_every_window(&mut sim, until, kind.label());
    }
    for (field, value) in [
        ("backend.discipline", "lifo"),
        ("backend.deadline_dropping", "true"),
        ("backend.workers", "4"),
        ("retry.admission", "circuit_breaker"),
        ("clients.mode", "closed"),
        ("clients.users", "50"),
        ("cache.fill", "write_back"),
        ("retry.admission", "token_bucket"),
        ("backend.concurrency_limit", "30"),
        ("clients.mode", "open"),
    ] {
        sim.set(field, value).expect("valid change");
        let until = sim.now_s() + 4.0;
        check_every_window(&mut sim, until, field);
    }
}
