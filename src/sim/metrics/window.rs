//! One row of metrics: what happened during one window of simulated time.

use super::{LatencyHistogram, TierTotals, Totals};
use serde::Serialize;

/// Circuit breaker position at the end of a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

/// Metrics of one window. Rates are per second of simulated time; a value that does not exist
/// (a percentile with no successes, a ratio over zero) is `None`, never NaN.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Window {
    /// 0 for the first window of a run.
    pub index: u64,
    pub start_s: f64,
    pub end_s: f64,
    /// New logical requests per second.
    pub offered_rps: f64,
    pub attempts_rps: f64,
    pub retries_rps: f64,
    /// Logical requests that succeeded per second.
    pub goodput_rps: f64,
    /// Logical requests that failed per second.
    pub failed_rps: f64,
    /// Logical requests that ended in the window: succeeded, failed, and of the successes those
    /// no faster than the timeout.
    pub succeeded: u64,
    pub failed: u64,
    pub slow_successes: u64,
    /// Of the logical requests that ended in the window, the share that succeeded:
    /// succeeded ÷ (succeeded + failed). Never above 1.
    pub success_ratio: Option<f64>,
    /// attempts ÷ offered.
    pub retry_amplification: Option<f64>,
    pub backend_arrivals_rps: f64,
    pub backend_completions_rps: f64,
    /// Completions whose caller had given up.
    pub wasted_rps: f64,
    pub timeouts_rps: f64,
    pub errors_rps: f64,
    /// Backend arrivals turned away at once.
    pub rejections_rps: f64,
    /// Queued requests dropped unserved.
    pub dropped_rps: f64,
    pub retries_refused_rps: f64,
    /// First attempts failed fast by admission (an open circuit breaker).
    pub first_refused_rps: f64,
    /// Busy worker time ÷ available worker time.
    pub utilization: f64,
    /// Backend queue length at the window's end.
    pub queue_len: u64,
    /// Requests in service at the window's end.
    pub in_service: u64,
    /// Queue length and busy workers averaged over the window's time.
    pub queue_mean: f64,
    pub busy_mean: f64,
    /// Logical requests in flight (including those waiting to retry) at the window's end.
    pub in_flight: u64,
    pub cache_hit_rate: Option<f64>,
    /// Cache entries ÷ capacity at the window's end.
    pub cache_fill: f64,
    pub cache_capacity: u64,
    pub breaker: Option<BreakerState>,
    /// Retry tokens left (token bucket, gRPC throttling) or retries still allowed (budget).
    pub retry_tokens: Option<f64>,
    /// Latency of successful attempts.
    pub mean_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub p999_ms: Option<f64>,
    /// End-to-end latency of successful logical requests, backoff included.
    pub e2e_mean_ms: Option<f64>,
    pub e2e_p50_ms: Option<f64>,
    pub e2e_p90_ms: Option<f64>,
    pub e2e_p99_ms: Option<f64>,
    pub e2e_p999_ms: Option<f64>,
    /// Attempts that reached the last tier per logical request offered (the first tier's
    /// `retry_amplification` in a one-tier chain).
    pub chain_amplification: Option<f64>,
    /// Each tier, the first first (the columns above describe tier 1 and its callers, the clients).
    pub tiers: Vec<TierWindow>,
}

/// One tier in one window: the calls its caller made to it, and its cache and backend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TierWindow {
    pub name: String,
    /// Calls started per second by its caller.
    pub calls_rps: f64,
    /// Calls that succeeded, and failed, per second.
    pub goodput_rps: f64,
    pub failed_rps: f64,
    pub attempts_rps: f64,
    pub retries_rps: f64,
    /// Attempts per call started: this layer's own retry amplification.
    pub attempts_per_call: Option<f64>,
    /// Attempts that reached this tier per logical request offered: amplification so far.
    pub retry_amplification: Option<f64>,
    pub timeouts_rps: f64,
    pub errors_rps: f64,
    pub backend_arrivals_rps: f64,
    pub backend_completions_rps: f64,
    /// Successful completions whose caller had given up.
    pub wasted_rps: f64,
    pub rejections_rps: f64,
    pub dropped_rps: f64,
    /// Busy worker time ÷ available worker time (a worker waiting on the tier behind is busy).
    pub utilization: f64,
    pub queue_len: u64,
    pub in_service: u64,
    pub queue_mean: f64,
    pub busy_mean: f64,
    pub cache_hit_rate: Option<f64>,
    /// Attempts answered by the cache, per second.
    pub cache_hits_rps: f64,
}

/// What a window collects while it is open.
#[derive(Clone, Debug, Default)]
pub struct WindowCounts {
    pub totals_at_start: Totals,
    pub attempt_latency: LatencyHistogram,
    pub e2e_latency: LatencyHistogram,
}

/// Gauges read from live state when a window closes.
pub struct Gauges {
    /// Logical requests in flight.
    pub in_flight: u64,
    /// Each tier's, the first first.
    pub tiers: Vec<TierGauges>,
}

