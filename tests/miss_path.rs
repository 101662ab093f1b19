//! A miss's way to the backend. Without coalescing the engine decides at the lookup what the caller
//! will do when the miss reaches it; a live change of what the caller reads then (the hop to the
//! backend, whether to coalesce) must still be obeyed by every miss that has not reached its caller.

mod common;

use metastable_playground::sim::scenario::{ms_to_ns, s_to_ns};
use metastable_playground::sim::{LifecycleEvent, Simulation, Stage};
use std::collections::HashMap;

/// Runs to `to_s` in small steps, collecting every request's lifecycle (the stream is bounded per
/// drain).
fn collect(sim: &mut Simulation, to_s: f64, into: &mut Vec<LifecycleEvent>) {
    while sim.now_ns() < s_to_ns(to_s) {
        sim.run_until((sim.now_ns() + ms_to_ns(2.0)).min(s_to_ns(to_s)));
        into.extend(sim.drain_lifecycle());
    }
}

/// (miss time, arrival time at the backend) of each attempt that missed and then reached the
/// backend's queue or a worker.
fn misses_to_backend(events: &[LifecycleEvent]) -> Vec<(u64, u64)> {
    let mut missed: HashMap<(u64, u32), u64> = HashMap::new();
    let mut out = Vec::new();
    for e in events {
        match e.stage {
            Stage::CacheMiss => {
                missed.insert((e.request, e.attempt), e.t_ns);
            }
            Stage::Queued | Stage::Served => {
                if let Some(t_miss) = missed.remove(&(e.request, e.attempt)) {
                    out.push((t_miss, e.t_ns));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_change_of_the_backend_hop_reaches_the_misses_not_yet_at_their_caller() {
    let mut scenario = common::preset("cold-cache-lookaside");
    scenario.cache.warm_start = false;
    let (hit_ms, cache_ms, before_ms, after_ms) = (1.0, 1.0, 1.0, 5.0);
    (scenario.cache.hit_latency_ms, scenario.network.cache_ms, scenario.network.backend_ms) =
        (hit_ms, cache_ms, before_ms);
    let mut sim = Simulation::new(scenario).expect("valid");
    sim.set_lifecycle_sampling(1);
    let mut events = Vec::new();
    collect(&mut sim, 1.0, &mut events);
    let change_ns = sim.now_ns();
    sim.set("network.backend_ms", &after_ms.to_string()).expect("valid");
    collect(&mut sim, 1.05, &mut events);

    // A miss reaches its caller one cache reply after the lookup; the caller sends it on with the
    // hop in force then.
    let reply_ns = ms_to_ns(hit_ms) + ms_to_ns(cache_ms);
    let (mut recalled, mut checked) = (0, 0);
    for (t_miss, t_arrive) in misses_to_backend(&events) {
        let reached_caller_after = t_miss + reply_ns > change_ns;
        let hop_ms = if reached_caller_after { after_ms } else { before_ms };
        assert_eq!(t_arrive - t_miss, reply_ns + ms_to_ns(hop_ms), "a miss at {t_miss} ns (change at {change_ns} ns)");
        checked += 1;
        if reached_caller_after && t_miss <= change_ns {
            recalled += 1;
        }
    }
    assert!(checked > 1000, "only {checked} misses reached the backend");
    assert!(recalled > 0, "no miss was on its way to its caller at the change");
}

#[test]
fn coalescing_switched_on_reaches_the_misses_not_yet_at_their_caller() {
    // A cache that holds nothing and five keys: every lookup misses, and misses of one key are
    // always on their way at once. Workers enough that the backend refuses none.
    let mut scenario = common::preset("healthy");
    (scenario.cache.target_hit_rate, scenario.cache.coalescing, scenario.clients.keys) = (0.0, false, 5);
    (scenario.clients.load_rps, scenario.backend.workers) = (5000.0, 500);
    let reply_ns = ms_to_ns(scenario.cache.hit_latency_ms) + ms_to_ns(scenario.network.cache_ms);
    let mut sim = Simulation::new(scenario).expect("valid");
    sim.set_lifecycle_sampling(1);
    let mut events = Vec::new();
    collect(&mut sim, 1.0, &mut events);
    let change_ns = sim.now_ns();
    sim.set("cache.coalescing", "true").expect("valid");
    collect(&mut sim, 1.05, &mut events);

    // Misses looked up before the change that reach their caller after it: a caller that
    // coalesces sends one per key to the backend and lets the rest wait on it, so some succeed
    // without ever reaching the backend. A miss sent on regardless would reach it every time.
    let mut on_the_way: HashMap<(u64, u32), bool> = HashMap::new();
    let mut succeeded_without_backend = 0;
    for e in &events {
        let id = (e.request, e.attempt);
        match e.stage {
            Stage::CacheMiss if e.t_ns <= change_ns && e.t_ns + reply_ns > change_ns => {
                on_the_way.insert(id, false);
            }
            Stage::Queued | Stage::Served | Stage::Errored | Stage::TimedOut => {
                on_the_way.remove(&id);
            }
            Stage::Succeeded if on_the_way.remove(&id).is_some() => succeeded_without_backend += 1,
            _ => {}
        }
    }
    assert!(succeeded_without_backend > 0, "no miss on its way to its caller at the change was coalesced");
}
