//! A span of recent windows and whether it passes the healthy test.
//!
//! The span is the fewest newest windows (at least `health.eval_windows`) whose logical requests
//! that ended number at least [`MIN_SPAN_REQUESTS`], or the last [`MAX_SPAN_S`] seconds, whichever
//! comes first: at low request rates it widens, so its ratios rest on enough requests.
//!
//! A span fails the healthy test only on evidence: its success ratio must be below 95 % with the
//! upper end of its Wilson score interval (z = 2) below 95 % too, or the share of successes that
//! took at least the timeout (end-to-end p99 ≥ T ⇔ that share is ≥ 1 %) must be above 1 % with
//! the lower end of its interval above 1 %. With thousands of requests the bounds are within a
//! point of the estimates; with a hundred they keep one unlucky request from flipping the verdict.

use crate::sim::metrics::{TierWindow, Window};

/// Logical requests a span needs before its ratios count.
pub const MIN_SPAN_REQUESTS: u64 = 300;
/// Backend completions a later tier needs in a span before its wasted share is read.
pub const MIN_TIER_COMPLETIONS: f64 = 100.0;
/// The longest span, in seconds.
pub const MAX_SPAN_S: f64 = 60.0;
/// Smallest success ratio that counts as healthy.
pub const HEALTHY_SUCCESS_RATIO: f64 = 0.95;
/// Largest share of successes slower than the timeout that counts as healthy (p99 < T).
pub const HEALTHY_SLOW_SHARE: f64 = 0.01;
/// A tier whose attempts are at least this share of the most any tier sees is where retries
/// amplify most, unless a tier before it is too.
const NEARLY_THE_MOST: f64 = 0.95;

/// Standard scores of the evidence a failing test needs.
const Z: f64 = 2.0;

/// How a span of windows did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub from_s: f64,
    pub to_s: f64,
    pub windows: usize,
    /// Logical requests that ended in the span, and of them the successes.
    pub ended: u64,
    pub succeeded: u64,
    /// Successes whose end-to-end latency reached the timeout.
    pub slow: u64,
    /// Σ attempts ÷ Σ offered, the attempts reaching the tier where retries amplify most (the
    /// first that sees at least 0.95 of the most attempts any tier sees): the clients' own in a
    /// one-tier chain.
    pub amplification: Option<f64>,
    /// That tier (from 1).
    pub amplification_tier: u32,
    /// Σ attempts reaching the last tier ÷ Σ offered.
    pub chain_amplification: Option<f64>,
    /// Σ wasted ÷ Σ backend completions at the tier where that share is largest, and that tier
    /// (from 1).
    pub wasted_share: Option<f64>,
    pub wasted_tier: u32,
    /// Newest window's end-to-end p99, in milliseconds.
    pub e2e_p99_ms: Option<f64>,
    pub cache_fill: f64,
    pub cache_hit_rate: Option<f64>,
    /// Mean busy workers ÷ workers, over the span.
    pub utilization: f64,
}

impl Span {
    /// succeeded ÷ ended: of the logical requests that ended in the span, the share that
    /// succeeded. `None` when none ended.
    pub fn success_ratio(&self) -> Option<f64> {
        (self.ended > 0).then(|| self.succeeded as f64 / self.ended as f64)
    }

    /// Share of successes that took at least the timeout end to end.
    pub fn slow_share(&self) -> Option<f64> {
        (self.succeeded > 0).then(|| self.slow as f64 / self.succeeded as f64)
    }

    /// Success ratio significantly below 95 %.
    pub fn failing_success(&self) -> bool {
        self.success_ratio().is_some_and(|r| r < HEALTHY_SUCCESS_RATIO)
            && wilson(self.succeeded, self.ended).1 < HEALTHY_SUCCESS_RATIO
    }

    /// End-to-end p99 significantly at or above the timeout.
    pub fn failing_latency(&self) -> bool {
        self.slow_share().is_some_and(|s| s > HEALTHY_SLOW_SHARE)
            && wilson(self.slow, self.succeeded).0 > HEALTHY_SLOW_SHARE
    }

    pub fn healthy(&self) -> bool {
        !self.failing_success() && !self.failing_latency()
    }

    /// Holds enough requests, or enough time, to be judged.
    pub fn complete(&self, min_windows: usize, window_s: f64) -> bool {
        self.windows >= min_windows
            && (self.ended >= MIN_SPAN_REQUESTS || (self.to_s - self.from_s) >= MAX_SPAN_S - window_s / 2.0)
    }
}

