//! A chain of tiers: retries multiply across callers, a worker is held while it calls the tier
//! behind it, and the timeline, triggers and the health judge reach every tier.

mod common;

use metastable_playground::link::{Link, decode, encode};
use metastable_playground::sim::HealthState;
use metastable_playground::sim::health::{Loop, Reason};
use metastable_playground::sim::scenario::{
    Backend, BackoffKind, Cache, JitterKind, Retry, Scenario, ScheduledChange, ScheduledTrigger, ServiceDistribution,
    Tier, TriggerKind, path, s_to_ns,
};
use metastable_playground::sim::{Run, Simulation};

/// A retry policy of `attempts` attempts, at once (no backoff) and on errors only.
fn immediate(attempts: u32) -> Retry {
    Retry { max_attempts: attempts, backoff: BackoffKind::None, jitter: JitterKind::None, ..Retry::default() }
}

/// clients → tier 1 → tier 2 → tier 3 at 100 req/s, far from saturation (400 workers of 1 ms at
/// every tier), no timeouts, callers making `attempts[i]` attempts; a fraction `p` of calls to
/// tier 3 fail at once, independently.
fn failing_chain(p: f64, attempts: [u32; 3], seed: u64) -> Scenario {
    let mut s = Scenario { seed, ..Scenario::default() };
    s.clients.load_rps = 100.0;
    s.clients.timeout_s = None;
    s.retry = immediate(attempts[0]);
    s.cache = Cache { enabled: false, ..Cache::default() };
    s.backend.workers = 400;
    s.backend.service_time_ms = 1.0;
    let tier = |attempts| {
        let mut t = Tier { timeout_s: None, retry: immediate(attempts), ..Tier::default() };
        (t.backend.workers, t.backend.service_time_ms) = (400, 1.0);
        t
    };
    s.tiers = vec![tier(attempts[1]), tier(attempts[2])];
    s.triggers = vec![ScheduledTrigger {
        at_s: 0.0,
        kind: TriggerKind::ErrorBurst,
        magnitude: p,
        duration_s: 86_400.0,
        tier: 3,
    }];
    s
}

/// Runs for `seconds` of arrivals, then stops them and lets every request end.
fn run_drained(scenario: Scenario, seconds: f64) -> Simulation {
    let mut sim = Simulation::new(scenario).expect("valid");
    sim.run_until(s_to_ns(seconds));
    sim.set("clients.load_rps", "0").expect("valid");
    sim.run_until(s_to_ns(seconds + 10.0));
    assert_eq!(sim.logical_in_flight(), 0, "requests still in flight");
    sim
}

/// Expected attempts at the last tier per logical request. Caller k's attempts fail with
/// probability q_k: q_n = p at the last, and q_k = q_{k+1}^{m_{k+1}} above it (an attempt fails
/// only when every attempt of the call it makes fails). Each caller makes 1 + q + … + q^(m−1)
/// attempts per call, and the product over callers counts attempts at the last tier.
fn expected_last_tier_attempts(p: f64, attempts: [u32; 3]) -> f64 {
    let geometric = |q: f64, m: u32| (0..m).map(|i| q.powi(i as i32)).sum::<f64>();
    let mut q = p;
    let mut product = 1.0;
    for &m in attempts.iter().rev() {
        product *= geometric(q, m);
        q = q.powi(m as i32);
    }
    product
}

#[test]
fn three_callers_of_four_attempts_send_exactly_64_attempts_to_a_failing_last_tier() {
    let sim = run_drained(failing_chain(1.0, [4, 4, 4], 5), 30.0);
    let t = sim.totals();
    assert!(t.created > 2500, "{t:?}");
    assert_eq!(t.failed, t.created);
    assert_eq!(t.tiers[0].attempts, 4 * t.created);
    assert_eq!(t.tiers[1].attempts, 16 * t.created);
    assert_eq!(t.tiers[2].attempts, 64 * t.created);
    assert_eq!(t.tiers[2].backend_rejected, 64 * t.created);
}

