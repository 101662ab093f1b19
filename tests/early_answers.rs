//! An answer that only counts (a hit's or a successful backend reply that reaches an untraced
//! open-loop client in time, under an admission policy that ignores successes) and a look-aside
//! fill need no turn of the event loop: each keeps its place in the order of events and is
//! counted, or applied, once that place has passed. A pause makes those still to come events
//! again. These tests hold the shortcut to the events: a run traced throughout (whose answers are
//! all events) and paused every 0.3 ms (so its fills on their way are taken back as events) must
//! give the numbers of a run that takes every shortcut.

mod common;

use metastable_playground::sim::Simulation;
use metastable_playground::sim::scenario::{Scenario, Tier, ms_to_ns, s_to_ns};

/// The landing preset (hits, misses, fills, and a cache restart at 20 s) with `load_rps` and a
/// timeout short enough that some answers miss it.
fn cache_restart(load_rps: f64) -> Scenario {
    let mut scenario = common::preset("cache-restart");
    scenario.clients.load_rps = load_rps;
    scenario
}

/// Two tiers with caches that hold keys: tier 1 far from its cache and backend (1 ms and 5 ms),
/// tier 2 near (0.1 ms).
fn chain() -> Scenario {
    let mut scenario = Scenario::default();
    scenario.clients.load_rps = 3000.0;
    (scenario.network.cache_ms, scenario.network.backend_ms) = (1.0, 5.0);
    let mut tier2 = Tier::default();
    (tier2.network.cache_ms, tier2.network.backend_ms) = (0.1, 0.1);
    scenario.tiers = vec![tier2];
    scenario.validate().expect("valid");
    scenario
}

/// `scenario` run to `to_s` in one advance, with no lifecycle stream: every shortcut taken.
fn whole(scenario: &Scenario, to_s: f64) -> Simulation {
    let mut sim = Simulation::new(scenario.clone()).expect("valid");
    sim.run_until(s_to_ns(to_s));
    sim
}

/// `scenario` run to `to_s` traced throughout, paused every 0.3 ms (less than a hop to the cache):
/// every answer is an event, and the fills on their way at each pause become events.
fn as_events(scenario: &Scenario, to_s: f64, mut at_pause: impl FnMut(&mut Simulation)) -> Simulation {
    let mut sim = Simulation::new(scenario.clone()).expect("valid");
    sim.set_lifecycle_sampling(1);
    while sim.now_ns() < s_to_ns(to_s) {
        sim.run_until((sim.now_ns() + ms_to_ns(0.3)).min(s_to_ns(to_s)));
        sim.drain_lifecycle();
        at_pause(&mut sim);
    }
    sim
}

#[test]
fn answers_and_fills_count_as_their_events_would() {
    let mut plain = Scenario::default();
    plain.clients.load_rps = 4000.0;
    let scenarios = [
        ("cache-restart at 3000 req/s", cache_restart(3000.0)),
        ("cache-restart at 7000 req/s", cache_restart(7000.0)),
        ("4000 req/s", plain),
        // Errors to last attempts: the backend refuses what its queue cannot hold.
        ("retry-storm", common::preset("retry-storm")),
        // Two tiers whose caches fill after different delays: fills due in a different order
        // from the one they were sent in.
        ("a chain", chain()),
    ];
    for (name, scenario) in scenarios {
        let shortcut = whole(&scenario, 30.0);
        let events = as_events(&scenario, 30.0, |_| {});
        assert_eq!(shortcut.totals(), events.totals(), "{name}: totals");
        assert!(shortcut.windows().eq(events.windows()), "{name}: the windows differ");
        let saved = events.events_processed() - shortcut.events_processed();
        assert!(saved > 5_000, "{name}: the shortcut saved only {saved} events");
    }
}

#[test]
fn errors_to_last_attempts_only_count() {
    // In the retry storm the backend refuses attempts; those refused on their last attempt end
    // their requests, and need no turn of the event loop.
    let scenario = common::preset("retry-storm");
    let shortcut = whole(&scenario, 30.0);
    let failed = shortcut.totals().failed;
    assert!(failed > 5_000, "only {failed} requests failed");
    let events = as_events(&scenario, 30.0, |_| {});
    let saved = events.events_processed() - shortcut.events_processed();
    let successes = shortcut.totals().tiers[0].attempt_successes;
    assert!(saved > successes + failed / 4, "saved {saved} events: {successes} successes, {failed} failed requests");
}

