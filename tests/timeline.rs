//! The timeline: changes of settings scheduled in a scenario act exactly as the same change made
//! live; they are validated with errors naming the field, and travel in links.

mod common;

use metastable_playground::link::{Link, decode, encode};
use metastable_playground::sim::scenario::{ScheduledChange, ScheduledTrigger, s_to_ns};
use metastable_playground::sim::{HealthState, Run};

fn change(at_s: f64, set: &str, to: serde_json::Value) -> ScheduledChange {
    ScheduledChange { at_s, set: set.to_string(), to }
}

#[test]
fn a_scheduled_change_gives_the_same_numbers_as_the_same_change_made_live() {
    let base = common::preset("retry-storm");
    let mut scheduled = base.clone();
    scheduled.changes = vec![change(12.0, "clients.load_rps", 900.into()), change(15.0, "retries", 2.into())];
    let mut by_timeline = Run::new(scheduled).expect("valid");
    by_timeline.run_until(s_to_ns(60.0));
    let mut by_hand = Run::new(base).expect("valid");
    by_hand.run_until(s_to_ns(12.0));
    by_hand.sim_mut().set("clients.load_rps", "900").expect("valid");
    by_hand.run_until(s_to_ns(15.0));
    by_hand.sim_mut().set("retry.max_attempts", "2").expect("valid");
    by_hand.run_until(s_to_ns(60.0));
    assert!(by_timeline.judged_windows().eq(by_hand.judged_windows()));
    let marks: Vec<_> = by_timeline.sim().change_marks().map(|m| (m.t_s, m.field.path)).collect();
    assert_eq!(marks, [(12.0, "clients.load_rps"), (15.0, "retry.max_attempts")]);
}

#[test]
fn a_scheduled_change_starts_a_settling_period_named_in_the_banner() {
    let mut scenario = common::preset("retry-storm");
    scenario.triggers.clear();
    scenario.changes = vec![change(20.0, "load", 1400.into()), change(30.0, "load", 700.into())];
    let mut run = Run::new(scenario).expect("valid");
    run.run_until(s_to_ns(35.0));
    assert_eq!(run.health().state, HealthState::Triggered);
    assert!(run.health().reason.to_string().starts_with("the load was lowered to 700 req/s at t = 30 s"));
    run.run_until(s_to_ns(60.0));
    assert_eq!(run.health().state, HealthState::Metastable);
    assert!(run.health().reason.to_string().starts_with("since the load was raised to 1400 req/s at t = 20 s"));
}

#[test]
fn scheduled_changes_are_validated_naming_the_field() {
    let mut scenario = common::preset("healthy");
    for (bad, field, says) in [
        (change(10.0, "backend.wrkers", 3.into()), "changes[0].set", "not a field"),
        (change(10.0, "backend.workers", 0.into()), "changes[0].to", "backend.workers: 0 is outside 1..=100000"),
        (change(10.0, "retry.jitter", "sometimes".into()), "changes[0].to", "expected one of none, full"),
        (change(-1.0, "load", 5.into()), "changes[0].at_s", "outside"),
    ] {
        scenario.changes = vec![bad];
        let error = scenario.validate().expect_err(field);
        assert_eq!(error.field, field);
        assert!(error.message.contains(says), "{error}");
    }
}

#[test]
fn the_timeline_travels_in_links_and_reads_back_the_same() {
    let mut scenario = common::preset("retry-storm");
    scenario.changes =
        vec![change(60.0, "clients.load_rps", 500.into()), change(75.5, "cache.fill", "write_back".into())];
    scenario.triggers.push(ScheduledTrigger::parse("90:cache_flush:1:0").expect("valid"));
    let link = Link { scenario: scenario.clone(), preset: Some("retry-storm".into()), ..Link::default() };
    let text = encode(&link);
    assert!(text.contains("at=60:load=500") && text.contains("at=75.5:fill=write_back"), "{text}");
    assert!(text.contains("trigger=20:load_spike:2:10&trigger=90:cache_flush:1:0"), "{text}");
    let decoded = decode(&text);
    assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);
    assert_eq!(decoded.link.scenario.triggers, scenario.triggers);
    let resolved = |s: &metastable_playground::sim::Scenario| {
        s.changes.iter().enumerate().map(|(i, c)| (c.at_s, c.resolve(i).expect("valid"))).collect::<Vec<_>>()
    };
    assert_eq!(resolved(&decoded.link.scenario), resolved(&scenario));
    let bad = decode("v=1&at=5:warp=9&at=nonsense");
    assert_eq!(bad.link.scenario.changes, Vec::new());
    assert_eq!(bad.notices.len(), 2, "{:?}", bad.notices);
    assert!(bad.notices[0].contains("\"warp\" is not a field"), "{:?}", bad.notices);
}

#[test]
fn the_fresh_run_starts_from_the_settings_in_force_without_the_timeline() {
    let mut scenario = common::preset("retry-storm");
    scenario.changes = vec![change(5.0, "load", 2000.into())];
    assert!(scenario.without_timeline().changes.is_empty() && scenario.without_timeline().triggers.is_empty());
}
