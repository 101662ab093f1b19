//! Health verdicts at the boundary: what the banner says near capacity, at low request rates, while
//! a fresh run is pending, and in the words of its reasons.

mod common;

use common::{judged, preset, states_between};
use metastable_playground::sim::health::{Failing, Overload, Reason};
use metastable_playground::sim::scenario::{Scenario, ScheduledTrigger, Tier, TriggerKind, s_to_ns};
use metastable_playground::sim::{HealthState, Run, presets};

/// The retry-storm preset without its trigger at `factor` × the backend's 1000 req/s.
fn storm_without_trigger(factor: f64, seed: u64) -> Scenario {
    let mut s = preset("retry-storm");
    s.triggers.clear();
    s.clients.load_rps = factor * s.backend_capacity_rps();
    s.seed = seed;
    s
}

#[test]
fn near_capacity_without_a_trigger_is_healthy_or_overloaded_never_metastable() {
    // 0.5× to 1.3× of capacity, every 0.01 from 0.95 to 1.05; 3 seeds × 300 s each.
    let mut factors: Vec<f64> = [0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.3].to_vec();
    factors.extend((95..=105).map(|p| p as f64 / 100.0));
    let cases: Vec<(f64, u64)> = factors.iter().flat_map(|&f| (1..=3).map(move |seed| (f, seed))).collect();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let halves = cases.chunks(cases.len().div_ceil(2)).map(|chunk| {
            scope.spawn(move || {
                chunk.iter().flat_map(|&(factor, seed)| check_boundary(factor, seed)).collect::<Vec<_>>()
            })
        });
        halves.collect::<Vec<_>>().into_iter().flat_map(|h| h.join().expect("no panic")).collect()
    });
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What is wrong with the verdicts of the storm at `factor` × capacity with `seed`.
fn check_boundary(factor: f64, seed: u64) -> Vec<String> {
    let run = judged(storm_without_trigger(factor, seed), 300.0);
    let states = states_between(&run, 0.0, 300.0);
    let mut wrong = Vec::new();
    if states.len() != 300 {
        wrong.push(format!("{factor}× seed {seed}: {} windows judged", states.len()));
    }
    for &(t, state) in &states {
        let expected = if factor >= 1.02 && t >= 60.0 {
            Some(HealthState::Overloaded)
        } else if factor <= 0.95 + 1e-9 && t >= 10.0 {
            Some(HealthState::Healthy)
        } else {
            None
        };
        if state == HealthState::Metastable || expected.is_some_and(|e| e != state) {
            wrong.push(format!("{factor}× seed {seed} at {t} s: {state:?}"));
        }
    }
    wrong
}

#[test]
fn overloaded_holds_from_the_first_window_when_first_attempts_reach_capacity() {
    for factor in [1.0, 1.02, 1.3] {
        let run = judged(storm_without_trigger(factor, 1), 5.0);
        let states = states_between(&run, 0.0, 5.0);
        assert!(states.iter().all(|(_, s)| *s == HealthState::Overloaded), "{factor}×: {states:?}");
    }
}

#[test]
fn an_overloaded_chain_names_its_busiest_tier() {
    // The healthy preset (70 % busy) with a tier behind it: the first tier's workers also wait out
    // their calls to the second, so its first attempts alone ask more than it has.
    let mut s = preset("healthy");
    s.tiers = vec![Tier::default()];
    let run = judged(s, 5.0);
    assert_eq!(run.health().state, HealthState::Overloaded);
    let Reason::Overloaded(Overload::Demand { utilization, tier }) = run.health().reason else {
        panic!("{:?}", run.health().reason)
    };
    assert_eq!(tier, Some(1));
    assert!(utilization >= 1.0, "{utilization}");
    let words = run.health().reason.to_string();
    assert!(words.contains("first attempts alone ask") && words.contains("of tier 1's workers"), "{words}");
    // One tier: the backend, as always.
    let one = judged(storm_without_trigger(1.3, 1), 5.0);
    assert!(one.health().reason.to_string().contains("of the backend's capacity"), "{}", one.health().reason);
}

