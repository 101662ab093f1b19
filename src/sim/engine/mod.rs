//! The discrete-event engine and its API: build from a scenario, advance with an event budget,
//! apply live changes and triggers, read windows, totals and sampled lifecycles. Health is judged
//! beside the engine, by [`crate::sim::run::Run`].
//!
//! ```text
//!   clients ──d──▶ cache (LRU+TTL) ──d──▶ clients ──d──▶ backend queue ─▶ c workers
//!     ▲  │  hit: answer after hit latency + d      miss: call the backend   │
//!     │  └─ timeout T per attempt, retry with backoff+jitter if admitted     │
//!     └───────────────────────────── d ◀── answer (fills the cache) ◀──────┘
//! ```
//!
//! That is one tier. In a chain, a worker of tier k, once its own work is done, calls tier k + 1
//! exactly as the clients call tier 1 (its own timeout, retries and admission), holding the worker
//! until the call ends; the call's outcome is tier k's answer.
//!
//! The request path is split by role: `clients.rs` makes logical requests, `caller.rs` turns a
//! call into attempts, timeouts and retries, `server.rs` is a tier's cache, queue and workers.
//! `empty_cache.rs` spares the event loop the lookups and fills of a cache that holds no keys.

mod answers;
mod arrivals;
mod caller;
mod clients;
mod control;
mod empty_cache;
mod events;
mod server;
mod slab;
mod streams;
mod tier;
mod timeline;
mod trace;

pub use events::Event;
pub use timeline::Item as Scheduled;
pub use trace::{LifecycleEvent, Stage};

use crate::sim::backend::Areas;
use crate::sim::clients::Arrivals;
use crate::sim::faults::{Faults, TriggerMark};
use crate::sim::metrics::{RingBuffer, TierTotals, Totals, Window, WindowCounts};
use crate::sim::scenario::fields::{Field, FieldValue};
use crate::sim::scenario::{Scenario, ScenarioError, s_to_ns};
use answers::Answers;
use arrivals::Prepared;
use events::EventQueue;
use serde::Serialize;
use slab::{Ref, Slab};
use streams::Streams;
use tier::{Caller, Server, Tier};
use timeline::Timeline;
use trace::Trace;

/// A call: what a caller asked one tier for, across all its attempts. At tier 1 it is a logical
/// request (what the user asked for); at a later tier, a call made by a worker of the tier before.
#[derive(Clone, Debug)]
struct Call {
    /// The tier called (0 for the first).
    tier: u8,
    purpose: Purpose,
    key: u32,
    created_ns: u64,
    attempts: u32,
    previous_backoff_ns: u64,
    /// Retry tokens taken for its next attempt.
    retry_cost: f64,
}

/// Whom a call is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    /// A logical request; its id names it in the lifecycle stream. Closed loop: `from_user` when a
    /// user waits for it and thinks again when it ends.
    Request { id: u64, from_user: bool },
    /// The job on `worker` of the tier before, which waits for this call.
    Job { worker: u32 },
}

/// Who an attempt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// A logical request's call to tier 1: its slot, the request's id (which names it in the
    /// lifecycle stream), and whether a closed-loop user waits for it.
    Request { call: Ref, id: u64, from_user: bool },
    /// A later tier's call, by its slot.
    Call { call: Ref },
    /// A stale-while-revalidate refresh: nobody waits for it.
    Refresh,
}

/// One attempt at one tier. It lives while its caller waits or the tier's backend holds it,
/// whichever is longer.
#[derive(Clone, Copy, Debug)]
struct Attempt {
    origin: Origin,
    /// The tier it is sent to (0 for the first).
    tier: u8,
    key: u32,
    number: u32,
    started_ns: u64,
    deadline_ns: u64,
    /// Its timeout was scheduled by an open-loop arrival, so it comes after every other event due
    /// at its deadline (see `events.rs`); otherwise before those scheduled after it.
    timeout_last: bool,
    /// The caller still waits for this attempt (false too once its answer is known to reach the
    /// caller in time and only count: see `answers.rs`).
    waiting: bool,
    /// On its way to, or inside, the backend (a miss sent on: from its lookup).
    at_backend: bool,
    /// Its backend call is the one coalesced misses for the key wait on.
    leads: bool,
    /// Retry tokens this attempt took from the token bucket (returned if it succeeds).
    retry_cost: f64,
}

