//! Every preset's claim, asserted on the engine's numbers with stated thresholds.

mod common;

use common::{health_at, judged, preset, ratios, run, states_between, success_ratio, windows_between};
use metastable_playground::sim::HealthState;
use metastable_playground::sim::Simulation;
use metastable_playground::sim::health::demand::{first_attempt_utilization, scenario_warm_hit_rate};
use metastable_playground::sim::health::span::summarise;
use metastable_playground::sim::presets;
use metastable_playground::sim::scenario::{TriggerKind, s_to_ns};

/// Every window in `from_s..=to_s` has a success ratio below `limit`.
fn collapsed(sim: &Simulation, from_s: f64, to_s: f64, limit: f64) {
    let span = windows_between(sim, from_s, to_s);
    assert!(!span.is_empty());
    let worst = span.iter().filter_map(|w| w.success_ratio).fold(0.0, f64::max);
    assert!(worst < limit, "success ratio reached {worst} in {from_s}..{to_s} s: {:?}", ratios(&span));
}

/// Every window in `from_s..=to_s` has a success ratio of at least `limit`.
fn recovered(sim: &Simulation, from_s: f64, to_s: f64, limit: f64) {
    let span = windows_between(sim, from_s, to_s);
    assert!(!span.is_empty());
    let worst = span.iter().filter_map(|w| w.success_ratio).fold(1.0, f64::min);
    assert!(worst >= limit, "success ratio fell to {worst} in {from_s}..{to_s} s: {:?}", ratios(&span));
}

/// The same settings started fresh and warm are healthy (what makes a collapse metastable).
fn fresh_run_is_healthy(name: &str) {
    let scenario = preset(name);
    let mut fresh = Simulation::fresh(&scenario);
    fresh.run_until(s_to_ns(60.0));
    let windows = windows_between(&fresh, 10.0, 60.0);
    let span = summarise(&windows.iter().collect::<Vec<_>>());
    assert!(span.healthy(), "{name} fresh run is not healthy: {span:?}");
}

/// Every window ending in `from_s..=to_s` is judged `state`.
fn all_in_state(run: &metastable_playground::sim::Run, from_s: f64, to_s: f64, state: HealthState) {
    let states = states_between(run, from_s, to_s);
    assert!(!states.is_empty());
    let other: Vec<_> = states.iter().filter(|(_, s)| *s != state).collect();
    assert!(other.is_empty(), "not {state:?}: {other:?}");
}

#[test]
fn healthy_preset_stays_healthy_near_70_percent_utilisation() {
    let judged = judged(preset("healthy"), 120.0);
    let sim = judged.sim();
    recovered(sim, 1.0, 120.0, 0.99);
    all_in_state(&judged, 3.0, 120.0, HealthState::Healthy);
    let span = windows_between(sim, 10.0, 120.0);
    let utilization = span.iter().map(|w| w.utilization).sum::<f64>() / span.len() as f64;
    assert!((0.62..=0.78).contains(&utilization), "mean utilisation {utilization}");
}

#[test]
fn retry_storm_persists_after_spike_ends() {
    // Spike from 20 s to 30 s; goodput below 20 % of offered in every window for 60 s after it
    // ends (32–92 s), and the banner says Metastable from 45 s on.
    let judged = judged(preset("retry-storm"), 120.0);
    let sim = judged.sim();
    recovered(sim, 1.0, 20.0, 0.95);
    collapsed(sim, 32.0, 92.0, 0.2);
    assert!(success_ratio(&windows_between(sim, 32.0, 120.0)) < 0.02);
    let amplification =
        windows_between(sim, 40.0, 120.0).iter().filter_map(|w| w.retry_amplification).sum::<f64>() / 81.0;
    assert!(amplification > 3.0, "retry amplification {amplification}");
    all_in_state(&judged, 45.0, 120.0, HealthState::Metastable);
    fresh_run_is_healthy("retry-storm");
}

#[test]
fn slow_backend_collapse_persists_after_slowdown_ends() {
    let judged = judged(preset("slow-backend"), 120.0);
    collapsed(judged.sim(), 32.0, 92.0, 0.2);
    assert_eq!(health_at(&judged, 60.0), HealthState::Metastable);
    fresh_run_is_healthy("slow-backend");
}