#[test]
fn the_first_windows_are_checking_until_the_span_holds_enough() {
    let run = judged(preset("healthy"), 5.0);
    let states = states_between(&run, 0.0, 5.0);
    assert_eq!(states[0].1, HealthState::Checking, "{states:?}");
    assert_eq!(states[1].1, HealthState::Checking, "{states:?}");
    assert!(states[2..].iter().all(|(_, s)| *s == HealthState::Healthy), "{states:?}");
}

/// 1 s timeout, 2 attempts, 4 workers × 100 ms (40 req/s), at `load_rps`; a 10× slowdown for 15 s
/// at 60 s.
fn low_rate(load_rps: f64, seed: u64) -> Scenario {
    let mut s = Scenario { seed, ..Scenario::default() };
    s.clients.load_rps = load_rps;
    s.retry.max_attempts = 2;
    s.cache.target_hit_rate = 0.0;
    s.backend.workers = 4;
    s.backend.service_time_ms = 100.0;
    s.triggers = vec![ScheduledTrigger {
        at_s: 60.0,
        kind: TriggerKind::BackendSlowdown,
        magnitude: 10.0,
        duration_s: 15.0,
        tier: 1,
    }];
    s
}

#[test]
fn at_low_request_rates_a_recovered_run_is_healthy_in_nearly_every_window() {
    for load_rps in [3.0, 5.0, 10.0] {
        for seed in 1..=3 {
            let run = judged(low_rate(load_rps, seed), 600.0);
            let ended = |from: f64| {
                let w: Vec<_> = run.sim().windows().filter(|w| w.start_s >= from).collect();
                let succeeded: u64 = w.iter().map(|w| w.succeeded).sum();
                let failed: u64 = w.iter().map(|w| w.failed).sum();
                succeeded as f64 / (succeeded + failed) as f64
            };
            let disturbed = run.sim().windows().any(|w| w.success_ratio.is_some_and(|r| r < 0.5));
            assert!(disturbed, "{load_rps} req/s seed {seed}: the slowdown hurt no window");
            // Recovered: from two minutes after the slowdown, at least 97 % succeed.
            assert!(ended(195.0) >= 0.97, "{load_rps} req/s seed {seed}: {}", ended(195.0));
            let later = states_between(&run, 196.0, 600.0);
            let healthy = later.iter().filter(|(_, s)| *s == HealthState::Healthy).count();
            assert!(healthy as f64 >= 0.95 * later.len() as f64, "{load_rps} req/s seed {seed}: {later:?}");
        }
    }
}

#[test]
fn while_the_fresh_run_is_pending_the_banner_says_checking() {
    let mut run = Run::new(preset("retry-storm")).expect("valid");
    let mut seen_pending = false;
    while run.sim().now_ns() < s_to_ns(60.0) {
        run.advance_to(s_to_ns(60.0), 2_000);
        if run.judging() {
            seen_pending = true;
            assert_eq!(run.health().state, HealthState::Checking);
            assert_eq!(run.health().reason, Reason::FreshRunPending);
        }
    }
    assert!(seen_pending, "the storm never needed a fresh run");
    assert_eq!(run.health().state, HealthState::Metastable);
}

#[test]
fn metastable_needs_failing_goodput_and_no_ratio_exceeds_one() {
    for p in presets::all() {
        let run = judged((p.scenario)(), 120.0);
        for (w, verdict) in run.judged_windows() {
            assert!(w.success_ratio.is_none_or(|r| (0.0..=1.0).contains(&r)), "{} at {}", p.name, w.end_s);
            let text = verdict.reason.to_string();
            assert!(
                success_ratios(&verdict.reason).iter().all(|r| (0.0..=1.0).contains(r)),
                "{} at {}: {text}",
                p.name,
                w.end_s
            );
            if verdict.state == HealthState::Metastable {
                let Reason::Metastable { failing: Failing::Success { ratio }, .. } = verdict.reason else {
                    panic!("{} at {}: metastable without failing goodput: {text}", p.name, w.end_s);
                };
                assert!(ratio < 0.95, "{} at {}: {text}", p.name, w.end_s);
            }
        }
    }
}

