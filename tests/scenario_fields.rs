//! Scenario validation names the field at fault; dotted paths reach every field; live changes take
//! effect at the current simulated time.

mod common;

use metastable_playground::sim::cache::capacity_for_hit_rate;
use metastable_playground::sim::scenario::fields;
use metastable_playground::sim::scenario::{Scenario, Tier, Trigger, TriggerKind, path, s_to_ns};
use metastable_playground::sim::{HealthState, Run, Simulation};

#[test]
fn out_of_range_values_are_rejected_naming_the_field() {
    for (field, value) in [
        ("backend.workers", "0"),
        ("clients.load_rps", "-5"),
        ("cache.target_hit_rate", "1.5"),
        ("retry.max_attempts", "0"),
        ("retry.breaker.failure_threshold", "2"),
        ("metrics.window_s", "0"),
    ] {
        let error = path::set(&Scenario::default(), field, value).expect_err(field);
        assert_eq!(error.field, field, "{error}");
    }
}

#[test]
fn inconsistent_values_and_unknown_fields_are_rejected() {
    let error = path::set(&Scenario::default(), "retry.cap_ms", "10").expect_err("cap below base");
    assert_eq!(error.field, "retry.cap_ms");
    assert!(error.message.contains("retry.base_ms"), "{error}");
    let error = path::set(&Scenario::default(), "backend.wokers", "3").expect_err("typo");
    assert_eq!(error.message, "no such field");
    let error = path::set(&Scenario::default(), "retry.jitter", "sometimes").expect_err("bad enum");
    assert_eq!(error.field, "retry.jitter");
    let json = r#"{"backend": {"workers": 4, "speed": 2}}"#;
    let error = serde_json::from_str::<Scenario>(json).expect_err("unknown field");
    assert!(error.to_string().contains("speed"), "{error}");
    let mut bad = Scenario::default();
    bad.triggers.push(metastable_playground::sim::scenario::ScheduledTrigger {
        at_s: 5.0,
        kind: TriggerKind::ErrorBurst,
        magnitude: 3.0,
        duration_s: 1.0,
        tier: 1,
    });
    assert_eq!(bad.validate().expect_err("fraction above 1").field, "triggers[0].magnitude");
}

#[test]
fn every_field_of_a_four_tier_chain_is_reachable_by_path() {
    let chain = Scenario { tiers: vec![Tier::default(); 3], ..Scenario::default() };
    let tree = serde_json::to_value(&chain).expect("serialisable");
    fn leaves(prefix: &str, value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                map.iter().for_each(|(k, v)| leaves(&format!("{prefix}{k}."), v, out));
            }
            // Tiers behind the first are written `tier2.`, `tier3.`, … in paths.
            serde_json::Value::Array(tiers) if prefix == "tiers." => {
                tiers.iter().enumerate().for_each(|(i, v)| leaves(&format!("tier{}.", i + 2), v, out));
            }
            serde_json::Value::Array(_) => {}
            _ => out.push(prefix.trim_end_matches('.').to_string()),
        }
    }
    let mut paths = Vec::new();
    leaves("", &tree, &mut paths);
    assert!(paths.len() > 4 * 40, "only {} fields", paths.len());
    // The field table declares every leaf, once.
    let mut declared: Vec<&str> = fields::all().map(|f| f.path).collect();
    declared.sort_unstable();
    let mut leaves_sorted: Vec<&str> = paths.iter().map(String::as_str).collect();
    leaves_sorted.sort_unstable();
    assert_eq!(declared, leaves_sorted);
    for p in paths {
        let current = path::get(&chain, &p).expect("readable");
        let text = fields::find(&p).expect("declared").text(&current);
        let again = path::set(&chain, &p, &text).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(again, chain, "{p}");
    }
}

#[test]
fn the_default_scenario_round_trips_through_json() {
    let text = serde_json::to_string(&Scenario::default()).expect("serialisable");
    assert_eq!(serde_json::from_str::<Scenario>(&text).expect("readable"), Scenario::default());
    assert_eq!(serde_json::from_str::<Scenario>("{}").expect("all defaults"), Scenario::default());
}

#[test]
fn cache_capacity_is_the_smallest_top_k_carrying_the_target_mass() {
    // Zipf(1) over 4 keys: masses 12/25, 6/25, 4/25, 3/25; cumulative .48, .72, .88, 1.
    assert_eq!(capacity_for_hit_rate(4, 1.0, 0.0), 0);
    assert_eq!(capacity_for_hit_rate(4, 1.0, 0.48), 1);
    assert_eq!(capacity_for_hit_rate(4, 1.0, 0.5), 2);
    assert_eq!(capacity_for_hit_rate(4, 1.0, 0.88), 3);
    assert_eq!(capacity_for_hit_rate(4, 1.0, 0.9), 4);
    assert_eq!(capacity_for_hit_rate(4, 1.0, 1.0), 4);
}

