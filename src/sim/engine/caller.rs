//! A caller: it turns a call into attempts, starts each attempt's timeout, asks admission, and on a
//! failed attempt decides whether to retry and after what backoff. When a call ends, whoever made
//! it hears: the user (a logical request) or the worker of the tier before (a job).

use super::events::Lane;
use super::slab::Ref;
use super::{Attempt, Event, LifecycleEvent, Origin, Purpose, Simulation, Stage};

/// How an attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Failure {
    Timeout,
    Error,
}

impl Simulation {
    pub(super) fn note(&mut self, request: u64, attempt: u32, stage: Stage) {
        if self.trace.samples(request) {
            self.note_sampled(request, attempt, stage);
        }
    }

    #[cold]
    fn note_sampled(&mut self, request: u64, attempt: u32, stage: Stage) {
        // A lookup passed by before now comes first (see `empty_cache.rs`).
        self.settle_empty_caches();
        self.trace.push(LifecycleEvent { t_ns: self.now_ns, request, attempt, stage });
    }

    /// Notes a stage of attempt `a` if it is one of the clients' (refreshes and later tiers' calls
    /// are not traced).
    pub(super) fn note_attempt(&mut self, a: &Attempt, stage: Stage) {
        if let Origin::Request { id, .. } = a.origin {
            self.note(id, a.number, stage);
        }
    }

    /// Sends the next attempt of call `r`, if admission allows; returns the attempt sent.
    pub(super) fn issue_attempt(&mut self, r: Ref) -> Option<Ref> {
        let call = self.calls.get_mut(r)?;
        call.attempts += 1;
        let (tier, number, key, retry_cost) = (call.tier as usize, call.attempts, call.key, call.retry_cost);
        let origin = match call.purpose {
            Purpose::Request { id, from_user } => Origin::Request { call: r, id, from_user },
            Purpose::Job { .. } => Origin::Call { call: r },
        };
        let t = &mut self.tiers[tier];
        if number == 1 && !t.caller.admission.allow_first(self.now_ns) {
            t.ledger.first_refused += 1;
            self.end_call(r, false, number);
            return None;
        }
        t.ledger.attempts += 1;
        if number > 1 {
            t.ledger.retries += 1;
        }
        t.caller.awaited += 1;
        let timeout = t.caller.timeout_ns;
        let cache_hop_ns = t.server.cache_config.enabled.then_some(t.server.delays.cache_hop_ns);
        let deadline_ns = timeout.map_or(u64::MAX, |t| self.now_ns.saturating_add(t));
        let timeout_last = self.queue.in_arrival();
        let passed =
            cache_hop_ns.and_then(|hop| t.server.pass_empty_cache(self.now_ns, hop, deadline_ns, timeout_last));
        let attempt = self.attempts.insert(Attempt {
            origin,
            tier: tier as u8,
            key,
            number,
            started_ns: self.now_ns,
            deadline_ns,
            timeout_last,
            waiting: true,
            at_backend: passed.is_some(),
            leads: false,
            retry_cost,
        });
        if timeout.is_some() {
            self.queue.schedule_in(Lane::Timeout(tier), deadline_ns, Event::Timeout { attempt });
        }
        if let Some(passed) = passed {
            let traced = if let Origin::Request { id, .. } = origin { Some(id) } else { None };
            self.foregone_miss(tier, attempt, traced, number, passed);
            return Some(attempt);
        }
        match cache_hop_ns {
            Some(hop) => {
                let server = &mut self.tiers[tier].server;
                server.cache.prefetch(key);
                if !self.prepared.preparing {
                    server.foregone.lookup_event_at(self.now_ns + hop);
                }
                self.queue.schedule_in(Lane::CacheHop(tier), self.now_ns + hop, Event::CacheLookup { attempt })
            }
            None => self.call_backend(attempt, false),
        }
        Some(attempt)
    }

    pub(super) fn on_timeout(&mut self, r: Ref) {
        if self.attempts.get(r).is_some_and(|a| a.waiting) {
            self.attempt_failed(r, Failure::Timeout);
        }
    }

    /// The caller stops waiting for attempt `r`; returns it, freeing it unless the backend holds it.
    #[inline]
    fn release(&mut self, r: Ref) -> Attempt {
        let a = self.attempts.get_mut(r).expect("released attempts are live");
        a.waiting = false;
        let attempt = *a;
        self.tiers[attempt.tier as usize].caller.awaited -= 1;
        if !attempt.at_backend {
            self.attempts.remove(r);
        }
        let attempts = &self.attempts;
        self.queue.drop_dead_timeouts(attempt.tier as usize, |x| !attempts.get(x).is_some_and(|a| a.waiting));
        attempt
    }

