//! Answers known early: a cache hit's reply, the backend's successful reply, or its error to a
//! last attempt, that will reach a client in time and whose arrival only counts.
//!
//! When a client's attempt hits the cache, or the backend answers it, the answer reaches the client
//! a fixed delay later, and nothing can end the client's wait first if its timeout is later still.
//! If, besides, nobody is told when it arrives (an open-loop request, not traced), the admission
//! policy does not hear of outcomes (none, or a retry budget), and an error leads to no retry (the
//! request's last attempt, or errors not retried), then its arrival only counts: the attempt and
//! its request succeed or fail, latencies are recorded, the slots are freed. Those counts are read only when a window closes or the run pauses, so the answer needs no
//! turn of the event loop. It keeps its place in the order of events, and is counted once that place
//! has passed, in the window it belongs to.
//!
//! When the run pauses, or a scheduled change is applied, the answers whose places are still to
//! come go back to being events in those places: a live change then acts on them as on any event.
//! So the run is the one the events would give.

use super::caller::Failure;
use super::events::Event;
use super::slab::Ref;
use super::{Attempt, Origin, Simulation};
use std::collections::VecDeque;

/// Are the shortcuts here and in `arrivals.rs` built? The page's bundle, built for size, leaves
/// them out: its live run takes every answer, fill and arrival as an event, with the same numbers.
pub(super) const SHORTCUTS: bool = cfg!(feature = "shortcuts");

/// Which list an answer waits in: each list is in order of place, as each kind of answer follows
/// its own fixed delay.
#[derive(Clone, Copy, Debug)]
pub(super) enum Kind {
    Hit = 0,
    Reply = 1,
    Error = 2,
}

const KINDS: [Kind; 3] = [Kind::Hit, Kind::Reply, Kind::Error];

/// How many answers a list holds before those whose places have passed are counted: keeps the
/// attempts and requests they hold few.
const COUNT_AT: usize = 64;

/// Answers known early whose places may still be to come, each with its event; and the fills the
/// backend's successful answers send, in order of place.
#[derive(Clone, Debug, Default)]
pub(super) struct Answers {
    lists: [VecDeque<(u128, Event)>; 3],
    fills: VecDeque<(u128, Event)>,
}

impl Answers {
    pub fn footprint_bytes(&self) -> usize {
        let entries: usize = self.lists.iter().chain([&self.fills]).map(VecDeque::capacity).sum();
        entries * size_of::<(u128, Event)>()
    }
}

impl Simulation {
    /// Will the backend's error to attempt `a`, reaching its caller at `at_ns`, only count (see
    /// above)?
    #[inline]
    pub(super) fn error_only_counts(&self, a: &Attempt, at_ns: u64) -> bool {
        let policy = &self.tiers[0].caller.policy;
        (a.number >= policy.max_attempts || !policy.on_error) && self.answer_only_counts(a, at_ns)
    }

    /// Will attempt `a`'s answer, reaching its caller at `at_ns`, only count (see above)?
    #[inline]
    pub(super) fn answer_only_counts(&self, a: &Attempt, at_ns: u64) -> bool {
        let Origin::Request { id, from_user: false, .. } = a.origin else {
            return false;
        };
        SHORTCUTS
            && a.waiting
            && !a.leads
            && a.deadline_ns > at_ns
            && self.tiers[0].caller.admission.ignores_outcomes()
            && !self.trace.samples(id)
    }

    /// Attempt `r`'s answer `event` reaches its caller at `at_ns` and only counts: it keeps its
    /// place, and the caller no longer waits for anything else.
    #[inline]
    pub(super) fn answer_later(&mut self, kind: Kind, r: Ref, at_ns: u64, event: Event) {
        let place = self.queue.reserve(at_ns);
        if let Some(a) = self.attempts.get_mut(r) {
            a.waiting = false;
        }
        let list = &mut self.answers.lists[kind as usize];
        list.push_back((place, event));
        if list.len() >= COUNT_AT {
            self.count_answers();
        }
    }

