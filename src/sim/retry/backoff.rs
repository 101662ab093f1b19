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

/// Delay before retry number `n` (0 for the first retry), in nanoseconds. `previous_ns` is the
/// delay before the previous retry (0 before the first), used by decorrelated jitter.
pub fn backoff_ns(policy: &Retry, n: u32, previous_ns: u64, rng: &mut Pcg64Mcg) -> u64 {
    let base = ms_to_ns(policy.base_ms);
    let cap = ms_to_ns(policy.cap_ms);
    let ceiling = match policy.backoff {
        BackoffKind::None => return 0,
        BackoffKind::Constant => base,
        BackoffKind::Exponential => {
            let grown = base as f64 * libm::pow(policy.multiplier, n as f64);
            if grown >= cap as f64 { cap } else { grown as u64 }
        }
    };
    match policy.jitter {
        JitterKind::None => ceiling,
        JitterKind::Full => uniform(rng, 0, ceiling),
        JitterKind::Equal => ceiling / 2 + uniform(rng, 0, ceiling - ceiling / 2),
        JitterKind::Decorrelated => {
            let previous = if previous_ns == 0 { base } else { previous_ns };
            uniform(rng, base, previous.saturating_mul(3).max(base)).min(cap)
        }
    }
}

/// Uniform integer in `low..=high`.
fn uniform(rng: &mut Pcg64Mcg, low: u64, high: u64) -> u64 {
    if high <= low { low } else { rng.random_range(low..=high) }
}
