//! Same scenario and seed ⇒ identical windows; a different seed ⇒ different windows.

mod common;

use metastable_playground::sim::Window;

fn windows(name: &str, seed: u64) -> Vec<Window> {
    let mut scenario = common::preset(name);
    scenario.seed = seed;
    common::run(scenario, 60.0).windows().cloned().collect()
}

#[test]
fn same_seed_gives_identical_windows() {
    for name in ["retry-storm", "cold-cache-writeback", "circuit-breaker", "jittered-backoff"] {
        assert_eq!(windows(name, 42), windows(name, 42), "{name}");
    }
}

#[test]
fn different_seed_gives_different_windows() {
    let a = windows("healthy", 1);
    let b = windows("healthy", 2);
    assert_eq!(a.len(), b.len());
    let differing = a.iter().zip(&b).filter(|(x, y)| x.offered_rps != y.offered_rps).count();
    assert!(differing > a.len() / 2, "only {differing} of {} windows differ", a.len());
}

#[test]
fn changing_the_retry_policy_does_not_reshuffle_arrivals() {
    // Arrivals draw from their own stream, so offered load is identical whatever retries do.
    let mut a = common::preset("healthy");
    a.retry.max_attempts = 1;
    let mut b = common::preset("healthy");
    b.retry.max_attempts = 7;
    let offered = |s| common::run(s, 20.0).windows().map(|w| w.offered_rps).collect::<Vec<_>>();
    assert_eq!(offered(a), offered(b));
}