    /// Counts the answers whose places have passed, each at its own instant: before a window
    /// closes, and whenever a list grows long.
    pub(super) fn count_answers(&mut self) {
        if !SHORTCUTS {
            return;
        }
        let (horizon, now) = (self.queue.horizon(), self.now_ns);
        for kind in KINDS {
            while let Some(&(place, event)) = self.answers.lists[kind as usize].front()
                && place <= horizon
            {
                self.answers.lists[kind as usize].pop_front();
                self.now_ns = (place >> 64) as u64;
                match event {
                    Event::BackendReply { attempt, ok: false } => self.attempt_failed(attempt, Failure::Error),
                    Event::CacheReply { attempt, .. } | Event::BackendReply { attempt, .. } => {
                        self.attempt_succeeded(attempt)
                    }
                    _ => {}
                }
            }
        }
        self.now_ns = now;
    }

    /// A look-aside fill of `key`, sent with a successful answer, reaches `tier`'s cache at
    /// `at_ns`. It changes nothing but the cache, so it needs no turn of the event loop: it is
    /// applied in its place just before whatever reads or changes the cache, or what it reads,
    /// next (a lookup, another fill, a window's close, a trigger's end).
    #[inline]
    pub(super) fn fill_later(&mut self, tier: usize, key: u32, at_ns: u64) {
        let (place, fill) = (self.queue.reserve(at_ns), Event::Fill { tier: tier as u8, key });
        if SHORTCUTS {
            // In order of place: each tier's fills follow its own delays.
            let fills = &mut self.answers.fills;
            match fills.back() {
                Some(&(last, _)) if last > place => {
                    let at = fills.partition_point(|&(p, _)| p < place);
                    fills.insert(at, (place, fill));
                }
                _ => fills.push_back((place, fill)),
            }
        } else {
            self.queue.schedule_reserved(place, fill);
        }
    }

    /// Applies the fills whose places have passed, each at its own instant.
    #[inline]
    pub(super) fn apply_fills(&mut self) {
        if !SHORTCUTS {
            return;
        }
        let horizon = self.queue.horizon();
        if self.answers.fills.front().is_some_and(|&(place, _)| place <= horizon) {
            self.apply_fills_to(horizon);
        }
    }

    fn apply_fills_to(&mut self, horizon: u128) {
        let now = self.now_ns;
        while let Some(&(place, event)) = self.answers.fills.front()
            && place <= horizon
        {
            self.answers.fills.pop_front();
            if let Event::Fill { tier, key } = event {
                self.now_ns = (place >> 64) as u64;
                self.fill_now(tier as usize, key);
            }
        }
        self.now_ns = now;
    }

    /// Counts the answers and applies the fills whose places have passed, and makes the rest events
    /// again, in their places: when the run pauses (so that what is read, or changed, before it
    /// goes on sees them as events), and before a scheduled change.
    pub(super) fn take_back_answers(&mut self) {
        if !SHORTCUTS {
            return;
        }
        self.count_answers();
        self.apply_fills();
        for (place, event) in self.answers.fills.drain(..) {
            self.queue.schedule_reserved(place, event);
        }
        for kind in KINDS {
            for (place, event) in self.answers.lists[kind as usize].drain(..) {
                if let Event::CacheReply { attempt, .. } | Event::BackendReply { attempt, .. } = event
                    && let Some(a) = self.attempts.get_mut(attempt)
                {
                    a.waiting = true;
                }
                self.queue.schedule_reserved(place, event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Simulation;
    use crate::sim::scenario::{Scenario, Tier};

    #[test]
    fn fills_wait_in_order_of_place_whatever_order_they_were_sent_in() {
        let scenario = Scenario { tiers: vec![Tier::default()], ..Scenario::default() };
        let mut sim = Simulation::new(scenario).expect("valid");
        // A far tier's fill, then a near tier's due sooner, then one due between them.
        for (tier, key, at_ns) in [(0, 1, 6_000_000), (1, 2, 200_000), (0, 3, 3_000_000)] {
            sim.fill_later(tier, key, at_ns);
        }
        let keys: Vec<u32> = sim
            .answers
            .fills
            .iter()
            .filter_map(|&(_, fill)| if let super::Event::Fill { key, .. } = fill { Some(key) } else { None })
            .collect();
        if super::SHORTCUTS {
            assert_eq!(keys, [2, 3, 1]);
        } else {
            // Without the shortcuts each fill is an event at once.
            assert_eq!(keys, [] as [u32; 0]);
        }
    }
}
