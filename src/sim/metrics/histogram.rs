//! Log-bucketed latency histogram (HdrHistogram's layout, 2 significant digits: ≤ 1 % relative
//! error).
//!
//! Every successful attempt and request records a latency, so a record only counts: the value's
//! bucket is found with HdrHistogram's own arithmetic (a count of leading zeros and a shift). A
//! window's quantiles and mean are read from the counts with HdrHistogram's own formulas, in its
//! order of floating-point operations, so they are exactly those of recording every value into an
//! `hdrhistogram::Histogram` (a test checks them bit for bit) without building one per window.

const LOWEST_NS: u64 = 1_000;
const HIGHEST_NS: u64 = 3_600 * 1_000_000_000;
const SIGFIG: u8 = 2;

/// HdrHistogram's layout for these bounds: a unit of 2^`UNIT` ns (the largest power of two not
/// above the lowest value), and buckets of 2^`SUB` sub-buckets (the smallest power of two that
/// holds 2 · 10^`SIGFIG`), each bucket after the first using only its upper half.
const UNIT: u32 = LOWEST_NS.ilog2();
const SUB: u32 = (2 * 10u64.pow(SIGFIG as u32)).next_power_of_two().ilog2();
const HALF: u32 = SUB - 1;

/// The bucket `value` counts in, as HdrHistogram numbers it.
#[inline]
fn index_of(value: u64) -> usize {
    let sub_bucket_mask = ((1u64 << SUB) - 1) << UNIT;
    let bucket = (64 - UNIT - SUB) - (value | sub_bucket_mask).leading_zeros();
    let sub_bucket = (value >> (bucket + UNIT)) as usize;
    ((bucket as usize + 1) << HALF) + sub_bucket - (1 << HALF)
}

/// How many values bucket `index` holds: 2^(unit + its power-of-two bucket).
fn range_of(index: usize) -> u64 {
    1 << (UNIT + (index >> HALF).saturating_sub(1) as u32)
}

/// The lowest value bucket `index` holds.
fn lowest_value_of(index: usize) -> u64 {
    let (bucket, sub_bucket) = match (index >> HALF).checked_sub(1) {
        Some(bucket) => (bucket as u32, (index & ((1 << HALF) - 1)) as u64 + (1 << HALF)),
        None => (0, index as u64),
    };
    sub_bucket << (bucket + UNIT)
}

/// Latencies in nanoseconds from 1 µs to 1 h; larger values are clamped to 1 h.
#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    /// Values recorded, by bucket.
    counts: Vec<u64>,
    /// The buckets recorded in lie in `first..=last` (`first > last` when none is).
    first: usize,
    last: usize,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        let buckets = index_of(HIGHEST_NS) + 1;
        LatencyHistogram { counts: vec![0; buckets], first: buckets, last: 0 }
    }
}

impl LatencyHistogram {
    #[inline]
    pub fn record(&mut self, latency_ns: u64) {
        let index = index_of(latency_ns.clamp(LOWEST_NS, HIGHEST_NS));
        self.counts[index] += 1;
        (self.first, self.last) = (self.first.min(index), self.last.max(index));
    }

    /// The latencies recorded, ready to be read.
    pub fn summary(&self) -> LatencySummary {
        let recorded: Vec<(usize, u64)> = (self.first..=self.last)
            .filter(|&index| self.counts[index] > 0)
            .map(|index| (index, self.counts[index]))
            .collect();
        let total = recorded.iter().map(|&(_, count)| count).sum();
        LatencySummary { recorded, total }
    }

    pub fn reset(&mut self) {
        if self.first <= self.last {
            self.counts[self.first..=self.last].fill(0);
        }
        (self.first, self.last) = (self.counts.len(), 0);
    }
}

/// A window's latencies, read: the buckets recorded in, lowest first, with their counts.
pub struct LatencySummary {
    recorded: Vec<(usize, u64)>,
    total: u64,
}

impl LatencySummary {
    /// Latency at quantile `q` (0–1) in milliseconds, `None` when empty: as HdrHistogram's
    /// `value_at_quantile`, the highest value of the first bucket whose running count reaches
    /// ⌈q · total⌉ (at least 1), or the lowest for q = 0.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let q = q.min(1.0);
        let wanted = ((q * self.total as f64).ceil() as u64).max(1);
        let mut running = 0;
        let &(index, _) = self.recorded.iter().find(|&&(_, count)| {
            running += count;
            running >= wanted
        })?;
        let value = if q == 0.0 { lowest_value_of(index) } else { lowest_value_of(index) + range_of(index) - 1 };
        Some(value as f64 / 1e6)
    }

    /// Mean latency in milliseconds, `None` when empty: as HdrHistogram's `mean`, the sum over the
    /// buckets, lowest first, of each one's middle value times its share of the count.
    pub fn mean_ms(&self) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let total = self.total as f64;
        let mean = self.recorded.iter().fold(0.0, |sum, &(index, count)| {
            let middle = lowest_value_of(index) + (range_of(index) >> 1);
            sum + middle as f64 * count as f64 / total
        });
        Some(mean / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hdrhistogram::Histogram;
    use rand::{RngExt, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    #[test]
    fn buckets_are_hdr_histograms_own() {
        let reference = Histogram::<u64>::new_with_bounds(LOWEST_NS, HIGHEST_NS, SIGFIG).unwrap();
        for index in 0..=index_of(HIGHEST_NS) {
            assert_eq!(index_of(lowest_value_of(index)), index);
        }
        let mut rng = Pcg64Mcg::seed_from_u64(11);
        for _ in 0..100_000 {
            let value = rng.random_range(LOWEST_NS..=HIGHEST_NS) >> rng.random_range(0..32u32);
            let value = value.max(LOWEST_NS);
            assert_eq!(lowest_value_of(index_of(value)), reference.lowest_equivalent(value), "{value}");
        }
    }

    #[test]
    fn quantiles_and_mean_equal_recording_every_value() {
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        for round in 0..200 {
            let mut ours = LatencyHistogram::default();
            let mut reference = Histogram::<u64>::new_with_bounds(LOWEST_NS, HIGHEST_NS, SIGFIG).unwrap();
            for _ in 0..rng.random_range(1..5_000) {
                // From under 1 µs to over 1 h, spread over the scales.
                let value = (libm::exp(rng.random_range(0.0..30.0)) as u64).saturating_mul(round + 1);
                ours.record(value);
                reference.saturating_record(value.clamp(LOWEST_NS, HIGHEST_NS));
            }
            let summary = ours.summary();
            assert_eq!(summary.mean_ms().map(f64::to_bits), Some((reference.mean() / 1e6).to_bits()));
            for q in [0.0, 0.5, 0.9, 0.99, 0.999, 1.0] {
                let expected = reference.value_at_quantile(q) as f64 / 1e6;
                assert_eq!(summary.quantile_ms(q).map(f64::to_bits), Some(expected.to_bits()), "q {q}");
            }
            ours.reset();
            assert_eq!(ours.summary().quantile_ms(0.5), None);
        }
    }
}