#[test]
fn attempts_at_the_last_tier_are_the_product_of_each_callers_geometric_sum() {
    for (p, attempts, seed) in [(0.2, [4, 4, 4], 1), (0.5, [4, 4, 4], 2), (0.9, [4, 4, 4], 3), (0.6, [2, 3, 5], 4)] {
        let sim = run_drained(failing_chain(p, attempts, seed), 300.0);
        let t = sim.totals();
        let measured = t.tiers[2].attempts as f64 / t.created as f64;
        let expected = expected_last_tier_attempts(p, attempts);
        let error = (measured - expected).abs() / expected;
        assert!(error < 0.02, "p = {p}, attempts {attempts:?}: {measured} per request, expected {expected}");
    }
    // With p = 1 every caller makes all its attempts: 4 × 4 × 4.
    assert_eq!(expected_last_tier_attempts(1.0, [4, 4, 4]), 64.0);
}

#[test]
fn a_worker_is_held_while_it_waits_for_the_tier_behind() {
    // Fixed service times and ample workers, so nothing queues: a tier-1 worker is busy for its
    // own 4 ms, the 3 ms hop each way and tier 2's 10 ms. By Little's law, busy = λ × 20 ms.
    let mut s = Scenario::default();
    s.clients.load_rps = 500.0;
    s.cache.enabled = false;
    (s.backend.workers, s.backend.service_time_ms, s.backend.distribution) =
        (100, 4.0, ServiceDistribution::Deterministic);
    let mut tier2 = Tier::default();
    tier2.network.backend_ms = 3.0;
    (tier2.backend.workers, tier2.backend.service_time_ms) = (100, 10.0);
    tier2.backend.distribution = ServiceDistribution::Deterministic;
    s.tiers = vec![tier2];
    let sim = common::run(s, 120.0);
    let windows = common::windows_between(&sim, 10.0, 120.0);
    let mean = |f: &dyn Fn(&metastable_playground::sim::Window) -> f64| {
        windows.iter().map(f).sum::<f64>() / windows.len() as f64
    };
    let (offered, busy1, busy2) =
        (mean(&|w| w.offered_rps), mean(&|w| w.tiers[0].busy_mean), mean(&|w| w.tiers[1].busy_mean));
    let expected1 = offered * 0.020;
    let expected2 = offered * 0.010;
    assert!((busy1 - expected1).abs() / expected1 < 0.03, "tier 1 busy {busy1}, expected {expected1}");
    assert!((busy2 - expected2).abs() / expected2 < 0.03, "tier 2 busy {busy2}, expected {expected2}");
}

fn three_tiers() -> Scenario {
    common::preset("layered-retries")
}

#[test]
fn a_trigger_strikes_only_the_tier_it_names() {
    let mut s = three_tiers();
    s.triggers = vec![ScheduledTrigger {
        at_s: 10.0,
        kind: TriggerKind::CapacityLoss,
        magnitude: 0.5,
        duration_s: 20.0,
        tier: 3,
    }];
    let mut sim = Simulation::new(s).expect("valid");
    sim.run_until(s_to_ns(15.0));
    let workers: Vec<u64> = (0..3).map(|t| sim.tier_live(t).expect("tier").workers_available).collect();
    assert_eq!(workers, vec![2000, 2000, 5]);
    assert!(sim.trigger_marks().all(|m| m.tier == 3));
}

#[test]
fn a_scheduled_change_reaches_a_later_tier_and_replays_from_its_link_path() {
    let mut s = three_tiers();
    s.triggers.clear();
    s.changes = vec![ScheduledChange { at_s: 10.0, set: "tier3.workers".into(), to: serde_json::json!(4) }];
    let mut sim = Simulation::new(s).expect("valid");
    sim.run_until(s_to_ns(12.0));
    assert_eq!(sim.scenario().tiers[1].backend.workers, 4);
    let mark = sim.change_marks().last().expect("marked").clone();
    assert_eq!(mark.field.path, "tier3.backend.workers");
    assert_eq!(sim.tier_live(2).expect("tier").workers_available, 4);
    // A live change of a tier the chain lacks is refused, naming the field.
    let error = sim.set("tier4.backend.workers", "3").expect_err("no tier 4");
    assert!(error.field.contains("tier4"), "{error}");
    assert!(path::set(&Scenario::default(), "tier2.backend.workers", "3").is_err());
}

