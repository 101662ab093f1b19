//! Backend service time: exponential, log-normal (mean, cv) or deterministic, with mean S.

use crate::sim::clients::exponential;
use crate::sim::scenario::{Backend, ServiceDistribution};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// A sampler for one backend configuration.
#[derive(Clone, Debug)]
pub enum ServiceTime {
    Exponential {
        mean_ms: f64,
    },
    /// exp(μ + σ·Z) with Z standard normal.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Deterministic {
        ms: f64,
    },
}

impl ServiceTime {
    pub fn new(backend: &Backend) -> Self {
        let mean = backend.service_time_ms;
        match backend.distribution {
            ServiceDistribution::Exponential => ServiceTime::Exponential { mean_ms: mean },
            ServiceDistribution::Deterministic => ServiceTime::Deterministic { ms: mean },
            ServiceDistribution::LogNormal if backend.service_cv <= 0.0 => ServiceTime::Deterministic { ms: mean },
            ServiceDistribution::LogNormal => {
                // σ² = ln(1 + cv²), μ = ln(mean) − σ²/2, so the mean is exactly `mean`.
                let variance = libm::log1p(backend.service_cv * backend.service_cv);
                ServiceTime::LogNormal { mu: libm::log(mean) - variance / 2.0, sigma: libm::sqrt(variance) }
            }
        }
    }

    /// One draw, in milliseconds.
    pub fn sample_ms(&self, rng: &mut Pcg64Mcg) -> f64 {
        match self {
            ServiceTime::Exponential { mean_ms } => exponential(rng, *mean_ms),
            ServiceTime::LogNormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(rng)),
            ServiceTime::Deterministic { ms } => *ms,
        }
    }
}

/// A standard normal draw by the Box–Muller transform: √(−2 ln U₁) · cos(2π U₂).
fn standard_normal(rng: &mut Pcg64Mcg) -> f64 {
    let u1: f64 = rng.random();
    let u2: f64 = rng.random();
    libm::sqrt(-2.0 * libm::log(1.0 - u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
}