#[test]
fn cache_restart_tells_its_story_within_ten_seconds() {
    // The landing preset, sentence by sentence. Before the restart (1–5 s): every window at least
    // 95 % successful, the hit rate 93–97 % on average, the backend at 25–40 % utilisation. The
    // cache empties at 5 s and is unreachable until 8 s: no hits in the windows inside the outage.
    // From 8 s to 120 s: the queue at least 90 % full, timeouts at half the backend's capacity or
    // more (waits pass the timeout), at least 2
    // attempts per request offered; goodput below 5 % of offered and the hit rate below 5 %;
    // Metastable from 30 s on; and the same settings started fresh are healthy, and settle.
    let scenario = preset(presets::LANDING);
    let mut kinds: Vec<_> = scenario.triggers.iter().map(|t| (t.at_s, t.at_s + t.duration_s, t.kind)).collect();
    kinds.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert_eq!(kinds, [(5.0, 5.0, TriggerKind::CacheFlush), (5.0, 8.0, TriggerKind::CacheOutage)]);
    let judged = judged(scenario, 120.0);
    let sim = judged.sim();
    recovered(sim, 1.0, 5.0, 0.95);
    let before = windows_between(sim, 1.0, 5.0);
    let hit = before.iter().filter_map(|w| w.cache_hit_rate).sum::<f64>() / before.len() as f64;
    assert!((0.93..=0.97).contains(&hit), "hit rate before the restart {hit}");
    let utilization = before.iter().map(|w| w.utilization).sum::<f64>() / before.len() as f64;
    assert!((0.25..=0.40).contains(&utilization), "utilisation before the restart {utilization}");
    let outage = windows_between(sim, 6.0, 8.0);
    assert!(outage.iter().all(|w| w.cache_hit_rate.unwrap_or(0.0) == 0.0), "hits during the outage");
    collapsed(sim, 8.0, 120.0, 0.05);
    let after = windows_between(sim, 8.0, 120.0);
    let hit = after.iter().filter_map(|w| w.cache_hit_rate).fold(0.0, f64::max);
    assert!(hit < 0.05, "hit rate after the restart reached {hit}");
    let limit = f64::from(sim.scenario().backend.queue_limit);
    let queue = after.iter().map(|w| w.queue_mean).fold(f64::MAX, f64::min);
    assert!(queue >= 0.9 * limit, "queue fell to {queue} of {limit}");
    let capacity = sim.scenario().backend_capacity_rps();
    let timeouts = after.iter().map(|w| w.timeouts_rps).fold(f64::MAX, f64::min);
    assert!(timeouts >= 0.5 * capacity, "timeouts fell to {timeouts}/s against {capacity} req/s of backend");
    let retries = after.iter().filter_map(|w| w.retry_amplification).fold(f64::MAX, f64::min);
    assert!(retries >= 2.0, "attempts per request fell to {retries}");
    all_in_state(&judged, 30.0, 120.0, HealthState::Metastable);
    fresh_run_is_healthy(presets::LANDING);
    // Left alone, the cache warmed with its hottest keys settles to its least-recently-used order
    // (20–50 s of a fresh run, before the warm entries' 60 s time to live runs out together): a hit
    // rate of 92–94 %, and the backend near 45 % (40–50 %), within 5 points of the note under the load.
    let mut fresh = Simulation::fresh(&preset(presets::LANDING));
    fresh.run_until(s_to_ns(50.0));
    let settled = windows_between(&fresh, 20.0, 50.0);
    let hit = settled.iter().filter_map(|w| w.cache_hit_rate).sum::<f64>() / settled.len() as f64;
    assert!((0.92..=0.94).contains(&hit), "settled hit rate {hit}");
    let utilization = settled.iter().map(|w| w.utilization).sum::<f64>() / settled.len() as f64;
    let scenario = preset(presets::LANDING);
    let implied = first_attempt_utilization(&scenario, scenario_warm_hit_rate(&scenario)).expect("open loop");
    assert!((0.40..=0.50).contains(&utilization), "settled utilisation {utilization}");
    assert!((utilization - implied).abs() < 0.05, "settled utilisation {utilization}, the note's {implied}");
}

#[test]
fn cold_cache_lookaside_never_heals() {
    // Cache restart (flush + 5 s outage) at 20 s; for 60 s after the outage ends (30–90 s) every
    // window has goodput below 20 % of offered and a hit rate below 5 %.
    let judged = judged(preset("cold-cache-lookaside"), 120.0);
    let sim = judged.sim();
    recovered(sim, 1.0, 20.0, 0.95);
    collapsed(sim, 30.0, 90.0, 0.2);
    let hit = windows_between(sim, 30.0, 90.0).iter().filter_map(|w| w.cache_hit_rate).fold(0.0, f64::max);
    assert!(hit < 0.05, "hit rate reached {hit}");
    assert_eq!(health_at(&judged, 60.0), HealthState::Metastable);
    fresh_run_is_healthy("cold-cache-lookaside");
}

