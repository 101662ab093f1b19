//! The clients: open-loop arrivals or closed-loop users, each making logical requests to tier 1.

use super::events::Lane;
use super::slab::Ref;
use super::{Call, Event, Purpose, Simulation, Stage};
use crate::sim::clients::Arrivals;
use crate::sim::scenario::LoopMode;

impl Simulation {
    /// Redraws the pending arrival (open loop) or tops up users (closed loop) for the rate now in
    /// force.
    pub(super) fn restart_arrivals(&mut self) {
        self.take_back_arrivals(false);
        self.arrivals.generation = self.arrivals.generation.wrapping_add(1);
        match self.scenario.clients.mode {
            LoopMode::Open => self.schedule_arrival(),
            LoopMode::Closed => {
                while self.arrivals.users_started < self.scenario.clients.users {
                    self.arrivals.users_started += 1;
                    self.schedule_user_wake();
                }
            }
        }
    }

    fn schedule_arrival(&mut self) {
        let rate = self.scenario.clients.load_rps * self.faults.load_factor();
        if let Some(gap) = Arrivals::next_gap_ns(&mut self.streams.arrivals, rate) {
            let generation = self.arrivals.generation;
            self.queue.schedule_in(Lane::Arrival, self.now_ns + gap, Event::Arrival { generation });
        }
    }

    pub(super) fn schedule_user_wake(&mut self) {
        let think = Arrivals::think_ns(&mut self.streams.think, &self.scenario.clients, self.faults.load_factor());
        self.queue.schedule(self.now_ns + think, Event::UserWakes);
    }

    pub(super) fn on_arrival(&mut self, generation: u32) {
        if generation != self.arrivals.generation || self.scenario.clients.mode != LoopMode::Open {
            return;
        }
        self.on_open_arrival();
    }

    pub(super) fn on_user_wakes(&mut self) {
        let clients = &self.scenario.clients;
        if clients.mode != LoopMode::Closed || self.arrivals.users_started > clients.users {
            // This user leaves: the user count was lowered (or the loop reopened).
            self.arrivals.users_started = self.arrivals.users_started.saturating_sub(1);
            return;
        }
        self.start_request(true);
    }

    /// A new logical request: a call to tier 1. Returns the call and its first attempt.
    pub(super) fn start_request(&mut self, from_user: bool) -> (Ref, Option<Ref>) {
        let id = self.next_request_id;
        self.next_request_id += 1;
        let key = self.streams.keys.next_key();
        self.requests.created += 1;
        self.note(id, 0, Stage::Created);
        self.start_call(0, Purpose::Request { id, from_user }, key)
    }

    /// Starts a call to `tier` and sends its first attempt; returns the call and the attempt.
    #[inline(always)]
    pub(super) fn start_call(&mut self, tier: usize, purpose: Purpose, key: u32) -> (Ref, Option<Ref>) {
        let call = Call {
            tier: tier as u8,
            purpose,
            key,
            created_ns: self.now_ns,
            attempts: 0,
            previous_backoff_ns: 0,
            retry_cost: 0.0,
        };
        let r = self.calls.insert(call);
        let t = &mut self.tiers[tier];
        t.caller.calls_live += 1;
        t.ledger.calls += 1;
        (r, self.issue_attempt(r))
    }
}
