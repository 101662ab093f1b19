//! The claims of the presets with more than one tier, asserted on the engine's numbers on three
//! seeds each, with stated thresholds.

mod common;

use common::{judged, preset, ratios, states_between, windows_between};
use metastable_playground::sim::health::span::summarise;
use metastable_playground::sim::scenario::{Scenario, path, s_to_ns};
use metastable_playground::sim::{HealthState, Simulation, Window};

const SEEDS: [u64; 3] = [1, 2, 3];

fn seeded(name: &str, seed: u64) -> Scenario {
    Scenario { seed, ..preset(name) }
}

fn worst_success(windows: &[Window]) -> f64 {
    windows.iter().filter_map(|w| w.success_ratio).fold(1.0, f64::min)
}

fn best_success(windows: &[Window]) -> f64 {
    windows.iter().filter_map(|w| w.success_ratio).fold(0.0, f64::max)
}

#[test]
fn layered_retries_turn_a_brief_database_slowdown_into_a_lasting_collapse() {
    for seed in SEEDS {
        let run = judged(seeded("layered-retries", seed), 120.0);
        let sim = run.sim();
        // The slowdown ends at 25 s; goodput stays below 10 % of what ends for 80 s after 40 s.
        let after = windows_between(sim, 40.0, 120.0);
        assert!(best_success(&after) < 0.1, "seed {seed}: {:?}", ratios(&after));
        // The database receives at least 10 calls per request offered in every window …
        for w in &after {
            let db = w.tiers[2].retry_amplification.expect("requests offered");
            assert!(db >= 10.0, "seed {seed} at {} s: {db} database calls per request", w.end_s);
            assert_eq!(w.chain_amplification, w.tiers[2].retry_amplification);
        }
        // … and no request ever makes more than 3 × 3 × 3.
        let totals = sim.totals();
        assert!(totals.tiers[2].attempts <= 27 * totals.created, "seed {seed}: {totals:?}");
        let states = states_between(&run, 45.0, 120.0);
        assert!(states.iter().all(|(_, s)| *s == HealthState::Metastable), "seed {seed}: {states:?}");
    }
}

#[test]
fn layered_retries_started_fresh_run_the_database_at_about_30_percent() {
    for seed in SEEDS {
        let mut fresh = Simulation::fresh(&seeded("layered-retries", seed));
        fresh.run_until(s_to_ns(60.0));
        let windows = windows_between(&fresh, 10.0, 60.0);
        let span = summarise(&windows.iter().collect::<Vec<_>>());
        assert!(span.healthy(), "seed {seed}: {span:?}");
        let db = windows.iter().map(|w| w.tiers[2].utilization).sum::<f64>() / windows.len() as f64;
        assert!((0.25..=0.35).contains(&db), "seed {seed}: database utilisation {db}");
    }
}

#[test]
fn retrying_at_one_layer_recovers_from_the_same_slowdown() {
    for seed in SEEDS {
        let run = judged(seeded("retry-at-one-layer", seed), 120.0);
        let sim = run.sim();
        let after = windows_between(sim, 45.0, 120.0);
        assert!(worst_success(&after) >= 0.97, "seed {seed}: {:?}", ratios(&after));
        // Never more than 3 database calls per request, even while it is slow.
        let totals = sim.totals();
        assert!(totals.tiers[2].attempts <= 3 * totals.created, "seed {seed}: {totals:?}");
        let states = states_between(&run, 50.0, 120.0);
        assert!(states.iter().all(|(_, s)| *s == HealthState::Healthy), "seed {seed}: {states:?}");
    }
}

/// The front (tier 1) during the database slowdown (windows ending 23–30 s).
struct Front {
    queue_mean: f64,
    busy_mean: f64,
    client_timeouts_rps: f64,
    goodput_rps: f64,
    best_success: f64,
}

fn front_while_slow(scenario: Scenario) -> (Front, Vec<Window>) {
    let mut sim = Simulation::new(scenario).expect("valid");
    sim.run_until(s_to_ns(90.0));
    let slow = windows_between(&sim, 23.0, 30.0);
    let mean = |f: &dyn Fn(&Window) -> f64| slow.iter().map(f).sum::<f64>() / slow.len() as f64;
    let front = Front {
        queue_mean: mean(&|w| w.tiers[0].queue_mean),
        busy_mean: mean(&|w| w.tiers[0].busy_mean),
        client_timeouts_rps: mean(&|w| w.timeouts_rps),
        goodput_rps: mean(&|w| w.goodput_rps),
        best_success: best_success(&slow),
    };
    (front, windows_between(&sim, 36.0, 90.0))
}

#[test]
fn a_slow_database_exhausts_the_front_tiers_workers_and_queue() {
    for seed in SEEDS {
        let scenario = seeded("pool-exhaustion", seed);
        // The trigger strikes the database; the front's own work stays 5 ms.
        assert!(scenario.triggers.iter().all(|t| t.tier == 2));
        assert_eq!(scenario.backend.service_time_ms, 5.0);
        let (front, after) = front_while_slow(scenario);
        assert!(front.busy_mean > 149.0, "seed {seed}: {} of 150 workers busy", front.busy_mean);
        assert!(front.queue_mean > 900.0, "seed {seed}: front queue {} of 1000", front.queue_mean);
        assert!(front.client_timeouts_rps > 100.0, "seed {seed}: {} timeouts/s", front.client_timeouts_rps);
        assert!(front.best_success < 0.2, "seed {seed}: success {}", front.best_success);
        assert!(worst_success(&after) >= 0.97, "seed {seed}: no recovery: {:?}", ratios(&after));
    }
}

#[test]
fn a_tighter_downstream_timeout_or_a_concurrency_limit_keeps_the_front_responsive() {
    for seed in SEEDS {
        for (field, value) in [("tier2.timeout_s", "0.06"), ("tier2.backend.concurrency_limit", "25")] {
            let scenario = path::set(&seeded("pool-exhaustion", seed), field, value).expect("valid");
            let (front, after) = front_while_slow(scenario);
            let context = format!("seed {seed}, {field} = {value}");
            assert!(front.busy_mean < 75.0, "{context}: {} of 150 workers busy", front.busy_mean);
            assert!(front.queue_mean < 10.0, "{context}: front queue {}", front.queue_mean);
            assert!(front.client_timeouts_rps < 5.0, "{context}: {} timeouts/s", front.client_timeouts_rps);
            assert!(worst_success(&after) >= 0.97, "{context}: no recovery: {:?}", ratios(&after));
            if field.ends_with("concurrency_limit") {
                // 25 database calls at a time still succeed, 200 ms each.
                assert!(front.goodput_rps > 80.0, "{context}: goodput {}", front.goodput_rps);
            }
        }
    }
}
