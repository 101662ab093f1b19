//! One row of metrics: what happened during one window of simulated time.

use super::{LatencyHistogram, Totals};
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
    pub utilization: f64,
    pub queue_len: u64,
    pub in_service: u64,
    pub queue_mean: f64,
    pub busy_mean: f64,
    pub in_flight: u64,
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
        let hits = now.cache_hits - t0.cache_hits;
        let lookups = hits + now.cache_misses - t0.cache_misses;
        let a = &self.attempt_latency;
        let e = &self.e2e_latency;
        Window {
            index,
            start_s,
            end_s,
            offered_rps: rate(now.created, t0.created),
            attempts_rps: rate(now.attempts, t0.attempts),
            retries_rps: rate(now.retries, t0.retries),
            goodput_rps: rate(now.succeeded, t0.succeeded),
            failed_rps: rate(now.failed, t0.failed),
            succeeded,
            failed,
            slow_successes: now.slow_successes - t0.slow_successes,
            success_ratio: ratio(succeeded, succeeded + failed),
            retry_amplification: ratio(now.attempts - t0.attempts, now.created - t0.created),
            backend_arrivals_rps: rate(now.backend_arrivals, t0.backend_arrivals),
            backend_completions_rps: rate(now.backend_completed, t0.backend_completed),
            wasted_rps: rate(now.backend_wasted, t0.backend_wasted),
            timeouts_rps: rate(now.timeouts, t0.timeouts),
            errors_rps: rate(now.errors, t0.errors),
            rejections_rps: rate(now.backend_rejected, t0.backend_rejected),
            dropped_rps: rate(now.backend_dropped, t0.backend_dropped),
            retries_refused_rps: rate(now.retries_refused, t0.retries_refused),
            first_refused_rps: rate(now.breaker_rejections, t0.breaker_rejections),
            utilization: gauges.utilization,
            queue_len: gauges.queue_len,
            in_service: gauges.in_service,
            queue_mean: gauges.queue_mean,
            busy_mean: gauges.busy_mean,
            in_flight: gauges.in_flight,
            cache_hit_rate: ratio(hits, lookups),
            cache_fill: gauges.cache_fill,
            cache_capacity: gauges.cache_capacity,
            breaker: gauges.breaker,
            retry_tokens: gauges.retry_tokens,
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
        }
    }

    /// Starts the next window.
    pub fn reopen(&mut self, now: Totals) {
        self.totals_at_start = now;
        self.attempt_latency.reset();
        self.e2e_latency.reset();
    }
}
