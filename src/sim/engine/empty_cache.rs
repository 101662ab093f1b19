//! A cache that holds no keys (capacity 0: a target hit rate of 0) misses every lookup and keeps
//! no fill, whatever happens in between, so neither needs a turn of the event loop.
//!
//! - An attempt sent to such a cache, without coalescing, goes straight on: its miss reaches the
//!   backend as one event, scheduled when the attempt is sent, exactly when the lookup would have
//!   sent it. The lookup keeps its place in the order of events (reserved when the attempt is sent)
//!   and is counted, and traced, once that place has passed.
//! - A fill to such a cache is only kept aside with its place, until that place has passed.
//!
//! A live change of what a lookup or a fill reads when it happens (the cache's size, how soon it
//! answers, the hop to the backend, coalescing) takes back those whose place is still to come:
//! they happen as events after all, in their places, under the settings then in force. So the run
//! is the one the events would give.

use super::events::{Event, Lane};
use super::slab::Ref;
use super::tier::Server;
use super::{LifecycleEvent, Simulation, Stage};
use std::collections::VecDeque;

/// How many lookups a tier keeps aside before those whose places have passed are counted: keeps
/// the list short, and in the processor's nearest cache.
const SETTLE_AT: usize = 64;

/// Lookups and fills of one tier's empty cache whose places may still be to come.
#[derive(Clone, Debug, Default)]
pub(super) struct Foregone {
    misses: VecDeque<Miss>,
    /// Each fill's place and key.
    fills: VecDeque<(u128, u32)>,
    /// The latest instant of a lookup that is an event. Until it has passed, no attempt passes the
    /// cache: a miss sent on from such a lookup must not reach its lane behind a passed attempt's
    /// later arrival, or it would leave the lane, where a live change recalls it (`recall_misses`).
    lookups_due_ns: u64,
}

/// A lookup known to miss.
#[derive(Clone, Copy, Debug)]
struct Miss {
    place: u128,
    attempt: Ref,
    /// The logical request, for the lifecycle stream (a client's attempt), and the attempt's number.
    traced: Option<u64>,
    number: u32,
}

/// When a miss known at the send happens: its lookup, and its arrival at the backend.
#[derive(Clone, Copy, Debug)]
pub(super) struct Passed {
    lookup_ns: u64,
    arrival_ns: u64,
}

impl Foregone {
    /// A lookup at `at_ns` is an event.
    #[inline]
    pub fn lookup_event_at(&mut self, at_ns: u64) {
        self.lookups_due_ns = self.lookups_due_ns.max(at_ns);
    }

    pub fn footprint_bytes(&self) -> usize {
        self.misses.capacity() * size_of::<Miss>() + self.fills.capacity() * size_of::<(u128, u32)>()
    }
}

impl Server {
    /// An attempt sent now to this server, over a hop of `hop_ns`, that times out at `deadline_ns`:
    /// when its cache holds no keys and the miss would be sent on to the backend, when the lookup
    /// and the arrival happen. `None`: the attempt looks up as usual (its timeout may come before
    /// the miss reaches its caller, and then the lookup decides). `timeout_last`: the timeout comes
    /// after the miss's reply if they fall on one nanosecond.
    #[inline]
    pub fn pass_empty_cache(&self, now_ns: u64, hop_ns: u64, deadline_ns: u64, timeout_last: bool) -> Option<Passed> {
        if self.cache.capacity() != 0 || self.cache_config.coalescing || hop_ns == 0 {
            return None;
        }
        if self.foregone.lookups_due_ns >= now_ns {
            return None;
        }
        let lookup_ns = now_ns + hop_ns;
        let reply_ns = lookup_ns + self.delays.cache_reply_ns;
        let waits = deadline_ns > reply_ns || (deadline_ns == reply_ns && timeout_last);
        waits.then_some(Passed { lookup_ns, arrival_ns: reply_ns + self.delays.backend_hop_ns })
    }
}

impl Simulation {
    /// Attempt `r` (number `number`, of logical request `traced` if a client's), just sent to
    /// `tier`, passes its empty cache: its lookup keeps its place, and its miss reaches the backend.
    /// The attempt is marked as at the backend already.
    pub(super) fn foregone_miss(&mut self, tier: usize, r: Ref, traced: Option<u64>, number: u32, passed: Passed) {
        let place = self.queue.reserve(passed.lookup_ns);
        let misses = &mut self.tiers[tier].server.foregone.misses;
        misses.push_back(Miss { place, attempt: r, traced, number });
        if misses.len() >= SETTLE_AT {
            self.settle_empty_cache(tier);
        }
        self.queue.schedule_in(Lane::MissHop(tier), passed.arrival_ns, Event::BackendArrival { attempt: r });
    }

    /// Keeps aside a fill of `key` due at `at_ns` when `tier`'s cache holds no keys: returns
    /// whether it did (if not, schedule the fill).
    #[inline]
    pub(super) fn pass_empty_fill(&mut self, tier: usize, key: u32, at_ns: u64) -> bool {
        if self.tiers[tier].server.cache.capacity() != 0 {
            return false;
        }
        let place = self.queue.reserve(at_ns);
        self.tiers[tier].server.foregone.fills.push_back((place, key));
        true
    }

    /// Counts and traces the lookups of `tier` whose places have passed, and forgets its fills
    /// whose places have passed. Done at the end of each advance and before a window closes (so a
    /// list holds at most a window's worth), not at each send.
    fn settle_empty_cache(&mut self, tier: usize) {
        let horizon = self.queue.horizon();
        let t = &mut self.tiers[tier];
        let foregone = &mut t.server.foregone;
        while let Some(miss) = foregone.misses.front().copied().filter(|m| m.place <= horizon) {
            foregone.misses.pop_front();
            t.ledger.cache_misses += 1;
            if let Some(request) = miss.traced
                && self.trace.samples(request)
            {
                let (t_ns, attempt) = ((miss.place >> 64) as u64, miss.number);
                self.trace.push(LifecycleEvent { t_ns, request, attempt, stage: Stage::CacheMiss });
            }
        }
        while foregone.fills.front().is_some_and(|&(place, _)| place <= horizon) {
            foregone.fills.pop_front();
        }
    }

    /// Settles every tier (see [`Simulation::settle_empty_cache`]): before the ledgers or the
    /// lifecycle stream are read, and before a traced stage is noted.
    pub(super) fn settle_empty_caches(&mut self) {
        for tier in 0..self.tiers.len() {
            self.settle_empty_cache(tier);
        }
    }

    /// What the lookups and fills of `tier` read is about to change: those whose places are still
    /// to come are scheduled as events in those places. Returns whether any lookup was taken back
    /// (its miss's arrival at the backend is then still in the lane; see `recall_misses`).
    pub(super) fn take_back_empty_cache(&mut self, tier: usize) -> bool {
        self.settle_empty_cache(tier);
        let kept = &mut self.tiers[tier].server.foregone;
        let (misses, fills) = (std::mem::take(&mut kept.misses), std::mem::take(&mut kept.fills));
        if let Some(latest) = misses.iter().map(|m| (m.place >> 64) as u64).max() {
            kept.lookup_event_at(latest);
        }
        for (place, key) in fills {
            self.queue.schedule_reserved(place, Event::Fill { tier: tier as u8, key });
        }
        let taken = !misses.is_empty();
        for miss in misses {
            if let Some(a) = self.attempts.get_mut(miss.attempt) {
                a.at_backend = false;
            }
            self.queue.schedule_reserved(miss.place, Event::CacheLookup { attempt: miss.attempt });
        }
        taken
    }
}
