//! Backoff with jitter, exactly the AWS Architecture Blog formulas
//! ("Exponential Backoff And Jitter"), with `n` the retry number counted from 0:
//! - ceiling: none → 0; constant → base; exponential → min(cap, base · multiplier^n)
//! - no jitter: ceiling
//! - full: rand(0, ceiling)
//! - equal: ceiling/2 + rand(0, ceiling/2)
//! - decorrelated: min(cap, rand(base, previous · 3)), previous starting at base.

use crate::sim::scenario::{BackoffKind, JitterKind, Retry, ms_to_ns};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// A retry policy's delays, converted once: base and cap in nanoseconds, and the exponential
/// ceiling of the first retries.
#[derive(Clone, Debug)]
pub struct Backoff {
    backoff: BackoffKind,
    jitter: JitterKind,
    base_ns: u64,
    cap_ns: u64,
    multiplier: f64,
    /// The ceiling before retry number n, for n below [`CEILINGS_KEPT`].
    ceilings: Vec<u64>,
}

/// Ceilings computed ahead; later retries compute theirs.
const CEILINGS_KEPT: u32 = 32;

impl Backoff {
    pub fn new(policy: &Retry) -> Self {
        let mut backoff = Backoff {
            backoff: policy.backoff,
            jitter: policy.jitter,
            base_ns: ms_to_ns(policy.base_ms),
            cap_ns: ms_to_ns(policy.cap_ms),
            multiplier: policy.multiplier,
            ceilings: Vec::new(),
        };
        backoff.ceilings = (0..CEILINGS_KEPT).map(|n| backoff.ceiling_ns(n)).collect();
        backoff
    }

    fn ceiling_ns(&self, n: u32) -> u64 {
        let (base, cap) = (self.base_ns, self.cap_ns);
        match self.backoff {
            BackoffKind::None => 0,
            BackoffKind::Constant => base,
            BackoffKind::Exponential => {
                let grown = base as f64 * libm::pow(self.multiplier, n as f64);
                if grown >= cap as f64 { cap } else { grown as u64 }
            }
        }
    }

    /// Delay before retry number `n` (0 for the first retry), in nanoseconds. `previous_ns` is
    /// the delay before the previous retry (0 before the first), used by decorrelated jitter.
    pub fn delay_ns(&self, n: u32, previous_ns: u64, rng: &mut Pcg64Mcg) -> u64 {
        if self.backoff == BackoffKind::None {
            return 0;
        }
        let ceiling = self.ceilings.get(n as usize).copied().unwrap_or_else(|| self.ceiling_ns(n));
        let (base, cap) = (self.base_ns, self.cap_ns);
        match self.jitter {
            JitterKind::None => ceiling,
            JitterKind::Full => uniform(rng, 0, ceiling),
            JitterKind::Equal => ceiling / 2 + uniform(rng, 0, ceiling - ceiling / 2),
            JitterKind::Decorrelated => {
                let previous = if previous_ns == 0 { base } else { previous_ns };
                uniform(rng, base, previous.saturating_mul(3).max(base)).min(cap)
            }
        }
    }
}

/// Uniform integer in `low..=high`.
fn uniform(rng: &mut Pcg64Mcg, low: u64, high: u64) -> u64 {
    if high <= low { low } else { rng.random_range(low..=high) }
}