#[test]
fn cold_cache_writeback_heals() {
    // The same restart heals: goodput at least 95 % of offered in every window from 20 s after
    // the outage ends, and the hit rate back above 85 %.
    let judged = judged(preset("cold-cache-writeback"), 120.0);
    let sim = judged.sim();
    recovered(sim, 45.0, 120.0, 0.95);
    let hit = windows_between(sim, 45.0, 120.0).iter().filter_map(|w| w.cache_hit_rate).fold(1.0, f64::min);
    assert!(hit > 0.85, "hit rate only {hit}");
    assert_eq!(health_at(&judged, 60.0), HealthState::Healthy);
}

/// The retry-storm trigger, survived: goodput ≥ 95 % of offered in every window from
/// `recovered_by_s` (the spike ends at 30 s) and Healthy from 60 s on.
fn survives_the_storm(name: &str, recovered_by_s: f64) {
    let judged = judged(preset(name), 120.0);
    recovered(judged.sim(), recovered_by_s, 120.0, 0.95);
    all_in_state(&judged, 60.0, 120.0, HealthState::Healthy);
}

#[test]
fn token_bucket_survives_the_retry_storm() {
    survives_the_storm("token-bucket", 40.0);
}

#[test]
fn retry_budget_survives_the_retry_storm() {
    survives_the_storm("retry-budget", 45.0);
}

#[test]
fn circuit_breaker_survives_the_retry_storm() {
    survives_the_storm("circuit-breaker", 40.0);
    let sim = run(preset("circuit-breaker"), 40.0);
    let opened = sim.windows().any(|w| w.breaker == Some(metastable_playground::sim::metrics::BreakerState::Open));
    assert!(opened, "the breaker never opened");
}

#[test]
fn lifo_survives_the_retry_storm() {
    survives_the_storm("lifo", 45.0);
}

#[test]
fn deadline_dropping_ends_the_wasted_work_loop() {
    // With one retry the storm persists unless queued work past its deadline is dropped.
    survives_the_storm("deadline-dropping", 55.0);
    let sim = run(preset("deadline-dropping"), 120.0);
    let wasted: f64 = windows_between(&sim, 55.0, 120.0).iter().map(|w| w.wasted_rps).sum();
    assert_eq!(wasted, 0.0);
    let mut without = preset("deadline-dropping");
    without.backend.deadline_dropping = false;
    let sim = run(without, 120.0);
    collapsed(&sim, 40.0, 120.0, 0.2);
    // With four attempts, dropping alone does not end the storm.
    let mut four = preset("deadline-dropping");
    four.retry.max_attempts = 4;
    let four = run(four, 120.0);
    collapsed(&four, 60.0, 120.0, 0.3);
    assert!(success_ratio(&windows_between(&four, 60.0, 120.0)) < 0.2);
}

#[test]
fn jitter_spreads_synchronized_retries() {
    // About 1000 requests arrive within 20 ms at 20 s. With full jitter at most 60 logical requests
    // fail; without jitter more than 500 do.
    let burst = |jitter: &str| {
        let mut sim = Simulation::new(preset("jittered-backoff")).expect("valid");
        sim.set("retry.jitter", jitter).expect("valid jitter");
        sim.run_until(s_to_ns(40.0));
        let created_in_burst: f64 = windows_between(&sim, 20.1, 20.1).iter().map(|w| w.offered_rps * 0.1).sum();
        (sim.totals().failed, created_in_burst)
    };
    let (jittered, burst_size) = burst("full");
    let (synchronized, _) = burst("none");
    assert!((900.0..=1150.0).contains(&burst_size), "burst of {burst_size}");
    assert!(jittered <= 60, "{jittered} failed with full jitter");
    assert!(synchronized > 500, "only {synchronized} failed without jitter");
}

#[test]
fn overload_is_called_overloaded_not_metastable() {
    let judged = judged(preset("overload"), 90.0);
    collapsed(judged.sim(), 10.0, 90.0, 0.2);
    all_in_state(&judged, 1.0, 90.0, HealthState::Overloaded);
}

#[test]
fn every_preset_is_valid_and_described() {
    for p in presets::all() {
        (p.scenario)().validate().unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert!(p.description.len() > 80, "{} needs a description", p.name);
    }
}

#[test]
fn every_preset_has_settled_its_verdict_when_its_story_is_told() {
    // Where an embed first offers to open: the banner there is a verdict, not a passing state.
    for p in presets::all() {
        let scenario = (p.scenario)();
        let told_s = scenario.story_told_s();
        if told_s == 0.0 {
            continue;
        }
        let state = judged(scenario, told_s).health().state;
        let settled = [HealthState::Healthy, HealthState::Metastable, HealthState::Overloaded];
        assert!(settled.contains(&state), "{} at {told_s} s: {state:?}", p.name);
    }
}