/// One tier's gauges (its caller's admission state included).
pub struct TierGauges {
    pub name: String,
    pub utilization: f64,
    pub queue_len: u64,
    pub in_service: u64,
    pub queue_mean: f64,
    pub busy_mean: f64,
    pub cache_fill: f64,
    pub cache_capacity: u64,
    pub breaker: Option<BreakerState>,
    pub retry_tokens: Option<f64>,
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

impl WindowCounts {
    /// Builds the row for a window that ran from `start_ns` to `end_ns` and ends with `now`.
    pub fn close(&self, index: u64, start_ns: u64, end_ns: u64, now: &Totals, gauges: Gauges) -> Window {
        let t0 = &self.totals_at_start;
        let length_ns = end_ns.saturating_sub(start_ns).max(1) as f64;
        let rate = |a: u64, b: u64| (a - b) as f64 * 1e9 / length_ns;
        let (start_s, end_s) = (start_ns as f64 / 1e9, end_ns as f64 / 1e9);
        let succeeded = now.succeeded - t0.succeeded;
        let failed = now.failed - t0.failed;
        let created = now.created - t0.created;
        let tiers: Vec<TierWindow> = gauges
            .tiers
            .iter()
            .zip(now.tiers.iter().zip(&t0.tiers))
            .map(|(g, (n, t))| tier_window(g, n, t, created, &rate))
            .collect();
        let (first, n, t) = (&gauges.tiers[0], now.first(), t0.first());
        let last = gauges.tiers.len() - 1;
        let a = self.attempt_latency.summary();
        let e = self.e2e_latency.summary();
        Window {
            index,
            start_s,
            end_s,
            offered_rps: rate(now.created, t0.created),
            attempts_rps: rate(n.attempts, t.attempts),
            retries_rps: rate(n.retries, t.retries),
            goodput_rps: rate(now.succeeded, t0.succeeded),
            failed_rps: rate(now.failed, t0.failed),
            succeeded,
            failed,
            slow_successes: now.slow_successes - t0.slow_successes,
            success_ratio: ratio(succeeded, succeeded + failed),
            retry_amplification: ratio(n.attempts - t.attempts, created),
            backend_arrivals_rps: rate(n.backend_arrivals, t.backend_arrivals),
            backend_completions_rps: rate(n.backend_completed, t.backend_completed),
            wasted_rps: rate(n.backend_wasted, t.backend_wasted),
            timeouts_rps: rate(n.timeouts, t.timeouts),
            errors_rps: rate(n.errors, t.errors),
            rejections_rps: rate(n.backend_rejected, t.backend_rejected),
            dropped_rps: rate(n.backend_dropped, t.backend_dropped),
            retries_refused_rps: rate(n.retries_refused, t.retries_refused),
            first_refused_rps: rate(n.first_refused, t.first_refused),
            utilization: first.utilization,
            queue_len: first.queue_len,
            in_service: first.in_service,
            queue_mean: first.queue_mean,
            busy_mean: first.busy_mean,
            in_flight: gauges.in_flight,
            cache_hit_rate: tiers[0].cache_hit_rate,
            cache_fill: first.cache_fill,
            cache_capacity: first.cache_capacity,
            breaker: first.breaker,
            retry_tokens: first.retry_tokens,
            mean_ms: a.mean_ms(),
            p50_ms: a.quantile_ms(0.5),
            p90_ms: a.quantile_ms(0.9),
            p99_ms: a.quantile_ms(0.99),
            p999_ms: a.quantile_ms(0.999),
            e2e_mean_ms: e.mean_ms(),
            e2e_p50_ms: e.quantile_ms(0.5),
            e2e_p90_ms: e.quantile_ms(0.9),
            e2e_p99_ms: e.quantile_ms(0.99),
            e2e_p999_ms: e.quantile_ms(0.999),
            chain_amplification: tiers[last].retry_amplification,
            tiers,
        }
    }

    /// Starts the next window.
    pub fn reopen(&mut self, now: Totals) {
        self.totals_at_start = now;
        self.attempt_latency.reset();
        self.e2e_latency.reset();
    }
}

/// One tier's row from its gauges and its ledger now (`n`) and at the window's start (`t`).
fn tier_window(
    g: &TierGauges,
    n: &TierTotals,
    t: &TierTotals,
    created: u64,
    rate: &impl Fn(u64, u64) -> f64,
) -> TierWindow {
    let hits = n.cache_hits - t.cache_hits;
    let lookups = hits + n.cache_misses - t.cache_misses;
    TierWindow {
        name: g.name.clone(),
        calls_rps: rate(n.calls, t.calls),
        goodput_rps: rate(n.calls_succeeded, t.calls_succeeded),
        failed_rps: rate(n.calls_failed, t.calls_failed),
        attempts_rps: rate(n.attempts, t.attempts),
        retries_rps: rate(n.retries, t.retries),
        attempts_per_call: ratio(n.attempts - t.attempts, n.calls - t.calls),
        retry_amplification: ratio(n.attempts - t.attempts, created),
        timeouts_rps: rate(n.timeouts, t.timeouts),
        errors_rps: rate(n.errors, t.errors),
        backend_arrivals_rps: rate(n.backend_arrivals, t.backend_arrivals),
        backend_completions_rps: rate(n.backend_completed, t.backend_completed),
        wasted_rps: rate(n.backend_wasted, t.backend_wasted),
        rejections_rps: rate(n.backend_rejected, t.backend_rejected),
        dropped_rps: rate(n.backend_dropped, t.backend_dropped),
        utilization: g.utilization,
        queue_len: g.queue_len,
        in_service: g.in_service,
        queue_mean: g.queue_mean,
        busy_mean: g.busy_mean,
        cache_hit_rate: ratio(hits, lookups),
        cache_hits_rps: rate(n.cache_hits, t.cache_hits),
    }
}