#[test]
fn advances_cut_anywhere_count_each_answer_in_its_window() {
    let scenario = cache_restart(5000.0);
    let whole = whole(&scenario, 30.0);
    // An event budget of 37 stops advances between events of one instant, too.
    let mut cut = Simulation::new(scenario).expect("valid");
    while !cut.advance_to(s_to_ns(30.0), 37).reached {}
    assert_eq!(whole.totals(), cut.totals());
    assert!(whole.windows().eq(cut.windows()), "the windows differ");
}

#[test]
fn a_policy_that_hears_of_successes_hears_of_answers_still_on_their_way() {
    // A token bucket switched on at 3 s gets a token back for every success from then on, those
    // answered before and still on their way included.
    let scenario = cache_restart(5000.0);
    let switch = |sim: &mut Simulation| {
        if sim.now_ns() == s_to_ns(3.0) {
            sim.set("retry.admission", "token_bucket").expect("valid");
        }
    };
    let mut shortcut = Simulation::new(scenario.clone()).expect("valid");
    shortcut.run_until(s_to_ns(3.0));
    switch(&mut shortcut);
    shortcut.run_until(s_to_ns(30.0));
    let mut events = Simulation::new(scenario).expect("valid");
    events.set_lifecycle_sampling(1);
    events.run_until(s_to_ns(3.0));
    switch(&mut events);
    events.run_until(s_to_ns(30.0));
    assert_eq!(shortcut.totals(), events.totals());
    assert!(shortcut.windows().eq(events.windows()), "the windows differ");
    let tokens: Vec<f64> = shortcut.windows().filter_map(|w| w.retry_tokens).collect();
    assert!(tokens.iter().any(|&t| t > 0.0), "the bucket never held a token: {tokens:?}");
}

#[test]
fn scheduled_changes_and_closed_loops_give_the_numbers_of_events() {
    // A change of admission on the timeline, a closed loop, and a circuit breaker: the shortcut
    // must step aside for each.
    let mut scheduled = cache_restart(5000.0);
    scheduled.changes.push(
        serde_json::from_str(r#"{"at_s": 12.5, "set": "retry.admission", "to": "token_bucket"}"#).expect("a change"),
    );
    let mut closed = cache_restart(5000.0);
    closed.clients.mode = metastable_playground::sim::scenario::LoopMode::Closed;
    closed.clients.users = 400;
    let mut breaker = cache_restart(5000.0);
    breaker.retry.admission = metastable_playground::sim::scenario::AdmissionKind::CircuitBreaker;
    for (name, scenario) in [("scheduled", scheduled), ("closed", closed), ("breaker", breaker)] {
        scenario.validate().expect("valid");
        let shortcut = whole(&scenario, 25.0);
        let events = as_events(&scenario, 25.0, |_| {});
        assert_eq!(shortcut.totals(), events.totals(), "{name}: totals");
        assert!(shortcut.windows().eq(events.windows()), "{name}: the windows differ");
    }
}

#[test]
fn answers_on_their_way_when_tracing_starts_are_traced() {
    // Tracing every request from 4 s on must give, from then on, the stream of a run traced from
    // the start: the answers on their way at 4 s, known to only count, are traced after all.
    let scenario = cache_restart(5000.0);
    let stream_from = |start_s: f64| {
        let mut sim = Simulation::new(scenario.clone()).expect("valid");
        if start_s == 0.0 {
            sim.set_lifecycle_sampling(1);
        }
        sim.run_until(s_to_ns(4.0));
        sim.drain_lifecycle();
        sim.set_lifecycle_sampling(1);
        let mut stream = Vec::new();
        while sim.now_ns() < s_to_ns(4.1) {
            sim.run_until(sim.now_ns() + ms_to_ns(1.0));
            stream.extend(sim.drain_lifecycle());
        }
        stream
    };
    let (from_start, from_four) = (stream_from(0.0), stream_from(4.0));
    assert!(from_start.len() > 1000, "only {} lifecycle events", from_start.len());
    assert_eq!(from_start, from_four);
}
