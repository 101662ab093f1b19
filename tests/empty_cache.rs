//! A cache that holds no keys misses every lookup and keeps no fill, so the engine gives neither an
//! event: a lookup is counted, and traced, once its place in the order of events has passed. A live
//! change of what a lookup or fill reads takes back those still to come, and they happen as events.
//! These tests hold the shortcut to the events: a run whose every lookup and fill is taken back
//! (by a change that alters nothing they read) must give the same numbers at every step.

mod common;

use metastable_playground::sim::scenario::{ms_to_ns, s_to_ns};
use metastable_playground::sim::{LifecycleEvent, Simulation, Stage};
use std::collections::HashMap;

/// The retry-storm preset: a cache switched on that holds no keys.
fn empty_cache() -> Simulation {
    let sim = Simulation::new(common::preset("retry-storm")).expect("valid");
    assert_eq!(sim.cache_capacity(), 0, "the preset's cache holds no keys");
    sim
}

/// A change that alters nothing an empty cache's lookup or fill reads (the TTL of keys it never
/// holds), but makes the engine take back every lookup and fill still to come.
fn take_back(sim: &mut Simulation, step: usize) {
    let ttl = if step.is_multiple_of(2) { "61" } else { "60" };
    sim.set("cache.ttl_s", ttl).expect("valid");
}

#[test]
fn every_lookup_and_fill_counts_as_its_event_would_at_every_step() {
    let (mut shortcut, mut events) = (empty_cache(), empty_cache());
    // Steps of 0.3 ms, shorter than the hop to the cache (1 ms): lookups are always on their way.
    // Through the spike at 20 s, into the storm.
    let step_ns = ms_to_ns(0.3);
    let mut step = 0;
    while shortcut.now_ns() < s_to_ns(26.0) {
        let to = shortcut.now_ns() + step_ns;
        shortcut.run_until(to);
        events.run_until(to);
        take_back(&mut events, step);
        assert_eq!(shortcut.totals(), events.totals(), "totals at t = {} ns", shortcut.now_ns());
        step += 1;
    }
    assert!(shortcut.windows().eq(events.windows()), "the windows differ");
    let misses = shortcut.totals().tiers[0].cache_misses;
    assert!(misses > 20_000, "only {misses} lookups");
    assert!(
        events.events_processed() > shortcut.events_processed() + misses / 2,
        "the changes took back too few lookups: {} events against {}",
        events.events_processed(),
        shortcut.events_processed()
    );
}

#[test]
fn advances_cut_anywhere_count_each_lookup_in_its_window() {
    let mut whole = empty_cache();
    whole.run_until(s_to_ns(40.0));
    // An event budget of 37 stops advances between events of one instant, too.
    let mut cut = empty_cache();
    while !cut.advance_to(s_to_ns(40.0), 37).reached {}
    assert_eq!(whole.totals(), cut.totals());
    assert!(whole.windows().eq(cut.windows()), "the windows differ");
}

/// Runs to `to_s` in steps of 2 ms, collecting the lifecycle stream.
fn collect(sim: &mut Simulation, to_s: f64) -> Vec<LifecycleEvent> {
    let mut events = Vec::new();
    while sim.now_ns() < s_to_ns(to_s) {
        sim.run_until((sim.now_ns() + ms_to_ns(2.0)).min(s_to_ns(to_s)));
        events.extend(sim.drain_lifecycle());
    }
    events
}

#[test]
fn a_traced_lookup_keeps_its_instant_and_its_place_in_the_stream() {
    let mut sim = empty_cache();
    let hop_ns = ms_to_ns(sim.scenario().network.cache_ms);
    sim.set_lifecycle_sampling(1);
    let events = collect(&mut sim, 6.0);
    let mut last: HashMap<u64, u64> = HashMap::new();
    let mut created: HashMap<u64, u64> = HashMap::new();
    let mut first_misses = 0;
    for e in &events {
        let before = last.insert(e.request, e.t_ns).unwrap_or(0);
        assert!(e.t_ns >= before, "request {}: {:?} at {} ns after a step at {before} ns", e.request, e.stage, e.t_ns);
        match e.stage {
            Stage::Created => {
                created.insert(e.request, e.t_ns);
            }
            Stage::CacheMiss if e.attempt == 1 => {
                let sent = created[&e.request];
                assert_eq!(e.t_ns, sent + hop_ns, "request {}'s first lookup", e.request);
                first_misses += 1;
            }
            _ => {}
        }
    }
    assert!(first_misses > 3_000, "only {first_misses} first lookups traced");
}

#[test]
fn fills_on_their_way_when_the_cache_grows_still_fill_it() {
    let mut sim = empty_cache();
    sim.run_until(s_to_ns(5.0));
    sim.set("cache.target_hit_rate", "0.5").expect("valid");
    assert!(sim.cache_capacity() > 0);
    assert_eq!(sim.cache_len(), 0, "a cache that grows starts empty");
    // A fill sent from now on reaches the cache one hop later at the soonest; by then, only the
    // fills already on their way have arrived.
    let hop_ns = ms_to_ns(sim.scenario().network.cache_ms);
    sim.run_until(sim.now_ns() + hop_ns);
    assert!(sim.cache_len() > 0, "no fill on its way reached the cache");
}

#[test]
fn changes_of_the_backend_hop_a_few_ms_apart_reach_every_miss_not_yet_at_its_caller() {
    // Enough load that misses are always on their way, and workers enough that none is refused.
    let mut scenario = common::preset("retry-storm");
    (scenario.clients.load_rps, scenario.backend.workers) = (5000.0, 1000);
    let reply_ns = ms_to_ns(scenario.cache.hit_latency_ms) + ms_to_ns(scenario.network.cache_ms);
    let mut sim = Simulation::new(scenario).expect("valid");
    assert_eq!(sim.cache_capacity(), 0);
    sim.set_lifecycle_sampling(1);
    // Each change takes back the lookups still to come; the next comes while they happen.
    let changes = [(1.0, 2.0), (1.0015, 3.0), (1.003, 1.5), (1.0045, 2.5), (1.0052, 1.0)];
    let mut hops = vec![(0, ms_to_ns(1.0))];
    let mut events = collect(&mut sim, 1.0);
    for (at_s, hop_ms) in changes {
        sim.run_until(s_to_ns(at_s));
        events.extend(sim.drain_lifecycle());
        sim.set("network.backend_ms", &hop_ms.to_string()).expect("valid");
        hops.push((sim.now_ns(), ms_to_ns(hop_ms)));
    }
    events.extend(collect(&mut sim, 1.05));

    // A miss reaches its caller one cache reply after its lookup, and goes on with the hop in
    // force then (a change at that very instant comes after it).
    let hop_at = |t_ns: u64| hops.iter().rev().find(|(at, _)| *at < t_ns).map(|(_, hop)| *hop).unwrap_or(0);
    let mut missed: HashMap<(u64, u32), u64> = HashMap::new();
    let mut checked = 0;
    for e in &events {
        match e.stage {
            Stage::CacheMiss => {
                missed.insert((e.request, e.attempt), e.t_ns);
            }
            Stage::Queued | Stage::Served => {
                if let Some(t_miss) = missed.remove(&(e.request, e.attempt)) {
                    let reached_caller = t_miss + reply_ns;
                    assert_eq!(e.t_ns, reached_caller + hop_at(reached_caller), "a miss at {t_miss} ns");
                    if (s_to_ns(1.0)..s_to_ns(1.01)).contains(&t_miss) {
                        checked += 1;
                    }
                }
            }
            _ => {}
        }
    }
    assert!(checked > 30, "only {checked} misses around the changes reached the backend");
}
