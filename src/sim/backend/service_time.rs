//! Backend service time: exponential, log-normal (mean, cv) or deterministic, with mean S.

use crate::sim::draws::Draws;
use crate::sim::scenario::{Backend, ServiceDistribution};

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
    pub fn sample_ms(&self, draws: &mut Draws) -> f64 {
        match self {
            ServiceTime::Exponential { mean_ms } => draws.exponential(*mean_ms),
            ServiceTime::LogNormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(draws)),
            ServiceTime::Deterministic { ms } => *ms,
        }
    }
}

/// A standard normal draw by the Box–Muller transform: √(−2 ln U₁) · cos(2π U₂).
fn standard_normal(draws: &mut Draws) -> f64 {
    let log = draws.log_complement();
    let u2 = draws.uniform();
    libm::sqrt(-2.0 * log) * libm::cos(2.0 * core::f64::consts::PI * u2)
}
