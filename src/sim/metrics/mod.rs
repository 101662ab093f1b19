//! Metrics: per-window rows kept in a bounded ring buffer, running totals, latency histograms.

mod chart;
pub mod export;
mod histogram;
mod ring;
mod totals;
mod window;

pub use chart::Chart;
pub use histogram::LatencyHistogram;
pub use ring::RingBuffer;
pub use totals::{TierTotals, Totals};
pub use window::{BreakerState, Gauges, TierGauges, TierWindow, Window, WindowCounts};