    pub(super) fn attempt_succeeded(&mut self, r: Ref) {
        let a = self.release(r);
        let (now, tier) = (self.now_ns, a.tier as usize);
        if tier == 0 {
            self.window.attempt_latency.record(now - a.started_ns);
        }
        let t = &mut self.tiers[tier];
        t.ledger.attempt_successes += 1;
        t.caller.admission.on_outcome(&t.caller.policy, now, true, a.number, a.retry_cost);
        if let Origin::Request { call, .. } | Origin::Call { call } = a.origin {
            self.end_call(call, true, a.number);
        }
        if a.leads {
            for waiter in self.tiers[tier].server.coalescer.resolve(a.key) {
                if self.attempts.get(waiter).is_some_and(|w| w.waiting) {
                    self.attempt_succeeded(waiter);
                }
            }
        }
    }

    pub(super) fn attempt_failed(&mut self, r: Ref, failure: Failure) {
        let a = self.release(r);
        let (now, tier) = (self.now_ns, a.tier as usize);
        let ledger = &mut self.tiers[tier].ledger;
        let stage = match failure {
            Failure::Timeout => {
                ledger.timeouts += 1;
                Stage::TimedOut
            }
            Failure::Error => {
                ledger.errors += 1;
                Stage::Errored
            }
        };
        self.note_attempt(&a, stage);
        let caller = &mut self.tiers[tier].caller;
        caller.admission.on_outcome(&caller.policy, now, false, a.number, a.retry_cost);
        if a.leads {
            for waiter in self.tiers[tier].server.coalescer.resolve(a.key) {
                if self.attempts.get(waiter).is_some_and(|w| w.waiting) {
                    self.attempt_failed(waiter, Failure::Error);
                }
            }
        }
        let r = match a.origin {
            Origin::Request { call, .. } | Origin::Call { call } => call,
            Origin::Refresh => return,
        };
        let caller = &mut self.tiers[tier].caller;
        let policy = &caller.policy;
        let retryable = match failure {
            Failure::Timeout => policy.on_timeout,
            Failure::Error => policy.on_error,
        };
        if !retryable || a.number >= policy.max_attempts {
            self.end_call(r, false, a.number);
            return;
        }
        let Some(retry_cost) = caller.admission.allow_retry(policy, now, failure == Failure::Timeout) else {
            self.tiers[tier].ledger.retries_refused += 1;
            self.end_call(r, false, a.number);
            return;
        };
        let Some(call) = self.calls.get_mut(r) else {
            return;
        };
        let delay = caller.backoff.delay_ns(a.number - 1, call.previous_backoff_ns, &mut caller.backoff_rng);
        call.previous_backoff_ns = delay;
        call.retry_cost = retry_cost;
        if let Origin::Request { id, .. } = a.origin {
            self.note(id, a.number, Stage::Retried);
        }
        self.queue.schedule(now + delay, Event::AttemptStart { call: r });
    }

    /// Call `r` ends, after `attempt` attempts: its maker hears the outcome.
    #[inline]
    fn end_call(&mut self, r: Ref, ok: bool, attempt: u32) {
        let Some(call) = self.calls.remove(r) else {
            return;
        };
        let (now, tier) = (self.now_ns, call.tier as usize);
        let t = &mut self.tiers[tier];
        t.caller.calls_live -= 1;
        if ok {
            t.ledger.calls_succeeded += 1;
        } else {
            t.ledger.calls_failed += 1;
        }
        match call.purpose {
            Purpose::Request { id, from_user } => {
                if ok {
                    self.requests.succeeded += 1;
                    let e2e_ns = now - call.created_ns;
                    if self.tiers[0].caller.timeout_ns.is_some_and(|t| e2e_ns >= t) {
                        self.requests.slow_successes += 1;
                    }
                    self.window.e2e_latency.record(e2e_ns);
                    self.note(id, attempt, Stage::Succeeded);
                } else {
                    self.requests.failed += 1;
                    self.note(id, attempt, Stage::Failed);
                }
                if from_user {
                    self.schedule_user_wake();
                }
            }
            Purpose::Job { worker } => self.finish_job(tier - 1, worker, ok),
        }
    }
}