/// Every success ratio a reason holds.
fn success_ratios(reason: &Reason) -> Vec<f64> {
    let failing = |f: &Failing| match f {
        Failing::Success { ratio } => Some(*ratio),
        Failing::Latency { slow_share, .. } => Some(*slow_share),
    };
    match reason {
        Reason::Healthy { success_ratio, .. } | Reason::Triggered { success_ratio, .. } => {
            success_ratio.iter().copied().collect()
        }
        Reason::Recovering { success_ratio, before, failing: f } => {
            [*success_ratio, *before, f.as_ref().and_then(failing)].into_iter().flatten().collect()
        }
        Reason::Metastable { failing: f, .. } => failing(f).into_iter().collect(),
        Reason::Overloaded(Overload::FreshRun { success_ratio, slow_share, .. }) => {
            [*success_ratio, *slow_share].into_iter().flatten().collect()
        }
        Reason::Overloaded(Overload::Undisturbed { failing: f }) => failing(f).into_iter().collect(),
        _ => Vec::new(),
    }
}

#[test]
fn a_metastable_reason_names_its_cause_the_failing_test_and_the_loops() {
    let run = judged(preset("retry-storm"), 60.0);
    let text = run.health().reason.to_string();
    assert!(text.starts_with("since the load spike ×2 from t = 20 s to 30 s: only 0 % of requests succeed"), "{text}");
    assert!(text.contains("attempts at 4.0× offered") || text.contains("attempts at 3.9× offered"), "{text}");
    assert!(text.contains("100 % of backend work wasted"), "{text}");
    let run = judged(preset("cold-cache-lookaside"), 60.0);
    let text = run.health().reason.to_string();
    assert!(text.contains("cache 0 % full and not refilling"), "{text}");
    let failing = Failing::Latency { slow_share: 0.3, p99_ms: Some(2100.0), timeout_ms: 1000.0 };
    assert_eq!(failing.to_string(), "end-to-end p99 2.1 s is above the 1.0 s timeout");
}

#[test]
fn a_live_change_starts_a_settling_period_and_is_named_as_the_cause() {
    let mut run = Run::new(storm_without_trigger(0.7, 1)).expect("valid");
    run.run_until(s_to_ns(20.0));
    run.sim_mut().set("clients.load_rps", "1400").expect("valid");
    run.run_until(s_to_ns(30.0));
    run.sim_mut().set("clients.load_rps", "700").expect("valid");
    run.run_until(s_to_ns(35.0));
    let verdict = run.health();
    assert_eq!(verdict.state, HealthState::Triggered);
    assert!(verdict.reason.to_string().starts_with("the load was lowered to 700 req/s at t = 30 s"), "{verdict:?}");
    run.run_until(s_to_ns(60.0));
    let verdict = run.health();
    assert_eq!(verdict.state, HealthState::Metastable);
    let text = verdict.reason.to_string();
    assert!(text.starts_with("since the load was raised to 1400 req/s at t = 20 s"), "{text}");
}

#[test]
fn a_change_made_while_a_window_waits_for_its_fresh_run_is_not_its_cause() {
    let mut run = Run::new(preset("retry-storm")).expect("valid");
    while !run.judging() {
        run.advance_to(s_to_ns(120.0), 1_000);
        assert!(run.sim().now_s() < 120.0, "the storm never needed a fresh run");
    }
    let waiting_at = run.sim().now_s();
    run.sim_mut().set("retry.max_attempts", "3").expect("valid");
    run.advance_to(run.sim().now_ns(), u64::MAX);
    let verdict = run.verdict_at(waiting_at).expect("judged").clone();
    assert!(!verdict.reason.to_string().contains("attempt limit"), "{verdict:?}");
}