impl Attempt {
    /// Does its caller still wait when an answer, scheduled after the attempt was sent, reaches it
    /// at `at_ns`? Not if the timeout comes first.
    fn waits_at(&self, at_ns: u64) -> bool {
        self.deadline_ns > at_ns || (self.deadline_ns == at_ns && self.timeout_last)
    }
}

/// What one `advance` call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Events processed (by a [`crate::sim::run::Run`], its fresh runs' included).
    pub events: u64,
    /// Simulated time reached the target.
    pub reached: bool,
}

/// A live change of settings, for the time axis and the health judge.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangeMark {
    pub t_s: f64,
    /// The field changed.
    #[serde(serialize_with = "field_path")]
    pub field: &'static Field,
    /// Its value before and after.
    pub from: FieldValue,
    pub to: FieldValue,
}

fn field_path<S: serde::Serializer>(field: &&'static Field, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(field.path)
}

/// A running simulation.
pub struct Simulation {
    scenario: Scenario,
    now_ns: u64,
    queue: EventQueue,
    streams: Streams,
    arrivals: Arrivals,
    calls: Slab<Call>,
    attempts: Slab<Attempt>,
    next_request_id: u64,
    /// Each tier, the first first.
    tiers: Vec<Tier>,
    faults: Faults,
    /// Logical requests' counts; each tier keeps its own ledger.
    requests: Totals,
    window: WindowCounts,
    window_start_ns: u64,
    /// Busy and available worker-time of each tier at the start of the window.
    window_areas: Vec<Areas>,
    windows: RingBuffer<Window>,
    /// When the open window closes.
    window_end_ns: u64,
    /// Counts live changes of settings.
    settings_version: u64,
    /// Scheduled items still to come.
    timeline: Timeline,
    /// Answers that only count, not yet counted.
    answers: Answers,
    /// Open-loop arrivals prepared ahead.
    prepared: Prepared,
    changes: RingBuffer<ChangeMark>,
    trace: Trace,
    events_processed: u64,
}

const CHANGES_KEPT: usize = 256;

/// One tier's live state, for conservation checks and the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TierLive {
    /// Calls to it in flight, those waiting to retry included.
    pub calls_in_flight: u64,
    /// Attempts to it whose caller still waits.
    pub attempts_awaited: u64,
    pub queue_len: u64,
    /// Busy workers (a worker waiting on the tier behind is busy).
    pub in_service: u64,
    pub workers_available: u64,
    pub cache_len: u64,
    pub cache_capacity: u64,
}

impl Simulation {
    /// Builds a simulation at time zero: empty backends, caches warm or cold as the scenario says,
    /// scheduled triggers armed.
    pub fn new(scenario: Scenario) -> Result<Simulation, ScenarioError> {
        scenario.validate()?;
        let mut sim = Self::build(scenario);
        for tier in 0..sim.tiers.len() {
            if sim.scenario.tier(tier).cache.warm_start {
                sim.warm_cache(tier);
            }
        }
        Ok(sim)
    }

    /// The same settings started fresh and warm: empty backends, caches holding their hottest
    /// keys, no triggers. What the health judge compares a disturbed run with.
    pub fn fresh(scenario: &Scenario) -> Simulation {
        let mut sim = Self::build(scenario.without_timeline());
        for tier in 0..sim.tiers.len() {
            sim.warm_cache(tier);
        }
        sim
    }

    /// Fills tier `tier`'s cache with its hottest keys, expiring one TTL from now.
    fn warm_cache(&mut self, tier: usize) {
        let server = &mut self.tiers[tier].server;
        let expires_ns = self.now_ns + server.delays.ttl_ns;
        // Hottest last, so it is the most recently used.
        (0..server.cache.capacity() as u32).rev().for_each(|key| server.cache.fill(key, expires_ns));
    }

    fn build(scenario: Scenario) -> Simulation {
        let c = &scenario;
        let tiers = c.tier_count();
        let mut sim = Simulation {
            now_ns: 0,
            queue: EventQueue::new(tiers),
            streams: Streams::new(c.seed, &c.clients),
            arrivals: Arrivals::new(),
            calls: Slab::default(),
            attempts: Slab::default(),
            next_request_id: 0,
            tiers: c
                .tier_refs()
                .map(|t| Tier {
                    caller: Caller::new(&t, c.seed),
                    server: Server::new(&t, c.seed, c.cache_capacity_of(t.index)),
                    ledger: TierTotals::default(),
                })
                .collect(),
            faults: Faults::default(),
            requests: Totals::default(),
            window: WindowCounts::default(),
            window_start_ns: 0,
            window_areas: vec![Areas::default(); tiers],
            windows: RingBuffer::new(c.metrics.history_windows as usize),
            window_end_ns: 0,
            settings_version: 0,
            timeline: Timeline::default(),
            answers: Answers::default(),
            prepared: Prepared::default(),
            changes: RingBuffer::new(CHANGES_KEPT),
            trace: Trace::default(),
            events_processed: 0,
            scenario,
        };
        sim.timeline = Timeline::of(&sim.scenario);
        sim.window_end_ns = s_to_ns(sim.scenario.metrics.window_s).max(1);
        sim.queue.schedule(sim.window_end_ns, Event::WindowEnd);
        sim.restart_arrivals();
        sim
    }

