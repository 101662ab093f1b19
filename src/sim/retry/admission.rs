//! Retry admission: the policy that may refuse a retry (or, for a breaker, any attempt).

use super::{Breaker, SlidingCounts};
use crate::sim::metrics::BreakerState;
use crate::sim::scenario::{AdmissionKind, Retry};

const REQUESTS: usize = 0;
const RETRIES: usize = 1;

/// State of the configured admission policy.
#[derive(Clone, Debug)]
pub enum Admission {
    None,
    /// AWS SDK standard retry quota: a retry costs `retry_cost` (`timeout_retry_cost` after a
    /// timeout) from a bucket of `capacity`; a retry that succeeds returns what it cost, and a
    /// first attempt that succeeds adds `success_refund` (1).
    TokenBucket {
        tokens: f64,
    },
    /// gRPC: each failure costs 1 token, each success earns `token_ratio`; retries are allowed
    /// while tokens > max_tokens / 2.
    GrpcThrottling {
        tokens: f64,
    },
    /// Finagle: retries over the last ttl ≤ ratio × first attempts + min_per_s × ttl.
    RetryBudget {
        counts: SlidingCounts,
    },
    CircuitBreaker(Breaker),
}

impl Admission {
    pub fn new(policy: &Retry) -> Self {
        match policy.admission {
            AdmissionKind::None => Admission::None,
            AdmissionKind::TokenBucket => Admission::TokenBucket { tokens: policy.token_bucket.capacity },
            AdmissionKind::GrpcThrottling => Admission::GrpcThrottling { tokens: policy.grpc.max_tokens },
            AdmissionKind::RetryBudget => Admission::RetryBudget { counts: SlidingCounts::new(policy.budget.ttl_s) },
            AdmissionKind::CircuitBreaker => Admission::CircuitBreaker(Breaker::new(&policy.breaker)),
        }
    }

    /// Takes new settings: a new kind starts fresh, the same kind keeps its state.
    pub fn reconfigure(&mut self, old: &Retry, new: &Retry) {
        if old.admission != new.admission || (old.budget.ttl_s != new.budget.ttl_s) {
            *self = Admission::new(new);
            return;
        }
        match self {
            Admission::TokenBucket { tokens } => *tokens = tokens.min(new.token_bucket.capacity),
            Admission::GrpcThrottling { tokens } => *tokens = tokens.min(new.grpc.max_tokens),
            Admission::CircuitBreaker(breaker) => breaker.reconfigure(&new.breaker),
            Admission::None | Admission::RetryBudget { .. } => {}
        }
    }

    /// May a first attempt go out? Only a breaker that blocks first attempts says no.
    pub fn allow_first(&mut self, now_ns: u64) -> bool {
        match self {
            Admission::CircuitBreaker(breaker) => breaker.allow(now_ns, true),
            Admission::RetryBudget { counts } => {
                counts.add(now_ns, REQUESTS, 1);
                true
            }
            _ => true,
        }
    }

    /// May a retry go out? Takes its cost when it may, and returns the tokens taken (`None`:
    /// refused).
    pub fn allow_retry(&mut self, policy: &Retry, now_ns: u64, after_timeout: bool) -> Option<f64> {
        let allowed = match self {
            Admission::None => true,
            Admission::TokenBucket { tokens } => {
                let tb = &policy.token_bucket;
                let cost = if after_timeout { tb.timeout_retry_cost } else { tb.retry_cost };
                if *tokens < cost {
                    return None;
                }
                *tokens -= cost;
                return Some(cost);
            }
            Admission::GrpcThrottling { tokens } => *tokens > policy.grpc.max_tokens / 2.0,
            Admission::RetryBudget { counts } => {
                let b = &policy.budget;
                let [requests, retries] = counts.sums(now_ns);
                let allowance = b.ratio * requests as f64 + b.min_per_s * b.ttl_s as f64;
                let allowed = (retries + 1) as f64 <= allowance;
                if allowed {
                    counts.add(now_ns, RETRIES, 1);
                }
                allowed
            }
            Admission::CircuitBreaker(breaker) => breaker.allow(now_ns, false),
        };
        allowed.then_some(0.0)
    }

    /// Does this policy let every first attempt go out, without noting it?
    pub fn admits_every_first(&self) -> bool {
        matches!(self, Admission::None | Admission::TokenBucket { .. } | Admission::GrpcThrottling { .. })
    }

    /// Does this policy ignore outcomes (so that one needs not be told of at its instant)?
    pub fn ignores_outcomes(&self) -> bool {
        matches!(self, Admission::None | Admission::RetryBudget { .. })
    }

    /// Records how attempt number `attempt`, which took `retry_cost` tokens, ended.
    pub fn on_outcome(&mut self, policy: &Retry, now_ns: u64, success: bool, attempt: u32, retry_cost: f64) {
        match self {
            Admission::None | Admission::RetryBudget { .. } => {}
            Admission::TokenBucket { tokens } => {
                let tb = &policy.token_bucket;
                if success {
                    let back = if attempt > 1 { retry_cost } else { tb.success_refund };
                    *tokens = (*tokens + back).min(tb.capacity);
                }
            }
            Admission::GrpcThrottling { tokens } => {
                let change = if success { policy.grpc.token_ratio } else { -1.0 };
                *tokens = (*tokens + change).clamp(0.0, policy.grpc.max_tokens);
            }
            Admission::CircuitBreaker(breaker) => breaker.on_outcome(now_ns, success),
        }
    }

    /// Tokens left, or retries the budget still allows.
    pub fn tokens(&mut self, policy: &Retry, now_ns: u64) -> Option<f64> {
        match self {
            Admission::TokenBucket { tokens } | Admission::GrpcThrottling { tokens } => Some(*tokens),
            Admission::RetryBudget { counts } => {
                let b = &policy.budget;
                let [requests, retries] = counts.sums(now_ns);
                Some((b.ratio * requests as f64 + b.min_per_s * b.ttl_s as f64 - retries as f64).max(0.0))
            }
            Admission::None | Admission::CircuitBreaker(_) => None,
        }
    }

    pub fn breaker_state(&mut self, now_ns: u64) -> Option<BreakerState> {
        match self {
            Admission::CircuitBreaker(breaker) => Some(breaker.state(now_ns)),
            _ => None,
        }
    }
}
