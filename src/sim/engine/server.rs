//! A server: one tier's cache (lookups, coalescing, stale-while-revalidate, fills) and backend
//! (admission at the door, queue, workers). A worker of a tier with a tier behind it calls that
//! tier once its own work is done, and stays busy until the call ends.

use super::answers::Kind;
use super::events::Lane;
use super::slab::Ref;
use super::{Attempt, Event, Origin, Purpose, Simulation, Stage};
use crate::sim::backend::{Dropped, Job, load_slowdown};
use crate::sim::cache::Lookup;
use crate::sim::engine::caller::Failure;
use crate::sim::scenario::{FillPolicy, ms_to_ns};
use rand::RngExt;

impl Simulation {
    pub(super) fn on_cache_lookup(&mut self, r: Ref) {
        self.apply_fills();
        let Some(a) = self.attempts.get(r) else {
            return;
        };
        let a = *a;
        let (tier, key) = (a.tier as usize, a.key);
        let cache_out = self.faults.cache_out(tier);
        let t = &mut self.tiers[tier];
        let mut found = if cache_out { Lookup::Miss } else { t.server.cache.lookup(key, self.now_ns) };
        if found == Lookup::Stale && !t.server.cache_config.serve_stale {
            found = Lookup::Miss;
        }
        let stage = if found == Lookup::Miss {
            t.ledger.cache_misses += 1;
            Stage::CacheMiss
        } else {
            t.ledger.cache_hits += 1;
            Stage::CacheHit
        };
        let revalidate = found == Lookup::Stale && t.server.revalidating.insert(key);
        let reply_at = self.now_ns + t.server.delays.cache_reply_ns;
        let coalescing = t.server.cache_config.coalescing;
        self.note_attempt(&a, stage);
        if revalidate {
            self.revalidate(tier, key);
        }
        if found == Lookup::Miss && !coalescing {
            self.miss_to_backend(r, reply_at);
            return;
        }
        let reply = Event::CacheReply { attempt: r, found };
        if found != Lookup::Miss && self.answer_only_counts(&a, reply_at) {
            return self.answer_later(Kind::Hit, r, reply_at, reply);
        }
        self.queue.schedule_in(Lane::CacheReply(tier), reply_at, reply);
    }

    /// A miss with no coalescing: the caller sends attempt `r` to the backend the moment the miss
    /// reaches it at `reply_at`, if its timeout has not come first (only a timeout can end the wait
    /// of an attempt that is neither at the backend nor waiting on another's call). Known now,
    /// unless a live change alters what the caller reads then (see `recall_misses`), so the miss's
    /// reply and the backend call are one event: the arrival at the backend.
    fn miss_to_backend(&mut self, r: Ref, reply_at: u64) {
        let Some(a) = self.attempts.get_mut(r).filter(|a| a.waits_at(reply_at)) else {
            return;
        };
        let tier = a.tier as usize;
        let at = reply_at + self.tiers[tier].server.delays.backend_hop_ns;
        a.at_backend = true;
        a.leads = false;
        self.queue.schedule_in(Lane::MissHop(tier), at, Event::BackendArrival { attempt: r });
    }

    /// What a caller reads when a miss reaches it (whether to coalesce, the hop to the backend)
    /// changed at tier `tier`, whose hop to the backend was `hop_ns`, or its cache answers sooner:
    /// the misses sent on from their lookup that have not yet reached their caller are recalled,
    /// and reach it after all, so that it acts on them with the settings then in force. Every
    /// arrival in the lane was scheduled with the hop `hop_ns`; those whose miss already reached
    /// its caller go on, but in the heap, so that the lane starts again empty: its arrivals keep
    /// their order while these delays stay as they are.
    pub(super) fn recall_misses(&mut self, tier: usize, hop_ns: u64) {
        while let Some((time_ns, event)) = self.queue.take_first(Lane::MissHop(tier)) {
            let Event::BackendArrival { attempt } = event else {
                continue;
            };
            if !self.attempts.get(attempt).is_some_and(|a| a.at_backend) {
                // A lookup taken back (see `empty_cache.rs`): its miss is not on its way yet.
                continue;
            }
            let reply_at = time_ns.saturating_sub(hop_ns);
            if reply_at <= self.now_ns {
                self.queue.schedule(time_ns, event);
                continue;
            }
            if let Some(a) = self.attempts.get_mut(attempt) {
                a.at_backend = false;
            }
            let reply = Event::CacheReply { attempt, found: Lookup::Miss };
            self.queue.schedule_in(Lane::CacheReply(tier), reply_at, reply);
        }
    }

