//! Circuit breaker: closed → (failure rate ≥ threshold over the window, with at least
//! `min_requests` outcomes) → open for `open_s` → half-open, letting `half_open_probes` attempts
//! through → closed if they all succeed, open again on any failure.

use super::SlidingCounts;
use crate::sim::metrics::BreakerState;
use crate::sim::scenario::{CircuitBreaker, s_to_ns};

const FAILURES: usize = 0;
const SUCCESSES: usize = 1;

#[derive(Clone, Debug)]
pub struct Breaker {
    config: CircuitBreaker,
    state: BreakerState,
    outcomes: SlidingCounts,
    open_until_ns: u64,
    probes_sent: u32,
    probes_succeeded: u32,
}

impl Breaker {
    pub fn new(config: &CircuitBreaker) -> Self {
        Breaker {
            config: config.clone(),
            state: BreakerState::Closed,
            outcomes: SlidingCounts::new(config.window_s),
            open_until_ns: 0,
            probes_sent: 0,
            probes_succeeded: 0,
        }
    }

    /// Takes new settings, keeping the current state.
    pub fn reconfigure(&mut self, config: &CircuitBreaker) {
        if config.window_s != self.config.window_s {
            self.outcomes = SlidingCounts::new(config.window_s);
        }
        self.config = config.clone();
    }

    pub fn state(&mut self, now_ns: u64) -> BreakerState {
        if self.state == BreakerState::Open && now_ns >= self.open_until_ns {
            self.state = BreakerState::HalfOpen;
            self.probes_sent = 0;
            self.probes_succeeded = 0;
        }
        self.state
    }

    /// May an attempt go out now? Counts half-open probes.
    pub fn allow(&mut self, now_ns: u64, first_attempt: bool) -> bool {
        let state = self.state(now_ns);
        if first_attempt && !self.config.blocks_first_attempts {
            return true;
        }
        match state {
            BreakerState::Closed => true,
            BreakerState::Open => false,
            BreakerState::HalfOpen => {
                let allowed = self.probes_sent < self.config.half_open_probes;
                self.probes_sent += allowed as u32;
                allowed
            }
        }
    }

    pub fn on_outcome(&mut self, now_ns: u64, success: bool) {
        match self.state(now_ns) {
            BreakerState::Closed => {
                self.outcomes.add(now_ns, if success { SUCCESSES } else { FAILURES }, 1);
                let [failures, successes] = self.outcomes.sums(now_ns);
                let total = failures + successes;
                let rate = failures as f64 / total.max(1) as f64;
                if total >= self.config.min_requests as u64 && rate >= self.config.failure_threshold {
                    self.open(now_ns);
                }
            }
            BreakerState::Open => {}
            BreakerState::HalfOpen if !success => self.open(now_ns),
            BreakerState::HalfOpen => {
                self.probes_succeeded += 1;
                if self.probes_succeeded >= self.config.half_open_probes {
                    self.state = BreakerState::Closed;
                    self.outcomes.clear();
                }
            }
        }
    }

    fn open(&mut self, now_ns: u64) {
        self.state = BreakerState::Open;
        self.open_until_ns = now_ns.saturating_add(s_to_ns(self.config.open_s));
        self.outcomes.clear();
    }
}
