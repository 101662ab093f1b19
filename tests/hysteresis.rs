//! Hysteresis loops of the retry-storm preset: the load ramped from 300 to 1300 req/s in steps of
//! 100 and back, each level held 20 s, goodput read over each level's second half.

mod common;

use metastable_playground::sim::Simulation;
use metastable_playground::sim::scenario::{Scenario, path, s_to_ns};
use metastable_playground::sim::sweep::{LoopPoint, Ramp, check_steps};

const RAMP: Ramp = Ramp { from_rps: 300.0, to_rps: 1300.0, steps: 10, hold_s: 20.0 };

fn run_loop(base: &Scenario, seed: u64) -> Vec<LoopPoint> {
    let scenario = Scenario { seed, ..RAMP.scenario(base) };
    let mut sim = Simulation::new(scenario.clone()).expect("valid");
    sim.run_until(s_to_ns(scenario.duration_s));
    RAMP.points(&sim)
}

/// The (up, down) points at each load from 300 to `top_rps` that both branches visit.
fn branches(points: &[LoopPoint], top_rps: f64) -> Vec<(LoopPoint, LoopPoint)> {
    let up = points.iter().filter(|p| p.rising && p.load_rps <= top_rps + 1e-9);
    up.filter_map(|u| {
        let down = points.iter().find(|d| !d.rising && (d.load_rps - u.load_rps).abs() < 1e-9)?;
        Some((*u, *down))
    })
    .collect()
}

#[test]
fn the_ramp_is_up_then_down_and_lasts_as_long_as_its_levels() {
    let levels = RAMP.levels();
    assert_eq!(levels.len(), 21);
    assert_eq!((levels[0], levels[10], levels[20]), (300.0, 1300.0, 300.0));
    let s = RAMP.scenario(&common::preset("retry-storm"));
    assert!(s.triggers.is_empty());
    assert_eq!(s.changes.len(), 20);
    assert_eq!(s.duration_s, 420.0);
    assert_eq!(run_loop(&common::preset("retry-storm"), 1).len(), 21);
}

#[test]
fn a_ramp_run_level_by_level_tells_each_level_and_equals_one_run_to_its_end() {
    let base = Scenario { seed: 9, ..common::preset("retry-storm") };
    let mut told = Vec::new();
    let points = RAMP.run(&base, &mut |at_s| told.push(at_s)).expect("valid");
    let ends: Vec<f64> = (1..=21).map(|level| 20.0 * f64::from(level)).collect();
    assert_eq!(told, ends);
    assert_eq!(points, run_loop(&base, 9));
}

#[test]
fn retry_storm_comes_down_on_a_lower_branch_and_a_token_bucket_closes_the_loop() {
    let storm = common::preset("retry-storm");
    let bucket = path::set(&storm, "retry.admission", "token_bucket").expect("valid");
    for seed in [1, 2, 3] {
        // Up to 900 req/s (0.9 of capacity) the way up is healthy: goodput within 5 % of what was
        // offered. On the way down the storm holds goodput under 10 % of the way up's at every
        // such load.
        let storm_loop = branches(&run_loop(&storm, seed), 900.0);
        assert_eq!(storm_loop.len(), 7);
        for (up, down) in &storm_loop {
            assert!((up.goodput_rps - up.offered_rps).abs() <= 0.05 * up.offered_rps, "seed {seed}: {up:?}");
            assert!(down.goodput_rps < 0.1 * up.goodput_rps, "seed {seed}: {up:?} {down:?}");
        }
        // With a token bucket on retries the way down retraces the way up from 800 req/s: goodput
        // within 5 % of what was offered on both branches.
        for (up, down) in branches(&run_loop(&bucket, seed), 800.0) {
            for p in [up, down] {
                assert!((p.goodput_rps - p.offered_rps).abs() <= 0.05 * p.offered_rps, "seed {seed}: {p:?}");
            }
        }
    }
}

#[test]
fn a_ramp_that_cannot_run_is_refused_naming_what_is_wrong() {
    let base = common::preset("retry-storm");
    let refused = |ramp: Ramp| ramp.check(&base).expect_err("refused");
    assert!(refused(Ramp { from_rps: -100.0, ..RAMP }).starts_with("from: -100 req/s"));
    assert!(
        refused(Ramp { to_rps: 200.0, ..RAMP })
            .contains("the highest load (to, 200 req/s) must be above the lowest (from, 300 req/s)")
    );
    // The top is a load the scenario could not take, named as typed.
    assert_eq!(refused(Ramp { to_rps: 1e9, ..RAMP }), "to: 1000000000 is not between 0 and 1000000");
    // 21 levels of 100000 s: far past a day.
    assert!(refused(Ramp { hold_s: 100_000.0, ..RAMP }).contains("last 2100000 s: a ramp lasts at most 86400 s"));
    assert_eq!(refused(Ramp { steps: 0, ..RAMP }), "steps: 0 is not between 1 and 200");
    assert_eq!(refused(Ramp { hold_s: 1.0, ..RAMP }), "hold: 1 s is shorter than two 1 s windows");
    assert_eq!(refused(Ramp { hold_s: 2.5, ..RAMP }), "hold: 2.5 s is not a whole number of 1 s windows");
    // As typed in the page's form, before it is a count.
    assert_eq!(check_steps(-2.0), Err("steps: -2 is not between 1 and 200".to_string()));
    assert_eq!(check_steps(2.5), Err("steps: 2.5 is not a whole number".to_string()));
    assert_eq!(check_steps(10.0), Ok(10));
    assert!(RAMP.check(&base).is_ok());
}
