//! Open-loop arrivals, several per turn of the event loop.
//!
//! An open-loop arrival depends on nothing the system does: its time comes from the arrival stream
//! and its key from the key stream. When it arrives, the request starts: it is counted, its call
//! and first attempt are made, and the attempt's timeout and cache lookup are scheduled. Nothing
//! reads what that changes until the lookup, a cache hop later, or until a window closes or the run
//! pauses. So an arrival prepares, at its own turn, the arrivals after it that are due within
//! [`PREPARE_NS`] and before the window closes or a scheduled item is due, each started at its own
//! instant; the first one after them is an event. What an arrival schedules is numbered by the
//! arrival (see `events.rs`), so it has the same place in the order of events whether the arrival
//! was prepared or was an event.
//!
//! When the run pauses, or the arrival rate changes, the prepared arrivals still to come are taken
//! back as if never drawn: their requests are undone, the arrival and key streams are put back,
//! and the first of them is an event again. So what is read or changed then finds them to come.
//!
//! Arrivals are prepared only when nothing an arrival does is told to anyone at its instant: no
//! lifecycle stream, a tier-1 cache that holds keys (an empty one is passed at the send, see
//! `empty_cache.rs`), and an admission policy that never refuses a first attempt; and only when no
//! call waits to retry (its attempt would otherwise be sent behind prepared ones).

use super::answers::SHORTCUTS;
use super::events::{EventQueue, Lane};
use super::slab::Ref;
use super::{Event, Simulation};
use crate::sim::clients::Arrivals;
use crate::sim::draws::Draws;
use rand_pcg::Pcg64Mcg;

/// How far ahead of an arrival the arrivals after it are prepared.
const PREPARE_NS: u64 = 2_000_000;

/// A prepared arrival.
#[derive(Clone, Copy, Debug)]
struct Arrival {
    /// Its place in the order of events, had it been an event.
    place: u128,
    /// Its request's id, call and first attempt.
    id: u64,
    call: Ref,
    attempt: Option<Ref>,
    /// When its attempt's lookup is due.
    lookup_ns: u64,
}

/// The arrivals prepared at the latest arrival, and what to put back to take them back.
#[derive(Clone, Debug, Default)]
pub(super) struct Prepared {
    arrivals: Vec<Arrival>,
    /// The arrival stream just after the first prepared arrival was drawn, and the rate it drew at.
    stream: Option<(Draws, f64)>,
    /// The key stream before the first prepared request drew its key.
    keys: Option<(Pcg64Mcg, f64)>,
    /// A request is being prepared.
    pub preparing: bool,
}

impl Simulation {
    /// The next open-loop arrival is due now: it arrives, prepares the arrivals after it that it
    /// may, and schedules the next one.
    pub(super) fn on_open_arrival(&mut self) {
        self.finish_prepared();
        let rate = self.scenario.clients.load_rps * self.faults.load_factor();
        let limit = self.preparation_limit();
        let (now, generation) = (self.now_ns, self.arrivals.generation);
        let mut id = self.start_arrival().0;
        while let Some(gap) = Arrivals::next_gap_ns(&mut self.streams.arrivals, rate) {
            let at = self.now_ns + gap;
            let place = EventQueue::next_arrival_place(at, id);
            if !SHORTCUTS || at >= limit {
                self.queue.schedule_at(Lane::Arrival, place, Event::Arrival { generation });
                break;
            }
            if self.prepared.arrivals.is_empty() {
                self.prepared.stream = Some((self.streams.arrivals.clone(), rate));
                self.prepared.keys = Some(self.streams.keys.state());
            }
            self.now_ns = at;
            self.prepared.preparing = true;
            let (next, call, attempt) = self.start_arrival();
            self.prepared.preparing = false;
            let lookup_ns = at + self.tiers[0].server.delays.cache_hop_ns;
            self.prepared.arrivals.push(Arrival { place, id: next, call, attempt, lookup_ns });
            id = next;
        }
        self.now_ns = now;
    }

    /// Starts the request of the open-loop arrival due now: returns its id, call and first attempt.
    fn start_arrival(&mut self) -> (u64, Ref, Option<Ref>) {
        let id = self.next_request_id;
        self.queue.begin_arrival(id);
        let (call, attempt) = self.start_request(false);
        self.queue.end_arrival();
        (id, call, attempt)
    }

    /// Arrivals due before this may be prepared now (none when it is now).
    fn preparation_limit(&self) -> u64 {
        let tier = &self.tiers[0];
        // A call waiting to retry would send its attempt behind prepared ones: its timeout and
        // lookup would leave their lanes for the heap.
        let ready = !self.trace.on()
            && tier.caller.calls_live == tier.caller.awaited
            && tier.server.cache_config.enabled
            && tier.server.cache.capacity() > 0
            && tier.caller.admission.admits_every_first();
        if !ready {
            return self.now_ns;
        }
        let due = self.timeline.next_due_ns().unwrap_or(u64::MAX);
        (self.now_ns + PREPARE_NS).min(self.window_end_ns).min(due)
    }

    /// The prepared arrivals have all arrived: their lookups are events now.
    pub(super) fn finish_prepared(&mut self) {
        if !SHORTCUTS {
            return;
        }
        let foregone = &mut self.tiers[0].server.foregone;
        self.prepared.arrivals.drain(..).for_each(|a| foregone.lookup_event_at(a.lookup_ns));
    }

    /// Takes back the prepared arrivals still to come (see above); with `reschedule`, the first of
    /// them is scheduled as an event (otherwise the arrival rate changed, and the next arrival is
    /// drawn anew).
    pub(super) fn take_back_arrivals(&mut self, reschedule: bool) {
        if !SHORTCUTS {
            return;
        }
        let horizon = self.queue.horizon();
        let arrived = self.prepared.arrivals.iter().take_while(|a| a.place <= horizon).count();
        if arrived == self.prepared.arrivals.len() {
            return self.finish_prepared();
        }
        let to_come = self.prepared.arrivals.split_off(arrived);
        for a in to_come.iter().rev() {
            let tier = &mut self.tiers[0];
            if let Some(attempt) = a.attempt {
                self.attempts.remove(attempt);
                tier.ledger.attempts -= 1;
                tier.caller.awaited -= 1;
            }
            self.calls.remove(a.call);
            tier.ledger.calls -= 1;
            tier.caller.calls_live -= 1;
            self.requests.created -= 1;
        }
        self.finish_prepared();
        self.next_request_id = to_come[0].id;
        if let Some((stream, rate)) = self.prepared.stream.take() {
            self.streams.arrivals = stream;
            for _ in 0..arrived {
                let _ = Arrivals::next_gap_ns(&mut self.streams.arrivals, rate);
            }
        }
        if let Some(keys) = self.prepared.keys.take() {
            self.streams.keys.restore(keys);
            for _ in 0..arrived {
                let _ = self.streams.keys.next_key();
            }
        }
        if reschedule {
            self.arrivals.generation = self.arrivals.generation.wrapping_add(1);
            let generation = self.arrivals.generation;
            self.queue.schedule_at(Lane::Arrival, to_come[0].place, Event::Arrival { generation });
        }
    }
}
