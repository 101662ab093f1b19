//! Demand against capacity from the settings alone: the first-attempt utilisation of the busiest
//! tier, how long a fresh run needs to settle near capacity, and what queueing theory predicts
//! there (for a one-tier chain).

use crate::sim::cache::warm_hit_rate;
use crate::sim::scenario::{LoopMode, Scenario, ServiceDistribution};

/// Relaxation times a fresh run lasts, at least.
const RELAXATION_TIMES: f64 = 10.0;
/// The longest fresh run, in simulated seconds; nearer capacity, theory decides.
pub const MAX_FRESH_RUN_S: f64 = 600.0;

/// The warm hit rate the scenario's cache reaches (0 with no cache). In closed loop the lookup
/// rate is taken as users ÷ think time, its upper bound.
pub fn scenario_warm_hit_rate(s: &Scenario) -> f64 {
    let rate = match s.clients.mode {
        LoopMode::Open => s.clients.load_rps,
        LoopMode::Closed => f64::from(s.clients.users) / s.clients.think_time_s.max(1e-3),
    };
    warm_hit_rate(s.clients.keys, s.clients.zipf_s, s.cache_capacity(), s.cache.ttl_s, rate)
}

/// First-attempt demand on the busiest tier's backend; `None` in closed loop, where demand depends
/// on response times. For one tier ρ = λ·(1 − h)·S ÷ c, with h the warm hit rate; in a chain see
/// [`tier_demands`].
pub fn first_attempt_utilization(s: &Scenario, warm_hit_rate: f64) -> Option<f64> {
    (s.clients.mode == LoopMode::Open).then(|| bottleneck(s, warm_hit_rate).0.utilization)
}

/// One tier's first-attempt demand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TierDemand {
    /// Requests reaching its backend per second.
    pub arrivals_rps: f64,
    /// How long a first attempt holds a worker, in seconds: its own service time, plus, when a
    /// tier follows, the call there without queueing (hops, its cache, its hold time on a miss).
    pub hold_s: f64,
    /// ρ = arrivals × hold ÷ workers.
    pub utilization: f64,
}

/// Each tier's first-attempt demand at load λ, tier 1's cache at warm hit rate `warm_hit_rate` and
/// later tiers' caches at theirs. Hold times leave out queueing and retries, so each ρ is a lower
/// bound on what the tier carries.
pub fn tier_demands(s: &Scenario, warm_hit_rate: f64) -> Vec<TierDemand> {
    let count = s.tier_count();
    // Hit rate of each tier's cache, for the calls that reach it.
    let mut calls_rps = s.clients.load_rps;
    let mut hit_rates = Vec::with_capacity(count);
    for tier in s.tier_refs() {
        let h = if tier.index == 0 {
            warm_hit_rate
        } else {
            let capacity = s.cache_capacity_of(tier.index);
            warm_hit_rate_of(s, capacity, tier.cache.ttl_s, calls_rps)
        };
        hit_rates.push(h);
        calls_rps *= 1.0 - h;
    }
    // Hold times, last tier first: H_k = S_k + call to k + 1 (cache round trip, then on a miss
    // the backend round trip and H_{k+1}).
    let mut holds = vec![0.0; count];
    for index in (0..count).rev() {
        let own_s = s.tier(index).backend.service_time_ms / 1e3;
        let call_s = match index + 1 < count {
            false => 0.0,
            true => {
                let next = s.tier(index + 1);
                let cache_s = if next.cache.enabled {
                    (2.0 * next.network.cache_ms + next.cache.hit_latency_ms) / 1e3
                } else {
                    0.0
                };
                cache_s + (1.0 - hit_rates[index + 1]) * (2.0 * next.network.backend_ms / 1e3 + holds[index + 1])
            }
        };
        holds[index] = own_s + call_s;
    }
    let mut arrivals_rps = s.clients.load_rps;
    s.tier_refs()
        .map(|tier| {
            arrivals_rps *= 1.0 - hit_rates[tier.index];
            let hold_s = holds[tier.index];
            TierDemand { arrivals_rps, hold_s, utilization: arrivals_rps * hold_s / tier.backend.workers as f64 }
        })
        .collect()
}

fn warm_hit_rate_of(s: &Scenario, capacity: usize, ttl_s: f64, lookups_rps: f64) -> f64 {
    warm_hit_rate(s.clients.keys, s.clients.zipf_s, capacity, ttl_s, lookups_rps)
}

