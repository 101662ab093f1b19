//! Running totals since the start of a run: the ledger that conservation is checked against.

use crate::sim::scenario::MAX_TIERS;
use serde::Serialize;

/// Counts since time zero. Requests in flight and the backends' gauges are read from live state,
/// not derived from these, so conservation is a real check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Logical requests created.
    pub created: u64,
    /// Logical requests that succeeded.
    pub succeeded: u64,
    /// Logical requests that failed: attempts exhausted, retry not allowed, or refused.
    pub failed: u64,
    /// Logical requests that succeeded no sooner than the per-attempt timeout after they were
    /// created (their end-to-end latency counts against the healthy test).
    pub slow_successes: u64,
    /// Each tier's ledger, the first tier's first; tiers the chain lacks stay zero.
    pub tiers: [TierTotals; MAX_TIERS],
}

/// One tier's ledger: the calls its caller made to it (the clients' for tier 1, the tier before's
/// otherwise), their attempts, and what its cache and backend did with them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TierTotals {
    /// Calls the caller started: logical requests for tier 1, one per served job of the tier
    /// before for the others.
    pub calls: u64,
    pub calls_succeeded: u64,
    /// Calls that failed: attempts exhausted, retry not allowed, or refused.
    pub calls_failed: u64,
    /// Attempts sent (first attempts and retries).
    pub attempts: u64,
    pub retries: u64,
    /// Retries an admission policy refused.
    pub retries_refused: u64,
    /// First attempts admission failed fast (an open circuit breaker).
    pub first_refused: u64,
    /// Attempts answered successfully (by the cache or the backend) in time.
    pub attempt_successes: u64,
    pub timeouts: u64,
    /// Attempts that ended with an error response.
    pub errors: u64,
    pub cache_hits: u64,
    pub cache_misses: u64,
    /// Requests that reached the backend.
    pub backend_arrivals: u64,
    /// Requests the backend's workers finished (after the call downstream, if any, returned).
    pub backend_completed: u64,
    /// Successful completions whose caller was gone by the time the answer arrived.
    pub backend_wasted: u64,
    /// Arrivals turned away at once (full queue, concurrency limit, error burst).
    pub backend_rejected: u64,
    /// Queued requests dropped unserved (deadline passed, queue timeout, pushed out of LIFO).
    pub backend_dropped: u64,
    /// Requests a worker started on.
    pub backend_started: u64,
    /// Sum of the queueing delays of started requests, in nanoseconds.
    pub backend_wait_ns: u64,
}

impl Totals {
    /// The first tier's ledger.
    pub fn first(&self) -> &TierTotals {
        &self.tiers[0]
    }
}