#[test]
fn a_chain_whose_last_tier_is_short_of_capacity_is_overloaded_not_metastable() {
    // 300 req/s at a database of 200 req/s: overloaded from the first window, by demand alone.
    let s = path::set(&three_tiers(), "tier3.backend.workers", "2").expect("valid");
    let s = Scenario { triggers: Vec::new(), ..s };
    let mut run = Run::new(s).expect("valid");
    run.run_until(s_to_ns(60.0));
    let states = common::states_between(&run, 1.0, 60.0);
    assert!(states.iter().all(|(_, s)| *s == HealthState::Overloaded), "{states:?}");
}

#[test]
fn a_chain_longer_than_four_tiers_is_refused_not_a_panic() {
    let s = Scenario { tiers: vec![Tier::default(); 4], ..Scenario::default() };
    assert_eq!(s.validate().expect_err("five tiers").field, "tiers");
    let (fixed, problems) = s.clamped();
    assert_eq!((fixed.tier_count(), problems[0].field.as_str()), (4, "tiers"));
}

#[test]
fn a_scheduled_change_to_a_tier_the_chain_lacks_is_refused_with_its_index() {
    let s = Scenario {
        changes: vec![ScheduledChange { at_s: 1.0, set: "tier3.workers".into(), to: serde_json::json!(5) }],
        ..Scenario::default()
    };
    let error = s.validate().expect_err("no tier 3");
    assert_eq!(error.field, "changes[0].set");
    assert!(error.message.contains("no tier 3"), "{error}");
    let mut sim = Simulation::new(three_tiers()).expect("valid");
    assert!(
        sim.schedule_change(ScheduledChange { at_s: 5.0, set: "tier4.workers".into(), to: serde_json::json!(5) })
            .is_err()
    );
}

#[test]
fn tier_names_are_unique_counting_the_names_tiers_get_by_default() {
    let mut s = Scenario { tiers: vec![Tier::default()], ..Scenario::default() };
    s.backend.name = Some("tier2".into());
    assert_eq!(s.validate().expect_err("tier 2's own name").field, "backend.name");
    s.backend.name = Some("api".into());
    s.tiers[0].backend.name = Some("api".into());
    assert_eq!(s.validate().expect_err("twice").field, "tiers[0].backend.name");
    s.tiers[0].backend.name = Some("db".into());
    assert!(s.validate().is_ok());
}

/// Retry-storm's backend moved behind a fast front tier (400 workers of 1 ms, calling it with a
/// 1 s timeout and no retries) and slowed a little by its own load (5 % per worker's worth of
/// excess, at most ×3): a scenario whose wasted work and slowdown live at tier 2.
fn storm_behind_a_front(seed: u64) -> Scenario {
    let storm = common::preset("retry-storm");
    let mut s = Scenario { seed, ..storm.clone() };
    s.backend = Backend { workers: 400, service_time_ms: 1.0, ..Backend::default() };
    s.cache.enabled = false;
    let backend = Backend { slowdown_alpha: 0.05, slowdown_cap: 3.0, ..storm.backend.clone() };
    s.tiers = vec![Tier {
        timeout_s: Some(1.0),
        retry: immediate(1),
        cache: storm.cache.clone(),
        backend,
        ..Tier::default()
    }];
    s
}

/// The loops and the words of `s`'s verdict at `t_s`, which must be Metastable.
fn stuck_at(s: Scenario, t_s: f64) -> (Vec<Loop>, String) {
    let seed = s.seed;
    let run = common::judged(s, t_s);
    let verdict = run.verdict_at(t_s).expect("judged");
    match &verdict.reason {
        Reason::Metastable { loops, .. } => (loops.clone(), verdict.reason.to_string()),
        _ => panic!("seed {seed}: {verdict:?}"),
    }
}

#[test]
fn the_loops_of_a_verdict_name_the_tier_where_they_turn() {
    for seed in [1, 2, 3] {
        let (loops, reason) = stuck_at(storm_behind_a_front(seed), 90.0);
        let wasted = loops.iter().find_map(|l| match l {
            Loop::WastedWork { share, tier } => Some((*share, *tier)),
            _ => None,
        });
        assert!(wasted.is_some_and(|(share, tier)| tier == 2 && share >= 0.5), "seed {seed}: {loops:?}");
        let slowdown = loops.iter().find_map(|l| match l {
            Loop::Slowdown { factor, tier } => Some((*factor, *tier)),
            _ => None,
        });
        assert!(slowdown.is_some_and(|(factor, tier)| tier == 2 && factor >= 2.0), "seed {seed}: {loops:?}");
        assert!(reason.contains("wasted at tier 2"), "{reason}");
    }
}

