//! Log-bucketed latency histogram (HdrHistogram, 2 significant digits: ≤ 1 % relative error).

use hdrhistogram::Histogram;

const LOWEST_NS: u64 = 1_000;
const HIGHEST_NS: u64 = 3_600 * 1_000_000_000;

/// Latencies in nanoseconds from 1 µs to 1 h; larger values are clamped to 1 h.
#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    inner: Histogram<u64>,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        let inner = Histogram::new_with_bounds(LOWEST_NS, HIGHEST_NS, 2).expect("constant bounds are valid");
        LatencyHistogram { inner }
    }
}

impl LatencyHistogram {
    pub fn record(&mut self, latency_ns: u64) {
        self.inner.saturating_record(latency_ns.clamp(LOWEST_NS, HIGHEST_NS));
    }

    /// Latency at quantile `q` (0–1) in milliseconds, `None` when empty.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        if self.inner.is_empty() { None } else { Some(self.inner.value_at_quantile(q) as f64 / 1e6) }
    }

    /// Mean latency in milliseconds, `None` when empty.
    pub fn mean_ms(&self) -> Option<f64> {
        if self.inner.is_empty() { None } else { Some(self.inner.mean() / 1e6) }
    }

    pub fn reset(&mut self) {
        self.inner.reset();
    }
}
