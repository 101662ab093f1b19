//! The request path: arrivals, attempts, cache lookups, backend calls, answers, timeouts and
//! retries. Every counter in `Totals` is moved here and only here.

use super::events::Lane;
use super::slab::Ref;
use super::{Attempt, Event, LifecycleEvent, Logical, Origin, Simulation, Stage};
use crate::sim::backend::{Dropped, Job, load_slowdown};
use crate::sim::cache::Lookup;
use crate::sim::clients::Arrivals;
use crate::sim::retry::backoff_ns;
use crate::sim::scenario::{FillPolicy, LoopMode, ms_to_ns};
use rand::RngExt;

/// How an attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    Timeout,
    Error,
}

impl Simulation {
    fn note(&mut self, request: u64, attempt: u32, stage: Stage) {
        if self.trace.samples(request) {
            self.trace.push(LifecycleEvent { t_ns: self.now_ns, request, attempt, stage });
        }
    }

    /// Notes a stage of attempt `a` if it is a request's (refreshes are not traced).
    fn note_attempt(&mut self, a: &Attempt, stage: Stage) {
        if let Origin::Request { id, .. } = a.origin {
            self.note(id, a.number, stage);
        }
    }

    /// Redraws the pending arrival (open loop) or tops up users (closed loop) for the rate now in
    /// force.
    pub(super) fn restart_arrivals(&mut self) {
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

    fn schedule_user_wake(&mut self) {
        let think = Arrivals::think_ns(&mut self.streams.think, &self.scenario.clients, self.faults.load_factor());
        self.queue.schedule(self.now_ns + think, Event::UserWakes);
    }

    pub(super) fn on_arrival(&mut self, generation: u32) {
        if generation != self.arrivals.generation || self.scenario.clients.mode != LoopMode::Open {
            return;
        }
        self.start_logical(false);
        self.schedule_arrival();
    }

    pub(super) fn on_user_wakes(&mut self) {
        let clients = &self.scenario.clients;
        if clients.mode != LoopMode::Closed || self.arrivals.users_started > clients.users {
            // This user leaves: the user count was lowered (or the loop reopened).
            self.arrivals.users_started = self.arrivals.users_started.saturating_sub(1);
            return;
        }
        self.start_logical(true);
    }

    fn start_logical(&mut self, from_user: bool) {
        let id = self.next_request_id;
        self.next_request_id += 1;
        let key = self.keys.sample(&mut self.streams.keys);
        self.totals.created += 1;
        let logical = Logical {
            id,
            key,
            created_ns: self.now_ns,
            attempts: 0,
            previous_backoff_ns: 0,
            retry_cost: 0.0,
            from_user,
        };
        let r = self.logicals.insert(logical);
        self.note(id, 0, Stage::Created);
        self.issue_attempt(r);
    }

    /// Sends the next attempt of logical request `r`, if admission allows.
    pub(super) fn issue_attempt(&mut self, r: Ref) {
        let Some(logical) = self.logicals.get_mut(r) else {
            return;
        };
        logical.attempts += 1;
        let (number, key, id, retry_cost) = (logical.attempts, logical.key, logical.id, logical.retry_cost);
        if number == 1 && !self.admission.allow_first(self.now_ns) {
            self.totals.breaker_rejections += 1;
            self.fail_logical(r, number);
            return;
        }
        self.totals.attempts += 1;
        if number > 1 {
            self.totals.retries += 1;
        }
        let timeout = self.delays.timeout_ns;
        let deadline_ns = timeout.map_or(u64::MAX, |t| self.now_ns.saturating_add(t));
        let attempt = self.attempts.insert(Attempt {
            origin: Origin::Request { logical: r, id },
            key,
            number,
            started_ns: self.now_ns,
            deadline_ns,
            waiting: true,
            at_backend: false,
            leads: false,
            retry_cost,
        });
        self.attempts_awaited += 1;
        if timeout.is_some() {
            self.queue.schedule_in(Lane::Timeout, deadline_ns, Event::Timeout { attempt });
        }
        if self.scenario.cache.enabled {
            self.queue.schedule_in(
                Lane::CacheHop,
                self.now_ns + self.delays.cache_hop_ns,
                Event::CacheLookup { attempt },
            );
        } else {
            self.call_backend(attempt, false);
        }
    }

    pub(super) fn on_cache_lookup(&mut self, r: Ref) {
        let Some(a) = self.attempts.get(r) else {
            return;
        };
        let a = *a;
        let key = a.key;
        let mut found = if self.faults.cache_out() { Lookup::Miss } else { self.cache.lookup(key, self.now_ns) };
        if found == Lookup::Stale && !self.scenario.cache.serve_stale {
            found = Lookup::Miss;
        }
        if found == Lookup::Miss {
            self.totals.cache_misses += 1;
            self.note_attempt(&a, Stage::CacheMiss);
        } else {
            self.totals.cache_hits += 1;
            self.note_attempt(&a, Stage::CacheHit);
        }
        if found == Lookup::Stale && self.revalidating.insert(key) {
            self.revalidate(key);
        }
        let reply_at = self.now_ns + self.delays.cache_reply_ns;
        self.queue.schedule_in(Lane::CacheReply, reply_at, Event::CacheReply { attempt: r, found });
    }

    /// Stale-while-revalidate: one background backend call refreshes `key`.
    fn revalidate(&mut self, key: u32) {
        let attempt = self.attempts.insert(Attempt {
            origin: Origin::Refresh,
            key,
            number: 0,
            started_ns: self.now_ns,
            deadline_ns: u64::MAX,
            waiting: false,
            at_backend: true,
            leads: false,
            retry_cost: 0.0,
        });
        self.queue.schedule_in(
            Lane::BackendHop,
            self.now_ns + self.delays.backend_hop_ns,
            Event::BackendArrival { attempt },
        );
    }

    pub(super) fn on_cache_reply(&mut self, r: Ref, found: Lookup) {
        let Some(a) = self.attempts.get(r) else {
            return;
        };
        if !a.waiting {
            return;
        }
        if found != Lookup::Miss {
            self.attempt_succeeded(r);
            return;
        }
        let key = a.key;
        if self.scenario.cache.coalescing && self.coalescer.join_or_lead(key, r) {
            return;
        }
        self.call_backend(r, self.scenario.cache.coalescing);
    }

    /// Sends attempt `r` to the backend; `leads` when coalesced misses for its key wait on it.
    fn call_backend(&mut self, r: Ref, leads: bool) {
        let a = self.attempts.get_mut(r).expect("only live attempts call the backend");
        a.at_backend = true;
        a.leads = leads;
        self.queue.schedule_in(
            Lane::BackendHop,
            self.now_ns + self.delays.backend_hop_ns,
            Event::BackendArrival { attempt: r },
        );
    }

    pub(super) fn on_backend_arrival(&mut self, r: Ref) {
        let Some(a) = self.attempts.get(r) else {
            return;
        };
        let a = *a;
        let job = Job { attempt: r, arrived_ns: self.now_ns, deadline_ns: a.deadline_ns };
        self.totals.backend_arrivals += 1;
        let error_rate = self.faults.error_rate();
        let fails = error_rate > 0.0 && self.streams.errors.random::<f64>() < error_rate;
        let limited = self.scenario.backend.concurrency_limit.is_some_and(|l| self.backend.in_system() >= l as usize);
        if fails || limited {
            self.totals.backend_rejected += 1;
            self.backend_done(r, Some(false));
        } else if self.backend.has_free_worker() {
            self.start_service(job);
        } else {
            match self.backend.enqueue(&self.scenario.backend, self.now_ns, job) {
                Ok(pushed_out) => {
                    self.note_attempt(&a, Stage::Queued);
                    if let Some(oldest) = pushed_out {
                        self.totals.backend_dropped += 1;
                        self.backend_done(oldest.attempt, Some(false));
                    }
                }
                Err(_) => {
                    self.totals.backend_rejected += 1;
                    self.backend_done(r, Some(false));
                }
            }
        }
    }

    fn start_service(&mut self, job: Job) {
        let config = &self.scenario.backend;
        let factor = self.faults.slowdown_factor() * load_slowdown(config, self.backend.in_system() + 1);
        let service_ns = ms_to_ns(self.service.sample_ms(&mut self.streams.service) * factor).max(1);
        let worker = self.backend.start(self.now_ns, job);
        self.totals.backend_started += 1;
        self.totals.backend_wait_ns += self.now_ns - job.arrived_ns;
        if let Some(a) = self.attempts.get(job.attempt).copied() {
            self.note_attempt(&a, Stage::Served);
        }
        self.queue.schedule(self.now_ns + service_ns, Event::ServiceDone { worker });
    }

    pub(super) fn on_service_done(&mut self, worker: u32) {
        let job = self.backend.finish(self.now_ns, worker);
        self.totals.backend_completed += 1;
        self.backend_done(job.attempt, Some(true));
        self.start_queued_work();
    }

    /// Puts queued work on every free worker, dropping what may not be served.
    pub(super) fn start_queued_work(&mut self) {
        while self.backend.has_free_worker() {
            match self.backend.next_job(&self.scenario.backend, self.now_ns) {
                None => return,
                Some(Ok(job)) => self.start_service(job),
                Some(Err((job, why))) => {
                    self.totals.backend_dropped += 1;
                    let reply = (why == Dropped::Shed).then_some(false);
                    self.backend_done(job.attempt, reply);
                }
            }
        }
    }

    /// The backend is finished with attempt `r`: answered `Some(ok)`, or dropped it silently.
    fn backend_done(&mut self, r: Ref, reply: Option<bool>) {
        let (hop, cache_hop) = (self.delays.backend_hop_ns, self.delays.cache_hop_ns);
        let now = self.now_ns;
        let Some(a) = self.attempts.get_mut(r) else {
            return;
        };
        a.at_backend = false;
        let a = *a;
        let (key, waiting, deadline) = (a.key, a.waiting, a.deadline_ns);
        let background = a.origin == Origin::Refresh;
        let ok = reply == Some(true);
        if ok && self.scenario.cache.enabled && (background || self.scenario.cache.fill == FillPolicy::WriteBack) {
            self.queue.schedule_in(Lane::CacheHop, now + cache_hop, Event::Fill { key });
        }
        if background {
            self.revalidating.remove(&key);
            self.attempts.remove(r);
            return;
        }
        // The answer is useless if the caller is gone or will be by the time it arrives.
        let arrives_in_time = waiting && now + hop < deadline;
        if ok && !arrives_in_time {
            self.totals.backend_wasted += 1;
            self.note_attempt(&a, Stage::Wasted);
        }
        match reply {
            Some(ok) if arrives_in_time => {
                self.queue.schedule_in(Lane::BackendHop, now + hop, Event::BackendReply { attempt: r, ok })
            }
            _ if !waiting => {
                self.attempts.remove(r);
            }
            _ => {}
        }
    }

    pub(super) fn on_backend_reply(&mut self, r: Ref, ok: bool) {
        let Some(a) = self.attempts.get(r) else {
            return;
        };
        if !a.waiting {
            return;
        }
        if ok {
            if self.scenario.cache.enabled && self.scenario.cache.fill == FillPolicy::LookAside {
                let key = a.key;
                self.queue.schedule_in(Lane::CacheHop, self.now_ns + self.delays.cache_hop_ns, Event::Fill { key });
            }
            self.attempt_succeeded(r);
        } else {
            self.attempt_failed(r, Failure::Error);
        }
    }

    pub(super) fn on_fill(&mut self, key: u32) {
        if self.scenario.cache.enabled && !self.faults.cache_out() {
            self.cache.fill(key, self.now_ns.saturating_add(self.delays.ttl_ns));
        }
    }

    pub(super) fn on_timeout(&mut self, r: Ref) {
        if self.attempts.get(r).is_some_and(|a| a.waiting) {
            self.attempt_failed(r, Failure::Timeout);
        }
    }

    /// The caller stops waiting for attempt `r`; returns it, freeing it unless the backend holds it.
    fn release(&mut self, r: Ref) -> Attempt {
        let a = self.attempts.get_mut(r).expect("released attempts are live");
        a.waiting = false;
        self.attempts_awaited -= 1;
        let attempt = *a;
        if !attempt.at_backend {
            self.attempts.remove(r);
        }
        attempt
    }

    fn attempt_succeeded(&mut self, r: Ref) {
        let a = self.release(r);
        let now = self.now_ns;
        self.totals.attempt_successes += 1;
        self.window.attempt_latency.record(now - a.started_ns);
        self.admission.on_outcome(&self.scenario.retry, now, true, a.number, a.retry_cost);
        let Origin::Request { logical: r, id } = a.origin else {
            return;
        };
        if let Some(logical) = self.logicals.remove(r) {
            self.totals.succeeded += 1;
            let e2e_ns = now - logical.created_ns;
            if self.delays.timeout_ns.is_some_and(|t| e2e_ns >= t) {
                self.totals.slow_successes += 1;
            }
            self.window.e2e_latency.record(e2e_ns);
            self.note(id, a.number, Stage::Succeeded);
            if logical.from_user {
                self.schedule_user_wake();
            }
        }
        if a.leads {
            for waiter in self.coalescer.resolve(a.key) {
                if self.attempts.get(waiter).is_some_and(|w| w.waiting) {
                    self.attempt_succeeded(waiter);
                }
            }
        }
    }

    fn attempt_failed(&mut self, r: Ref, failure: Failure) {
        let a = self.release(r);
        let now = self.now_ns;
        let stage = match failure {
            Failure::Timeout => {
                self.totals.timeouts += 1;
                Stage::TimedOut
            }
            Failure::Error => {
                self.totals.errors += 1;
                Stage::Errored
            }
        };
        self.note_attempt(&a, stage);
        self.admission.on_outcome(&self.scenario.retry, now, false, a.number, a.retry_cost);
        if a.leads {
            for waiter in self.coalescer.resolve(a.key) {
                if self.attempts.get(waiter).is_some_and(|w| w.waiting) {
                    self.attempt_failed(waiter, Failure::Error);
                }
            }
        }
        let Origin::Request { logical: r, id } = a.origin else {
            return;
        };
        let policy = &self.scenario.retry;
        let retryable = match failure {
            Failure::Timeout => policy.on_timeout,
            Failure::Error => policy.on_error,
        };
        if !retryable || a.number >= policy.max_attempts {
            self.fail_logical(r, a.number);
            return;
        }
        let Some(retry_cost) = self.admission.allow_retry(policy, now, failure == Failure::Timeout) else {
            self.totals.retries_refused += 1;
            self.fail_logical(r, a.number);
            return;
        };
        let Some(logical) = self.logicals.get_mut(r) else {
            return;
        };
        let delay = backoff_ns(policy, a.number - 1, logical.previous_backoff_ns, &mut self.streams.backoff);
        logical.previous_backoff_ns = delay;
        logical.retry_cost = retry_cost;
        self.note(id, a.number, Stage::Retried);
        self.queue.schedule(now + delay, Event::AttemptStart { logical: r });
    }

    fn fail_logical(&mut self, r: Ref, attempt: u32) {
        if let Some(logical) = self.logicals.remove(r) {
            self.totals.failed += 1;
            self.note(logical.id, attempt, Stage::Failed);
            if logical.from_user {
                self.schedule_user_wake();
            }
        }
    }
}