    /// Stale-while-revalidate: one background backend call refreshes `key`.
    fn revalidate(&mut self, tier: usize, key: u32) {
        let attempt = self.attempts.insert(Attempt {
            origin: Origin::Refresh,
            tier: tier as u8,
            key,
            number: 0,
            started_ns: self.now_ns,
            deadline_ns: u64::MAX,
            timeout_last: false,
            waiting: false,
            at_backend: true,
            leads: false,
            retry_cost: 0.0,
        });
        let at = self.now_ns + self.tiers[tier].server.delays.backend_hop_ns;
        self.queue.schedule_in(Lane::BackendHop(tier), at, Event::BackendArrival { attempt });
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
        let (tier, key) = (a.tier as usize, a.key);
        let server = &mut self.tiers[tier].server;
        let coalescing = server.cache_config.coalescing;
        if coalescing && server.coalescer.join_or_lead(key, r) {
            return;
        }
        self.call_backend(r, coalescing);
    }

    /// Sends attempt `r` to its tier's backend; `leads` when coalesced misses for its key wait on it.
    pub(super) fn call_backend(&mut self, r: Ref, leads: bool) {
        let a = self.attempts.get_mut(r).expect("only live attempts call the backend");
        a.at_backend = true;
        a.leads = leads;
        let tier = a.tier as usize;
        let at = self.now_ns + self.tiers[tier].server.delays.backend_hop_ns;
        self.queue.schedule_in(Lane::BackendHop(tier), at, Event::BackendArrival { attempt: r });
    }

    pub(super) fn on_backend_arrival(&mut self, r: Ref) {
        let Some(a) = self.attempts.get(r) else {
            return;
        };
        let a = *a;
        let tier = a.tier as usize;
        let job = Job { attempt: r, arrived_ns: self.now_ns, deadline_ns: a.deadline_ns };
        let error_rate = self.faults.error_rate(tier);
        let t = &mut self.tiers[tier];
        t.ledger.backend_arrivals += 1;
        let server = &mut t.server;
        let fails = error_rate > 0.0 && server.error_rng.random::<f64>() < error_rate;
        let limited = server.backend_config.concurrency_limit.is_some_and(|l| server.backend.in_system() >= l as usize);
        if fails || limited {
            self.tiers[tier].ledger.backend_rejected += 1;
            self.backend_done(r, Some(false));
        } else if server.backend.has_free_worker() {
            self.start_service(tier, job);
        } else {
            match server.backend.enqueue(&server.backend_config, self.now_ns, job) {
                Ok(pushed_out) => {
                    self.note_attempt(&a, Stage::Queued);
                    if let Some(oldest) = pushed_out {
                        self.tiers[tier].ledger.backend_dropped += 1;
                        self.backend_done(oldest.attempt, Some(false));
                    }
                }
                Err(_) => {
                    self.tiers[tier].ledger.backend_rejected += 1;
                    self.backend_done(r, Some(false));
                }
            }
        }
    }

    fn start_service(&mut self, tier: usize, job: Job) {
        let slowdown = self.faults.slowdown_factor(tier);
        let t = &mut self.tiers[tier];
        let server = &mut t.server;
        let factor = slowdown * load_slowdown(&server.backend_config, server.backend.in_system() + 1);
        let service_ns = ms_to_ns(server.service.sample_ms(&mut server.service_draws) * factor).max(1);
        let worker = server.backend.start(self.now_ns, job);
        t.ledger.backend_started += 1;
        t.ledger.backend_wait_ns += self.now_ns - job.arrived_ns;
        // The attempt is read when the service ends; a queued one is rarely still in cache. Only the
        // lifecycle stream needs it now.
        self.attempts.prefetch(job.attempt);
        if self.trace.on()
            && let Some(a) = self.attempts.get(job.attempt).copied()
        {
            self.note_attempt(&a, Stage::Served);
        }
        self.queue.schedule(self.now_ns + service_ns, Event::ServiceDone { tier: tier as u8, worker });
    }

    /// A worker's own work is done: the last tier answers; any other calls the tier behind it.
    pub(super) fn on_service_done(&mut self, tier: usize, worker: u32) {
        if tier + 1 == self.tiers.len() {
            self.finish_job(tier, worker, true);
            return;
        }
        let job = self.tiers[tier].server.backend.job(worker).expect("a service completion names a busy worker");
        let key = self.attempts.get(job.attempt).expect("the backend holds its jobs' attempts").key;
        self.start_call(tier + 1, Purpose::Job { worker }, key);
    }