/// Wilson score interval (low, high) of `k` successes in `n` trials at [`Z`]; (0, 1) for none.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z * Z;
    let centre = p + z2 / (2.0 * n);
    let spread = Z * libm::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
    let scale = 1.0 + z2 / n;
    (((centre - spread) / scale).max(0.0), ((centre + spread) / scale).min(1.0))
}

/// Sums `windows` (oldest first) into a span.
pub fn summarise(windows: &[&Window]) -> Span {
    let sum = |f: fn(&Window) -> f64| windows.iter().map(|w| f(w)).sum::<f64>();
    let offered = sum(|w| w.offered_rps);
    let tiers = windows.first().map_or(0, |w| w.tiers.len());
    // Attempts reaching each tier. Retries amplify most at the first tier that sees nearly the
    // most: where the tiers behind retry nothing, each sees about what the one before sends, and
    // which of them sees a few more is noise.
    let attempts_at: Vec<f64> = (0..tiers.max(1))
        .map(|i| windows.iter().map(|w| w.tiers.get(i).map_or(w.attempts_rps, |t| t.attempts_rps)).sum())
        .collect();
    let most = attempts_at.iter().copied().fold(0.0, f64::max);
    let loop_at = attempts_at.iter().position(|&a| a >= NEARLY_THE_MOST * most).unwrap_or(0);
    let ratio = |attempts: f64| (offered > 0.0).then(|| attempts / offered);
    // A later tier's share counts only on enough completions, so that a handful cannot outrank
    // the first tier's well-measured share.
    let completed = |i: usize| {
        windows
            .iter()
            .filter_map(|w| w.tiers.get(i).map(|t| t.backend_completions_rps * (w.end_s - w.start_s)))
            .sum::<f64>()
    };
    let wasted = (0..tiers)
        .filter(|&i| i == 0 || completed(i) >= MIN_TIER_COMPLETIONS)
        .filter_map(|i| {
            let completions = sum_tier(windows, i, |t| t.backend_completions_rps);
            (completions > 0.0).then(|| (sum_tier(windows, i, |t| t.wasted_rps) / completions, i as u32 + 1))
        })
        .reduce(|worst, next| if next.0 > worst.0 { next } else { worst });
    let lookups: f64 = windows.iter().filter(|w| w.cache_hit_rate.is_some()).map(|w| w.attempts_rps).sum();
    let hits: f64 = windows.iter().filter_map(|w| w.cache_hit_rate.map(|h| h * w.attempts_rps)).sum();
    let newest = windows.last();
    Span {
        from_s: windows.first().map_or(0.0, |w| w.start_s),
        to_s: newest.map_or(0.0, |w| w.end_s),
        windows: windows.len(),
        ended: windows.iter().map(|w| w.succeeded + w.failed).sum(),
        succeeded: windows.iter().map(|w| w.succeeded).sum(),
        slow: windows.iter().map(|w| w.slow_successes).sum(),
        amplification: ratio(attempts_at[loop_at]),
        amplification_tier: loop_at as u32 + 1,
        chain_amplification: ratio(attempts_at[attempts_at.len() - 1]),
        wasted_share: wasted.map(|(share, _)| share),
        wasted_tier: wasted.map_or(1, |(_, tier)| tier),
        e2e_p99_ms: newest.and_then(|w| w.e2e_p99_ms),
        cache_fill: newest.map_or(0.0, |w| w.cache_fill),
        cache_hit_rate: (lookups > 0.0).then(|| hits / lookups),
        utilization: if windows.is_empty() { 0.0 } else { sum(|w| w.utilization) / windows.len() as f64 },
    }
}

/// Σ over `windows` of a tier's figure.
fn sum_tier(windows: &[&Window], tier: usize, f: fn(&TierWindow) -> f64) -> f64 {
    windows.iter().filter_map(|w| w.tiers.get(tier)).map(f).sum()
}

/// The newest span ending with the last of `windows` (oldest first), and how many windows it took.
pub fn newest_span(windows: &[&Window], min_windows: usize) -> Span {
    let newest_end = windows.last().map_or(0.0, |w| w.end_s);
    let mut ended = 0;
    let mut taken = 0;
    for w in windows.iter().rev() {
        if taken >= min_windows && (ended >= MIN_SPAN_REQUESTS || newest_end - w.end_s >= MAX_SPAN_S - 1e-9) {
            break;
        }
        ended += w.succeeded + w.failed;
        taken += 1;
    }
    summarise(&windows[windows.len() - taken..])
}