#[test]
fn raising_the_load_mid_run_changes_offered_load_in_the_next_window() {
    let mut sim = Simulation::new(common::preset("healthy")).expect("valid");
    sim.run_until(s_to_ns(10.0));
    sim.set("clients.load_rps", "4000").expect("valid");
    sim.run_until(s_to_ns(12.0));
    let next = common::windows_between(&sim, 11.0, 11.0);
    assert!((next[0].offered_rps - 4000.0).abs() < 250.0, "offered {}", next[0].offered_rps);
    assert_eq!(sim.change_marks().count(), 1);
}

#[test]
fn a_live_trigger_starts_now_and_ends_after_its_duration() {
    let mut run = Run::new(common::preset("healthy")).expect("valid");
    run.run_until(s_to_ns(5.0));
    run.sim_mut()
        .fire(Trigger { kind: TriggerKind::LoadSpike, magnitude: 2.0, duration_s: 3.0, tier: 1 })
        .expect("valid");
    run.run_until(s_to_ns(6.0));
    assert_eq!(common::health_at(&run, 6.0), HealthState::Triggered);
    let sim = run.sim_mut();
    assert!(sim.trigger_active());
    sim.run_until(s_to_ns(9.0));
    assert!(!sim.trigger_active());
    let mark = sim.trigger_marks().next().expect("a mark");
    assert_eq!((mark.start_s, mark.end_s), (5.0, Some(8.0)));
    let spiked = common::windows_between(sim, 7.0, 7.0)[0].offered_rps;
    assert!((spiked - 5000.0).abs() < 300.0, "offered {spiked}");
    let error = sim.fire(Trigger { kind: TriggerKind::CapacityLoss, magnitude: 2.0, duration_s: 1.0, tier: 1 });
    assert_eq!(error.expect_err("fraction above 1").field, "magnitude");
    // An empty box reaches the engine as not a number, and is called that.
    let mut empty = |magnitude, duration_s| {
        let trigger = Trigger { kind: TriggerKind::LoadSpike, magnitude, duration_s, tier: 1 };
        sim.fire(trigger).expect_err("not a number").to_string()
    };
    assert_eq!(empty(f64::NAN, 1.0), "magnitude: not a number; give one between 0 and 1000");
    assert_eq!(empty(2.0, f64::NAN), "duration_s: not a number; give one between 0 and 86400");
    assert_eq!(empty(2.0, -1.0), "duration_s: -1 is not between 0 and 86400");
}

#[test]
fn capacity_loss_and_error_burst_do_what_they_say() {
    let mut sim = Simulation::new(common::preset("healthy")).expect("valid");
    sim.run_until(s_to_ns(5.0));
    sim.fire(Trigger { kind: TriggerKind::CapacityLoss, magnitude: 0.5, duration_s: 2.0, tier: 1 }).expect("valid");
    sim.run_until(s_to_ns(5.5));
    assert_eq!(sim.workers_available(), 5);
    sim.run_until(s_to_ns(8.0));
    assert_eq!(sim.workers_available(), 10);
    sim.fire(Trigger { kind: TriggerKind::ErrorBurst, magnitude: 1.0, duration_s: 2.0, tier: 1 }).expect("valid");
    sim.run_until(s_to_ns(10.0));
    let burst = &common::windows_between(&sim, 10.0, 10.0)[0];
    assert_eq!(burst.backend_completions_rps, 0.0);
    assert!(burst.errors_rps > 500.0, "errors {}", burst.errors_rps);
}

#[test]
fn an_event_budget_time_slices_without_changing_the_numbers() {
    let scenario = common::preset("retry-storm");
    let whole = common::judged(scenario.clone(), 60.0);
    let mut sliced = Run::new(scenario).expect("valid");
    let mut calls = 0;
    while !sliced.advance_to(s_to_ns(60.0), 5_000).reached {
        calls += 1;
    }
    assert!(calls > 100, "only {calls} slices");
    assert!(whole.judged_windows().eq(sliced.judged_windows()));
    assert_eq!(whole.judged_windows().count(), 60);
}

#[test]
fn the_lifecycle_stream_is_sampled_and_bounded() {
    let mut sim = Simulation::new(common::preset("retry-storm")).expect("valid");
    sim.set_lifecycle_sampling(10);
    sim.run_until(s_to_ns(2.0));
    let events = sim.drain_lifecycle();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e.request % 10 == 0));
    assert!(sim.drain_lifecycle().is_empty(), "drained twice");
    sim.run_until(s_to_ns(60.0));
    assert!(sim.drain_lifecycle().len() <= 4096);
}

