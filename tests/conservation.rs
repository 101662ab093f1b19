//! Conservation at every window, at every tier: calls started = succeeded + failed + in flight,
//! attempts = successes + timeouts + errors + awaited, and backend arrivals = completed + rejected +
//! dropped + queued + in service, with the right-hand gauges read from live state, across every
//! preset, live changes and triggers.

mod common;

use metastable_playground::sim::Simulation;
use metastable_playground::sim::presets;
use metastable_playground::sim::scenario::{Trigger, TriggerKind, s_to_ns};

fn assert_conserved(sim: &Simulation, context: &str) {
    let t = sim.totals();
    let at = sim.now_s();
    assert_eq!(
        t.created,
        t.succeeded + t.failed + sim.logical_in_flight(),
        "{context} at {at} s: created {} ≠ succeeded {} + failed {} + in flight {}",
        t.created,
        t.succeeded,
        t.failed,
        sim.logical_in_flight()
    );
    for tier in 0..sim.tier_count() {
        let (n, live) = (&t.tiers[tier], sim.tier_live(tier).expect("tier exists"));
        let context = format!("{context}, tier {} at {at} s", tier + 1);
        assert_eq!(n.calls, n.calls_succeeded + n.calls_failed + live.calls_in_flight, "{context}: calls: {n:?}");
        assert_eq!(
            n.backend_arrivals,
            n.backend_completed + n.backend_rejected + n.backend_dropped + live.queue_len + live.in_service,
            "{context}: backend ledger does not balance: {n:?}"
        );
        assert!(n.backend_wasted <= n.backend_completed, "{context}: more wasted than completed");
        assert_eq!(
            n.attempts,
            n.attempt_successes + n.timeouts + n.errors + live.attempts_awaited,
            "{context}: attempt ledger does not balance: {n:?}"
        );
    }
    assert_eq!(t.tiers[0].calls, t.created, "{context}: every logical request is a call to tier 1");
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
        sim.fire(Trigger { kind, magnitude, duration_s: 3.0, tier: 1 }).expect("valid trigger");
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

#[test]
fn a_chain_conserves_requests_at_every_tier_through_triggers_and_changes() {
    let mut scenario = common::preset("layered-retries");
    scenario.tiers[0].cache = metastable_playground::sim::scenario::Cache {
        enabled: true,
        target_hit_rate: 0.5,
        coalescing: true,
        serve_stale: true,
        ttl_s: 2.0,
        ..Default::default()
    };
    scenario.tiers[1].backend.queue_timeout_ms = Some(300.0);
    let mut sim = Simulation::new(scenario).expect("valid");
    check_every_window(&mut sim, 30.0, "layered retries");
    for tier in [2, 3] {
        for kind in TriggerKind::ALL {
            let magnitude = match kind {
                TriggerKind::CapacityLoss | TriggerKind::ErrorBurst => 0.5,
                _ => 3.0,
            };
            sim.fire(Trigger { kind, magnitude, duration_s: 2.0, tier }).expect("valid trigger");
            let until = sim.now_s() + 3.0;
            check_every_window(&mut sim, until, &format!("{} at tier {tier}", kind.label()));
        }
    }
    for (field, value) in [
        ("tier3.backend.discipline", "lifo"),
        ("tier3.backend.deadline_dropping", "true"),
        ("tier2.backend.workers", "50"),
        ("tier2.retry.admission", "circuit_breaker"),
        ("tier3.timeout_s", "0.2"),
        ("tier2.cache.fill", "write_back"),
        ("tier3.backend.concurrency_limit", "30"),
        ("clients.mode", "closed"),
    ] {
        sim.set(field, value).expect("valid change");
        let until = sim.now_s() + 3.0;
        check_every_window(&mut sim, until, field);
    }
}