    /// Worker `worker` of `tier` is done with its job: it answers `ok` and takes queued work.
    #[inline]
    pub(super) fn finish_job(&mut self, tier: usize, worker: u32, ok: bool) {
        let t = &mut self.tiers[tier];
        let job = t.server.backend.finish(self.now_ns, worker);
        t.ledger.backend_completed += 1;
        self.backend_done(job.attempt, Some(ok));
        self.start_queued_work(tier);
    }

    /// Puts queued work on every free worker of `tier`, dropping what may not be served.
    pub(super) fn start_queued_work(&mut self, tier: usize) {
        loop {
            let server = &mut self.tiers[tier].server;
            if !server.backend.has_free_worker() {
                return;
            }
            match server.backend.next_job(&server.backend_config, self.now_ns) {
                None => return,
                Some(Ok(job)) => self.start_service(tier, job),
                Some(Err((job, why))) => {
                    self.tiers[tier].ledger.backend_dropped += 1;
                    let reply = (why == Dropped::Shed).then_some(false);
                    self.backend_done(job.attempt, reply);
                }
            }
        }
    }

    /// The backend is finished with attempt `r`: answered `Some(ok)`, or dropped it silently.
    fn backend_done(&mut self, r: Ref, reply: Option<bool>) {
        let now = self.now_ns;
        let Some(a) = self.attempts.get_mut(r) else {
            return;
        };
        a.at_backend = false;
        let a = *a;
        let tier = a.tier as usize;
        let server = &mut self.tiers[tier].server;
        let (hop, cache_hop) = (server.delays.backend_hop_ns, server.delays.cache_hop_ns);
        let (key, waiting) = (a.key, a.waiting);
        let background = a.origin == Origin::Refresh;
        let ok = reply == Some(true);
        let cache = &server.cache_config;
        let look_aside = cache.enabled && cache.fill == FillPolicy::LookAside;
        if ok && cache.enabled && (background || cache.fill == FillPolicy::WriteBack) {
            self.fill(tier, key, now + cache_hop);
        }
        if background {
            self.tiers[tier].server.revalidating.remove(&key);
            self.attempts.remove(r);
            return;
        }
        // The answer is useless if the caller is gone or will be by the time it arrives.
        let arrives_in_time = waiting && a.waits_at(now + hop);
        if ok && !arrives_in_time {
            self.tiers[tier].ledger.backend_wasted += 1;
            self.note_attempt(&a, Stage::Wasted);
        }
        match reply {
            Some(ok) if arrives_in_time => {
                let (at, event) = (now + hop, Event::BackendReply { attempt: r, ok });
                if ok && self.answer_only_counts(&a, at) {
                    self.answer_later(Kind::Reply, r, at, event);
                } else if !ok && self.error_only_counts(&a, at) {
                    self.answer_later(Kind::Error, r, at, event);
                } else {
                    self.queue.schedule_in(Lane::BackendHop(tier), at, event);
                }
                // The caller that hears of a success fills the cache; the fill is sent with the answer.
                if ok && look_aside && !self.pass_empty_fill(tier, key, at + cache_hop) {
                    self.fill_later(tier, key, at + cache_hop);
                }
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
            self.attempt_succeeded(r);
        } else {
            self.attempt_failed(r, Failure::Error);
        }
    }

    /// Sends a fill of `key` that reaches `tier`'s cache at `at_ns`.
    fn fill(&mut self, tier: usize, key: u32, at_ns: u64) {
        if !self.pass_empty_fill(tier, key, at_ns) {
            self.queue.schedule_in(Lane::CacheHop(tier), at_ns, Event::Fill { tier: tier as u8, key });
        }
    }

    pub(super) fn on_fill(&mut self, tier: usize, key: u32) {
        self.apply_fills();
        self.fill_now(tier, key);
    }

    /// A fill of `key` reaches `tier`'s cache now.
    pub(super) fn fill_now(&mut self, tier: usize, key: u32) {
        let cache_out = self.faults.cache_out(tier);
        let server = &mut self.tiers[tier].server;
        if server.cache_config.enabled && !cache_out {
            server.cache.fill(key, self.now_ns.saturating_add(server.delays.ttl_ns));
        }
    }
}