#[test]
fn the_retry_loop_is_named_at_the_tier_where_retries_amplify_most() {
    // The retry storm with two fast tiers behind it: the clients' four attempts at tier 1 hold it
    // stuck, while the tiers behind see little more than tier 1's workers let through.
    for seed in [1, 2, 3] {
        let (loops, text) = stuck_at(Scenario { seed, ..common::preset("retry-storm").with_tier_count(3) }, 90.0);
        let retries = loops.iter().find_map(|l| match l {
            Loop::Retries { amplification, tier } => Some((*amplification, *tier)),
            _ => None,
        });
        assert!(retries.is_some_and(|(a, tier)| tier == 1 && a >= 2.0), "seed {seed}: {loops:?}");
        assert!(text.contains("× offered;") && !text.contains("reaching tier"), "seed {seed}: {text}");
    }
    // Only the clients retry: every tier sees about what tier 1 sees, and the loop is theirs
    // whichever tier happens to see a few more.
    let mut named = 0;
    for seed in [1, 2, 3, 4] {
        let run = common::judged(Scenario { seed, ..common::preset("retry-at-one-layer") }, 60.0);
        for t_s in (30..=60).map(f64::from) {
            let Some(Reason::Metastable { loops, .. }) = run.verdict_at(t_s).map(|v| &v.reason) else { continue };
            for tier in loops.iter().filter_map(|l| match l {
                Loop::Retries { tier, .. } => Some(*tier),
                _ => None,
            }) {
                assert_eq!(tier, 1, "seed {seed} at {t_s} s: {loops:?}");
                named += 1;
            }
        }
    }
    assert!(named >= 5, "the clients' retries named {named} times");
    // Where the attempts multiply down the chain, the last tier sees the most.
    let layered = common::judged(common::preset("layered-retries"), 60.0);
    let reason = layered.verdict_at(60.0).expect("judged").reason.to_string();
    assert!(reason.contains("× offered reaching tier 3"), "{reason}");
}

#[test]
fn an_added_tier_is_a_fast_dependency_that_leaves_a_system_with_room_healthy() {
    use metastable_playground::sim::health::demand::{scenario_warm_hit_rate, tier_demands};
    let utilization = |s: &Scenario| tier_demands(s, scenario_warm_hit_rate(s))[0].utilization;
    for name in ["healthy", "retry-storm", "cache-restart"] {
        let one = common::preset(name);
        for count in 2..=4 {
            let chain = one.clone().with_tier_count(count);
            assert_eq!(chain.tier_count(), count);
            chain.validate().expect("valid");
            // Tier 1 keeps its settings; its workers hold each request at most 1.2 ms longer
            // for each tier added (hops of 0.1 ms, a service time of at least 1 ms).
            assert_eq!(chain.backend, one.backend);
            let demands = tier_demands(&chain, scenario_warm_hit_rate(&chain));
            let longer = 1.0 + 1.2 * (count - 1) as f64 / one.backend.service_time_ms;
            assert!(demands[0].utilization <= longer * utilization(&one) + 1e-9, "{name} × {count}: {demands:?}");
            // A link carries every added tier as it is: its settings are within their sliders.
            let link = encode(&Link { scenario: chain.clone(), ..Link::default() });
            assert_eq!(decode(&link).link.scenario, chain, "{name} × {count}: {link}");
            assert!(demands.iter().all(|d| d.utilization < 1.0), "{name} × {count}: {demands:?}");
        }
    }
    let healthy = common::preset("healthy").with_tier_count(3);
    assert_eq!(common::judged(healthy, 60.0).health().state, HealthState::Healthy);
    // Taking tiers away takes the triggers aimed at them.
    let mut layered = common::preset("layered-retries");
    assert!(layered.triggers.iter().any(|t| t.tier == 3));
    layered = layered.with_tier_count(2);
    assert!(layered.triggers.iter().all(|t| t.tier <= 2));
}