#[test]
fn trigger_marks_are_labelled_by_kind_and_size() {
    let mut sim = Simulation::new(common::preset("healthy")).expect("valid");
    for (kind, magnitude) in [
        (TriggerKind::LoadSpike, 2.5),
        (TriggerKind::CapacityLoss, 0.5),
        (TriggerKind::CacheFlush, 1.0),
        // A map's axis can give a size like 13/7: rounded for reading.
        (TriggerKind::BackendSlowdown, 13.0 / 7.0),
    ] {
        sim.fire(Trigger { kind, magnitude, duration_s: 1.0, tier: 1 }).expect("valid");
    }
    let labels: Vec<String> = sim.trigger_marks().map(|m| m.label()).collect();
    assert_eq!(labels, ["load spike ×2.5", "capacity loss 50 %", "cache flush", "backend slowdown ×1.86"]);
}

#[test]
fn without_a_cache_requests_go_straight_to_the_backend() {
    let mut scenario = common::preset("healthy");
    scenario.clients.load_rps = 500.0;
    scenario.cache.enabled = false;
    let without = common::run(scenario.clone(), 30.0);
    let windows = common::windows_between(&without, 5.0, 30.0);
    assert!(windows.iter().all(|w| w.cache_hit_rate.is_none() && w.cache_capacity == 0));
    // Every attempt reaches the backend, bar those still on the 1 ms hop there.
    let totals = without.totals();
    let first = totals.first();
    assert!(first.attempts - first.backend_arrivals < 10, "{totals:?}");
    assert_eq!(first.cache_hits + first.cache_misses, 0);
    // With a cache that never hits, every attempt also pays the hop there and back and the lookup:
    // 1 + 1 + 1 ms.
    scenario.cache.enabled = true;
    scenario.cache.target_hit_rate = 0.0;
    let missing = common::run(scenario, 30.0);
    let mean = |sim: &Simulation| {
        let w = common::windows_between(sim, 5.0, 30.0);
        w.iter().filter_map(|w| w.mean_ms).sum::<f64>() / w.len() as f64
    };
    let extra_ms = mean(&missing) - mean(&without);
    assert!((extra_ms - 3.0).abs() < 0.5, "a cache miss adds {extra_ms} ms");
}

#[test]
fn the_warm_hit_rate_formula_matches_the_measured_hit_rate() {
    use metastable_playground::sim::health::demand::scenario_warm_hit_rate;
    for (target, ttl_s, zipf_s, load_rps) in
        [(0.8, 60.0, 1.0, 2500.0), (0.5, 60.0, 0.8, 2000.0), (0.9, 5.0, 1.0, 1000.0), (0.95, 60.0, 1.2, 6000.0)]
    {
        let mut scenario = common::preset("healthy");
        scenario.cache.target_hit_rate = target;
        scenario.cache.ttl_s = ttl_s;
        scenario.clients.zipf_s = zipf_s;
        scenario.clients.load_rps = load_rps;
        scenario.backend.workers = 100;
        let sim = common::run(scenario.clone(), 120.0);
        let windows = common::windows_between(&sim, 60.0, 120.0);
        let measured = windows.iter().filter_map(|w| w.cache_hit_rate).sum::<f64>() / windows.len() as f64;
        let predicted = scenario_warm_hit_rate(&scenario);
        assert!(
            (measured - predicted).abs() < 0.02,
            "target {target}, ttl {ttl_s}: measured {measured}, predicted {predicted}"
        );
    }
}

#[test]
fn the_field_reference_in_the_docs_is_the_field_table() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/model.md")).expect("docs/model.md");
    let table = fields::reference_table();
    assert!(docs.contains(&table), "docs/model.md differs from `simulate fields`; paste its output:\n{table}");
}

#[test]
fn a_choice_is_taken_by_its_name_or_its_controls_label_in_any_case() {
    use metastable_playground::sim::scenario::fields::{FieldValue, find};
    let backoff = find("retry.backoff").expect("a field");
    for text in ["constant", "Constant", "CONSTANT"] {
        assert_eq!(backoff.parse(text).ok(), Some(FieldValue::Choice("constant")), "{text}");
    }
    let fill = find("cache.fill").expect("a field");
    let label = fill.choices().iter().find(|(name, _)| *name == "write_back").expect("write-back").1;
    assert_eq!(fill.parse(&label.to_uppercase()).ok(), Some(FieldValue::Choice("write_back")), "{label}");
    assert!(backoff.parse("sometimes").expect_err("no such choice").message.contains("expected one of"));
}