    /// Processes events up to simulated time `target_ns`, at most `budget` of them. Returns early
    /// (with `reached == false`) when the budget runs out; call again to go on.
    pub fn advance_to(&mut self, target_ns: u64, budget: u64) -> Progress {
        self.advance(target_ns, budget, false)
    }

    /// Like [`Simulation::advance_to`], but also returns (with `reached == false`) right after a
    /// window closes, so that a judge can read it before anything else happens.
    pub fn advance_to_window(&mut self, target_ns: u64, budget: u64) -> Progress {
        self.advance(target_ns, budget, true)
    }

    fn advance(&mut self, target_ns: u64, budget: u64, stop_after_window: bool) -> Progress {
        let mut used = 0;
        loop {
            if used >= budget {
                self.pause();
                return Progress { events: used, reached: false };
            }
            // Events due by the next scheduled item come first; the item ends its instant.
            let due_ns = self.timeline.next_due_ns().unwrap_or(u64::MAX);
            match self.queue.pop_due(target_ns.min(due_ns)) {
                None if due_ns <= target_ns => {
                    self.now_ns = self.now_ns.max(due_ns);
                    self.queue.pass(due_ns);
                    self.apply_scheduled();
                    used += 1;
                }
                Some((time_ns, event)) => {
                    self.now_ns = time_ns;
                    let closes_window = matches!(event, Event::WindowEnd);
                    self.dispatch(event);
                    used += 1;
                    self.events_processed += 1;
                    if closes_window && stop_after_window {
                        self.pause();
                        return Progress { events: used, reached: false };
                    }
                }
                None => {
                    self.now_ns = self.now_ns.max(target_ns);
                    self.queue.pass(target_ns);
                    self.pause();
                    return Progress { events: used, reached: true };
                }
            }
        }
    }

    /// The run pauses: what is read or changed before it goes on sees every event up to now
    /// counted and every later one as an event.
    fn pause(&mut self) {
        self.settle_empty_caches();
        self.take_back_answers();
        self.take_back_arrivals(true);
    }

    /// Advances by `duration_ns` of simulated time (see [`Simulation::advance_to`]).
    pub fn advance_by(&mut self, duration_ns: u64, budget: u64) -> Progress {
        self.advance_to(self.now_ns.saturating_add(duration_ns), budget)
    }

    /// Runs to `target_ns` with no budget.
    pub fn run_until(&mut self, target_ns: u64) {
        self.advance_to(target_ns, u64::MAX);
    }

    fn dispatch(&mut self, event: Event) {
        match event {
            Event::Arrival { generation } => self.on_arrival(generation),
            Event::UserWakes => self.on_user_wakes(),
            Event::AttemptStart { call } => {
                self.issue_attempt(call);
            }
            Event::CacheLookup { attempt } => self.on_cache_lookup(attempt),
            Event::CacheReply { attempt, found } => self.on_cache_reply(attempt, found),
            Event::BackendArrival { attempt } => self.on_backend_arrival(attempt),
            Event::ServiceDone { tier, worker } => self.on_service_done(tier as usize, worker),
            Event::BackendReply { attempt, ok } => self.on_backend_reply(attempt, ok),
            Event::Fill { tier, key } => self.on_fill(tier as usize, key),
            Event::Timeout { attempt } => self.on_timeout(attempt),
            Event::TriggerEnd { id } => self.end_trigger(id),
            Event::WindowEnd => self.on_window_end(),
        }
    }

    /// Simulated time now, in nanoseconds.
    pub fn now_ns(&self) -> u64 {
        self.now_ns
    }

    /// Simulated time now, in seconds.
    pub fn now_s(&self) -> f64 {
        self.now_ns as f64 / 1e9
    }

    /// The settings in force.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Windows held, oldest first.
    pub fn windows(&self) -> impl DoubleEndedIterator<Item = &Window> + ExactSizeIterator {
        self.windows.iter()
    }

