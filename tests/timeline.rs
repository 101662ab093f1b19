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
        (change(10.0, "backend.workers", 0.into()), "changes[0].to", "backend.workers: 0 is not between 1 and 100000"),
        (change(10.0, "retry.jitter", "sometimes".into()), "changes[0].to", "expected one of none, full"),
        (change(10.0, "retry.jitter", 1e12.into()), "changes[0].to", "cannot take \"1000000000000\""),
        (change(-1.0, "load", 5.into()), "changes[0].at_s", "not between"),
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

#[test]
fn a_recorded_session_replays_to_the_same_numbers() {
    use metastable_playground::sim::{Trigger, TriggerKind};
    let base = common::preset("healthy");
    let mut live = Run::new(base.clone()).expect("valid");
    let mut recorded = base;
    // Changes at an arbitrary instant and on a window boundary, and a trigger fired by hand.
    live.run_until(12_345_678_901);
    live.sim_mut().set("clients.load_rps", "3300").expect("valid");
    recorded.changes.push(change(live.sim().now_s(), "clients.load_rps", 3300.into()));
    live.run_until(s_to_ns(15.0));
    live.sim_mut().set("backend.workers", "9").expect("valid");
    recorded.changes.push(change(live.sim().now_s(), "backend.workers", 9.into()));
    live.run_until(20_500_000_000);
    live.sim_mut()
        .fire(Trigger { kind: TriggerKind::LoadSpike, magnitude: 1.5, duration_s: 5.0, tier: 1 })
        .expect("valid");
    recorded.triggers.push(ScheduledTrigger {
        at_s: live.sim().now_s(),
        kind: TriggerKind::LoadSpike,
        magnitude: 1.5,
        duration_s: 5.0,
        tier: 1,
    });
    live.run_until(s_to_ns(40.0));
    let mut replay = Run::new(recorded).expect("valid");
    replay.run_until(s_to_ns(40.0));
    assert!(live.judged_windows().eq(replay.judged_windows()));
    assert_eq!(live.sim().totals(), replay.sim().totals());
}

#[test]
fn items_scheduled_during_a_run_take_effect_later_and_can_be_taken_back() {
    use metastable_playground::sim::engine::Scheduled;
    let mut run = Run::new(common::preset("healthy")).expect("valid");
    run.run_until(s_to_ns(10.0));
    let past = run.sim_mut().schedule_change(change(5.0, "load", 100.into()));
    assert_eq!(past.expect_err("in the past").field, "at_s");
    run.sim_mut().schedule_change(change(12.0, "load", 1000.into())).expect("later");
    run.sim_mut().schedule_change(change(14.0, "load", 4000.into())).expect("later");
    // The same change at the same time again would do nothing: refused.
    let refused = run.sim_mut().schedule_change(change(12.0, "load", 1000.into())).expect_err("already scheduled");
    assert_eq!((refused.field.as_str(), refused.message.as_str()), ("at_s", "already on the timeline"));
    run.sim_mut().schedule_change(change(12.0, "load", 1001.into())).expect("another value");
    run.sim_mut().unschedule(Scheduled::Change(2));
    run.sim_mut().schedule_trigger(ScheduledTrigger::parse("13:error_burst:1:1").expect("valid")).expect("later");
    let upcoming: Vec<_> = run.sim().upcoming().collect();
    assert_eq!(upcoming, [(12.0, Scheduled::Change(0)), (13.0, Scheduled::Trigger(0)), (14.0, Scheduled::Change(1))]);
    run.sim_mut().unschedule(Scheduled::Change(1));
    run.run_until(s_to_ns(20.0));
    let offered: Vec<f64> = run.sim().windows().skip(12).map(|w| w.offered_rps).collect();
    assert!(offered.iter().all(|&o| (850.0..1150.0).contains(&o)), "{offered:?}");
    let errors = run.sim().windows().nth(13).expect("window 14").errors_rps;
    assert!(errors > 100.0, "the error burst fired: {errors}");
    assert_eq!(run.sim().scenario().changes.len(), 1);
}

#[test]
fn scheduling_while_an_item_is_due_now_keeps_that_item() {
    use metastable_playground::sim::Simulation;
    let mut scenario = common::preset("healthy");
    scenario.changes = vec![change(10.0, "load", 1000.into())];
    let mut sim = Simulation::new(scenario).expect("valid");
    // Stop right after the window that closes at 10 s, before the change due then.
    while sim.windows_closed() < 10 {
        sim.advance_to_window(s_to_ns(10.0), u64::MAX);
    }
    assert_eq!(sim.now_ns(), s_to_ns(10.0));
    assert_eq!(sim.change_marks().count(), 0);
    sim.schedule_change(change(15.0, "load", 2000.into())).expect("later");
    sim.run_until(s_to_ns(20.0));
    let marks: Vec<_> = sim.change_marks().map(|m| m.t_s).collect();
    assert_eq!(marks, [10.0, 15.0]);
}

#[test]
fn a_slider_drag_leaves_one_change_mark_where_it_began_with_the_value_let_go_at() {
    use metastable_playground::sim::scenario::fields::FieldValue;
    let mut run = Run::new(common::preset("retry-storm")).expect("valid");
    run.run_until(s_to_ns(5.0));
    run.sim_mut().set("clients.load_rps", "800").expect("valid");
    for (t_s, load) in [(5.2, "1000"), (5.4, "1500"), (5.6, "3100")] {
        run.run_until(s_to_ns(t_s));
        run.sim_mut().set_continuing("clients.load_rps", load).expect("valid");
    }
    assert_eq!(run.sim().scenario().clients.load_rps, 3100.0);
    // Another field's move is a change of its own, and a later drag of the load starts afresh.
    run.sim_mut().set_continuing("retry.max_attempts", "2").expect("valid");
    run.run_until(s_to_ns(8.0));
    run.sim_mut().set_continuing("clients.load_rps", "700").expect("valid");
    let marks: Vec<_> = run.sim().change_marks().map(|m| (m.t_s, m.field.path, m.from.clone(), m.to.clone())).collect();
    let load = |v: f64| FieldValue::Number(v);
    assert_eq!(marks.len(), 3, "{marks:?}");
    // The drag's mark stays where the drag began.
    assert_eq!(marks[0], (5.0, "clients.load_rps", load(700.0), load(3100.0)));
    assert_eq!((marks[1].0, marks[1].1), (5.6, "retry.max_attempts"));
    assert_eq!(marks[2], (8.0, "clients.load_rps", load(3100.0), load(700.0)));
}
