//! Open-loop arrivals are prepared ahead, several per turn of the event loop, and taken back when
//! the run pauses or the arrival rate changes. These tests hold them to a run traced throughout,
//! whose every arrival is an event.

mod common;

use metastable_playground::sim::Simulation;
use metastable_playground::sim::scenario::{Scenario, ScheduledTrigger, TriggerKind, ms_to_ns, s_to_ns};

/// 6000 req/s against a cache that holds keys, with a load spike whose start and end fall between
/// arrivals prepared ahead, and a change of load on the timeline.
fn scenario() -> Scenario {
    let mut scenario = Scenario::default();
    scenario.clients.load_rps = 6000.0;
    scenario.backend.workers = 40;
    let spike =
        ScheduledTrigger { at_s: 5.0004, kind: TriggerKind::LoadSpike, magnitude: 1.5, duration_s: 3.0007, tier: 1 };
    scenario.triggers = vec![spike];
    scenario.changes.push(serde_json::from_str(r#"{"at_s": 12.0003, "set": "load", "to": 4000}"#).expect("a change"));
    scenario.validate().expect("valid");
    scenario
}

/// `scenario` traced throughout: no arrival is prepared.
fn traced(scenario: &Scenario) -> Simulation {
    let mut sim = Simulation::new(scenario.clone()).expect("valid");
    sim.set_lifecycle_sampling(1);
    sim
}

/// Runs `sim` to `to_s` in steps of 1 ms, dropping its lifecycle stream.
fn run_traced(sim: &mut Simulation, to_s: f64) {
    while sim.now_ns() < s_to_ns(to_s) {
        sim.run_until((sim.now_ns() + ms_to_ns(1.0)).min(s_to_ns(to_s)));
        sim.drain_lifecycle();
    }
}

#[test]
fn prepared_arrivals_give_the_numbers_of_arrivals_as_events() {
    let scenario = scenario();
    let mut prepared = Simulation::new(scenario.clone()).expect("valid");
    prepared.run_until(s_to_ns(20.0));
    let mut events = traced(&scenario);
    run_traced(&mut events, 20.0);
    assert_eq!(prepared.totals(), events.totals());
    assert!(prepared.windows().eq(events.windows()), "the windows differ");
    let created = prepared.totals().created;
    assert!(
        prepared.events_processed() + created / 2 < events.events_processed(),
        "too few arrivals prepared: {} events against {} for {created} requests",
        prepared.events_processed(),
        events.events_processed()
    );
}

#[test]
fn pauses_and_live_changes_take_back_arrivals_still_to_come() {
    // Pauses every 0.77 ms (arrivals are prepared up to 2 ms ahead), with budgets that stop
    // between events: what is read at each pause is what the events give. Then a change that
    // arrivals read when they start (the hop to the cache) but that leaves the clients alone.
    let scenario = scenario();
    let (mut paused, mut events) = (Simulation::new(scenario.clone()).expect("valid"), traced(&scenario));
    let mut step = 0;
    while paused.now_ns() < s_to_ns(3.0) {
        let to = (paused.now_ns() + ms_to_ns(0.77)).min(s_to_ns(3.0));
        while !paused.advance_to(to, 41 + step % 7).reached {}
        events.run_until(to);
        events.drain_lifecycle();
        assert_eq!(paused.totals(), events.totals(), "totals at {} ns", paused.now_ns());
        assert_eq!(paused.tier_live(0), events.tier_live(0), "tier 1 at {} ns", paused.now_ns());
        step += 1;
    }
    for sim in [&mut paused, &mut events] {
        sim.set("network.cache_ms", "3").expect("valid");
    }
    paused.run_until(s_to_ns(15.0));
    run_traced(&mut events, 15.0);
    assert_eq!(paused.totals(), events.totals());
    assert!(paused.windows().eq(events.windows()), "the windows differ");
}

#[test]
fn arrivals_that_schedule_with_no_delay_are_not_taken_back_once_arrived() {
    // With no network delay and an instant cache, an arrival's lookup and its miss's arrival at the
    // backend fall on the arrival's nanosecond, the latter scheduled with a lower place than the
    // lookup's (what arrivals schedule comes last): budgets that stop there must not take back an
    // arrival whose lookup has happened.
    let mut scenario = Scenario::default();
    scenario.clients.load_rps = 400.0;
    scenario.cache.target_hit_rate = 0.5;
    (scenario.network.cache_ms, scenario.network.backend_ms, scenario.cache.hit_latency_ms) = (0.0, 0.0, 0.0);
    scenario.validate().expect("valid");
    let mut whole = Simulation::new(scenario.clone()).expect("valid");
    whole.run_until(s_to_ns(3.0));
    let mut cut = Simulation::new(scenario).expect("valid");
    let mut step = 0;
    while !cut.advance_to(s_to_ns(3.0), 1 + step % 13).reached {
        step += 1;
    }
    assert_eq!(whole.totals(), cut.totals());
    assert!(whole.windows().eq(cut.windows()), "the windows differ");
}
