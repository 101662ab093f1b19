//! A tier as a value: the caller that calls it (timeout, retry policy, admission, its own backoff
//! randomness) and the server it calls (cache, coalescing, queue and workers, its own service and
//! error randomness). Tier 1's caller is the clients; every later tier's is the tier before.

use super::empty_cache::Foregone;
use super::streams::derive;
use crate::sim::backend::{BackendState, ServiceTime};
use crate::sim::cache::{Cache, Coalescer};
use crate::sim::draws::Draws;
use crate::sim::metrics::TierTotals;
use crate::sim::retry::{Admission, Backoff};
use crate::sim::scenario::{Backend, Cache as CacheConfig, Retry, TierRef, ms_to_ns, s_to_ns};
use rand_pcg::Pcg64Mcg;
use std::collections::HashSet;

/// One tier: its caller, its server, and its ledger.
#[derive(Clone, Debug)]
pub(super) struct Tier {
    pub caller: Caller,
    pub server: Server,
    pub ledger: TierTotals,
}

/// Who calls a tier: attempts, timeouts, the retry decision and admission.
#[derive(Clone, Debug)]
pub(super) struct Caller {
    pub policy: Retry,
    pub backoff: Backoff,
    pub admission: Admission,
    pub timeout_ns: Option<u64>,
    pub backoff_rng: Pcg64Mcg,
    /// Attempts whose caller still waits.
    pub awaited: u64,
    /// Calls in flight, those waiting to retry included.
    pub calls_live: u64,
}

/// What a tier is: its cache in front, and its backend.
#[derive(Clone, Debug)]
pub(super) struct Server {
    pub cache_config: CacheConfig,
    pub backend_config: Backend,
    pub delays: Delays,
    pub cache: Cache,
    pub coalescer: Coalescer,
    pub revalidating: HashSet<u32>,
    pub backend: BackendState,
    pub service: ServiceTime,
    pub service_draws: Draws,
    pub error_rng: Pcg64Mcg,
    /// Lookups and fills that need no event while the cache holds no keys.
    pub foregone: Foregone,
}

/// Fixed delays of a tier's settings in force, in nanoseconds (converted once, not per event).
#[derive(Clone, Copy, Debug)]
pub(super) struct Delays {
    pub cache_hop_ns: u64,
    pub backend_hop_ns: u64,
    pub cache_reply_ns: u64,
    pub ttl_ns: u64,
}

impl Delays {
    pub fn of(tier: &TierRef) -> Self {
        let cache_hop_ns = ms_to_ns(tier.network.cache_ms);
        Delays {
            cache_hop_ns,
            backend_hop_ns: ms_to_ns(tier.network.backend_ms),
            cache_reply_ns: ms_to_ns(tier.cache.hit_latency_ms) + cache_hop_ns,
            ttl_ns: s_to_ns(tier.cache.ttl_s),
        }
    }
}

/// Random stream numbers of tier `index`: tier 1 keeps the numbers the engine has always used
/// (service 3, backoff 4, errors 5), so a one-tier chain draws exactly as before.
fn stream_numbers(index: usize) -> (u64, u64, u64) {
    match index {
        0 => (3, 4, 5),
        i => {
            let base = 16 * i as u64;
            (base + 3, base + 4, base + 5)
        }
    }
}

impl Caller {
    pub fn new(tier: &TierRef, seed: u64) -> Self {
        let (_, backoff, _) = stream_numbers(tier.index);
        Caller {
            policy: tier.retry.clone(),
            backoff: Backoff::new(tier.retry),
            admission: Admission::new(tier.retry),
            timeout_ns: tier.timeout_ns(),
            backoff_rng: derive(seed, backoff),
            awaited: 0,
            calls_live: 0,
        }
    }
}

impl Server {
    pub fn new(tier: &TierRef, seed: u64, cache_capacity: usize) -> Self {
        let (service, _, errors) = stream_numbers(tier.index);
        Server {
            cache_config: tier.cache.clone(),
            backend_config: tier.backend.clone(),
            delays: Delays::of(tier),
            cache: Cache::new(cache_capacity),
            coalescer: Coalescer::default(),
            revalidating: HashSet::new(),
            backend: BackendState::new(tier.backend.workers),
            service: ServiceTime::new(tier.backend),
            service_draws: Draws::new(derive(seed, service)),
            error_rng: derive(seed, errors),
            foregone: Foregone::default(),
        }
    }

    /// Bytes held by its cache, backend and coalescing.
    pub fn footprint_bytes(&self) -> usize {
        self.cache.footprint_bytes()
            + self.backend.footprint_bytes()
            + self.foregone.footprint_bytes()
            + (self.coalescer.len() + self.coalescer.waiters() + self.revalidating.len()) * 16
    }
}