    /// Windows closed since the first `seen` (see [`Simulation::windows_closed`]).
    pub fn windows_since(&self, seen: u64) -> impl Iterator<Item = &Window> {
        self.windows.since(seen)
    }

    /// How many windows have closed since time zero.
    pub fn windows_closed(&self) -> u64 {
        self.windows.pushed()
    }

    /// Running totals since time zero.
    pub fn totals(&self) -> Totals {
        let mut totals = self.requests;
        for (ledger, tier) in totals.tiers.iter_mut().zip(&self.tiers) {
            *ledger = tier.ledger;
        }
        totals
    }

    /// Logical requests in flight, those waiting to retry included.
    pub fn logical_in_flight(&self) -> u64 {
        self.tiers[0].caller.calls_live
    }

    /// Attempts of the clients whose caller still waits for an answer.
    pub fn attempts_awaited(&self) -> u64 {
        self.tiers[0].caller.awaited
    }

    /// Tier 1's backend queue length.
    pub fn queue_len(&self) -> u64 {
        self.tiers[0].server.backend.queue_len() as u64
    }

    /// Tier 1's busy workers.
    pub fn in_service(&self) -> u64 {
        u64::from(self.tiers[0].server.backend.busy())
    }

    /// Tiers in the chain.
    pub fn tier_count(&self) -> usize {
        self.tiers.len()
    }

    /// Live state of tier `tier` (0 for the first); `None` past the last.
    pub fn tier_live(&self, tier: usize) -> Option<TierLive> {
        let Tier { caller, server, .. } = self.tiers.get(tier)?;
        Some(TierLive {
            calls_in_flight: caller.calls_live,
            attempts_awaited: caller.awaited,
            queue_len: server.backend.queue_len() as u64,
            in_service: u64::from(server.backend.busy()),
            workers_available: u64::from(server.backend.available()),
            cache_len: server.cache.len() as u64,
            cache_capacity: server.cache.capacity() as u64,
        })
    }

    /// Time integrals of tier 1's backend (busy workers, capacity, queue length) up to now.
    pub fn backend_areas(&mut self) -> Areas {
        self.tier_areas(0)
    }

    /// Time integrals of tier `tier`'s backend up to now.
    pub fn tier_areas(&mut self, tier: usize) -> Areas {
        let backend = &mut self.tiers[tier].server.backend;
        backend.touch(self.now_ns);
        backend.areas()
    }

    /// Tier 1's workers that may take work now.
    pub fn workers_available(&self) -> u32 {
        self.tiers[0].server.backend.available()
    }

    pub fn cache_len(&self) -> u64 {
        self.tiers[0].server.cache.len() as u64
    }

    pub fn cache_capacity(&self) -> u64 {
        self.tiers[0].server.cache.capacity() as u64
    }

    /// Trigger marks, oldest first.
    pub fn trigger_marks(&self) -> impl Iterator<Item = &TriggerMark> {
        self.faults.marks()
    }

    /// Live setting changes, oldest first.
    pub fn change_marks(&self) -> impl Iterator<Item = &ChangeMark> {
        self.changes.iter()
    }

    /// Is a trigger in force now?
    pub fn trigger_active(&self) -> bool {
        self.faults.any_active()
    }

    /// Counts live changes of settings since time zero: equal versions, equal settings.
    pub fn settings_version(&self) -> u64 {
        self.settings_version
    }

    /// Events processed by this run since time zero.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Samples every `every`-th logical request into the lifecycle stream (0: none).
    pub fn set_lifecycle_sampling(&mut self, every: u64) {
        self.trace.set_every(every);
    }

    /// Lifecycle events of sampled requests since the last call, oldest first (bounded).
    pub fn drain_lifecycle(&mut self) -> Vec<LifecycleEvent> {
        self.settle_empty_caches();
        self.trace.drain()
    }

    /// Bytes held by the engine's growing structures: events, requests, caches, backends,
    /// windows, and lifecycle stream.
    pub fn footprint_bytes(&self) -> usize {
        self.queue.footprint_bytes()
            + self.calls.footprint_bytes()
            + self.attempts.footprint_bytes()
            + self.tiers.iter().map(|t| t.server.footprint_bytes()).sum::<usize>()
            + self.windows.len() * (std::mem::size_of::<Window>() + 128 + 256 * self.tiers.len())
            + self.trace.footprint_bytes()
            + self.answers.footprint_bytes()
    }
}
