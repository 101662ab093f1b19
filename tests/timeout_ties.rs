//! A timeout that falls on the very nanosecond an answer reaches its caller. Ties resolve in the
//! order events were scheduled, except that what an open-loop arrival schedules comes after the
//! rest: so a first attempt's timeout comes after a miss that reaches its caller at that instant,
//! and the attempt goes on to the backend; a retry's timeout, scheduled before the miss, comes
//! first. The shortcuts that decide this at the send or the lookup follow the same order.

mod common;

use metastable_playground::sim::scenario::{Scenario, s_to_ns};
use metastable_playground::sim::{Simulation, Totals};

/// A miss reaches its caller 3 ms after the attempt is sent (1 ms there, 1 ms to answer, 1 ms
/// back), exactly when the attempt's 3 ms timeout is due.
fn tied(hit_rate: f64) -> Totals {
    let mut scenario = Scenario::default();
    scenario.clients.load_rps = 500.0;
    scenario.clients.timeout_s = Some(0.003);
    scenario.cache.target_hit_rate = hit_rate;
    scenario.validate().expect("valid");
    let mut sim = Simulation::new(scenario).expect("valid");
    sim.run_until(s_to_ns(10.0));
    sim.totals()
}

#[test]
fn a_first_attempt_whose_timeout_ties_with_its_miss_goes_on_to_the_backend() {
    // A cache that holds keys (misses sent on from the lookup) and one that holds none (misses
    // sent on at the send).
    for hit_rate in [0.5, 0.0] {
        let t = tied(hit_rate).tiers[0];
        let first_misses = t.cache_misses - t.retries.min(t.cache_misses);
        assert!(t.cache_misses > 1000, "hit rate {hit_rate}: only {} misses", t.cache_misses);
        // Every miss of a first attempt reaches the backend (but the few still on their way when
        // the run ends, at most 1 %); a retry's times out first.
        assert!(
            t.backend_arrivals as f64 >= 0.99 * first_misses as f64,
            "hit rate {hit_rate}: {} backend arrivals for {} misses of first attempts",
            t.backend_arrivals,
            first_misses
        );
    }
}