/// The tier with the highest first-attempt utilisation, and its workers.
fn bottleneck(s: &Scenario, warm_hit_rate: f64) -> (TierDemand, u32) {
    let index = busiest_tier(s, warm_hit_rate);
    (tier_demands(s, warm_hit_rate)[index], s.tier(index).backend.workers)
}

/// The tier (0 for the first) with the highest first-attempt utilisation.
pub fn busiest_tier(s: &Scenario, warm_hit_rate: f64) -> usize {
    let demands = tier_demands(s, warm_hit_rate);
    let busiest = demands.iter().enumerate().max_by(|a, b| a.1.utilization.total_cmp(&b.1.utilization));
    busiest.map_or(0, |(index, _)| index)
}

/// Relaxation time of the busiest tier's queue at utilisation ρ < 1, in seconds: (H/c) ÷ (1 − √ρ)²
/// with H its hold time (the service time S in a one-tier chain), the time scale on which a queue
/// near capacity forgets its start (Morse's M/M/1 result with the pool's service rate); it grows
/// like 1/(1 − ρ)².
pub fn relaxation_s(s: &Scenario, warm_hit_rate: f64, rho: f64) -> f64 {
    let gap = 1.0 - libm::sqrt(rho.clamp(0.0, 1.0));
    let (demand, workers) = bottleneck(s, warm_hit_rate);
    (demand.hold_s / workers as f64) / (gap * gap).max(f64::MIN_POSITIVE)
}

/// How long the fresh run must last to settle: `health.counterfactual_s`, or ten relaxation times
/// when that is longer; `None` when that exceeds [`MAX_FRESH_RUN_S`] in a one-tier chain (theory
/// decides instead). A longer chain has no closed form, so its fresh run lasts at most that long.
pub fn fresh_run_s(s: &Scenario, warm_hit_rate: f64, rho: Option<f64>) -> Option<f64> {
    let needed = rho.map_or(0.0, |rho| RELAXATION_TIMES * relaxation_s(s, warm_hit_rate, rho));
    if s.tier_count() > 1 {
        return Some(needed.min(MAX_FRESH_RUN_S).max(s.health.counterfactual_s));
    }
    (needed <= MAX_FRESH_RUN_S).then(|| needed.max(s.health.counterfactual_s))
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue with `a` erlangs offered
/// (a < c), by the Erlang B recursion B(k) = a·B(k−1) ÷ (k + a·B(k−1)).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let b = (1..=c).fold(1.0, |b, k| a * b / (k as f64 + a * b));
    let c = c as f64;
    (c * b / (c - a * (1.0 - b))).clamp(0.0, 1.0)
}

/// Settled end-to-end p99 of a first attempt that reaches the backend, in milliseconds, at
/// utilisation ρ < 1: the wait's p99 from Erlang C, ln(C ÷ 0.01) ÷ (cμ − λ), scaled by
/// (1 + cv²) ÷ 2 for service-time variability (Allen–Cunneen), plus the service time's p99
/// (S·ln 100 when exponential, S when fixed) and the network hops (and the cache's, when there is
/// one).
pub fn theory_p99_ms(s: &Scenario, rho: f64) -> f64 {
    let b = &s.backend;
    let service_s = b.service_time_ms / 1e3;
    let cv = match b.distribution {
        ServiceDistribution::Exponential => 1.0,
        ServiceDistribution::LogNormal => b.service_cv,
        ServiceDistribution::Deterministic => 0.0,
    };
    let c = b.workers;
    let waits = erlang_c(c, rho * c as f64);
    let drain_per_s = (1.0 - rho) * c as f64 / service_s;
    let wait_p99_s = if waits > 0.01 { libm::log(waits / 0.01) / drain_per_s * (1.0 + cv * cv) / 2.0 } else { 0.0 };
    let service_p99_s = service_s * (1.0 + cv * (libm::log(100.0) - 1.0));
    let cache_ms = if s.cache.enabled { 2.0 * s.network.cache_ms + s.cache.hit_latency_ms } else { 0.0 };
    let hops_ms = 2.0 * s.network.backend_ms + cache_ms;
    (wait_p99_s + service_p99_s) * 1e3 + hops_ms
}
