//! An hour of simulated time at 10 000 req/s in the retry-storm collapse holds memory under a fixed
//! bound: the engine keeps only what is in flight plus bounded rings.

use metastable_playground::sim::presets;
use metastable_playground::sim::scenario::{Scenario, s_to_ns};
use metastable_playground::sim::{HealthState, Run};

/// The retry-storm preset scaled to 10 000 req/s: 143 workers (70 % utilisation), 2 s of queue.
fn storm_at_10k() -> Scenario {
    let mut s = (presets::find("retry-storm").expect("preset").scenario)();
    s.clients.load_rps = 10_000.0;
    s.backend.workers = 143;
    s.backend.queue_limit = 28_600;
    // A ring of 5 minutes, full by the fifth minute, so growth after it would be a leak.
    s.metrics.history_windows = 300;
    s
}

const BOUND_BYTES: usize = 64 << 20;

#[test]
fn an_hour_of_collapse_at_10k_rps_stays_under_64_mib() {
    let mut sim = Run::new(storm_at_10k()).expect("valid");
    let mut peak = 0;
    let mut at_five_minutes = 0;
    for minute in 1..=60u64 {
        for second in 1..=60 {
            sim.run_until(s_to_ns(((minute - 1) * 60 + second) as f64));
            peak = peak.max(sim.footprint_bytes());
        }
        if minute == 5 {
            at_five_minutes = sim.footprint_bytes();
        }
    }
    let events = sim.sim().events_processed();
    println!("peak engine footprint: {:.1} MiB over {events} events", peak as f64 / (1 << 20) as f64);
    assert!(peak < BOUND_BYTES, "peak {peak} bytes");
    // Still collapsed at the end, so the hour really was spent in the storm.
    assert_eq!(sim.health().state, HealthState::Metastable);
    // Not growing: the last minute holds no more than 10 % above the fifth.
    assert!(sim.footprint_bytes() <= at_five_minutes + at_five_minutes / 10, "grew from {at_five_minutes}");
    assert_eq!(sim.sim().windows().len(), 300);
}
