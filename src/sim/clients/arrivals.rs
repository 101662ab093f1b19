//! When logical requests are created: open-loop Poisson arrivals or closed-loop users.

use crate::sim::draws::Draws;
use crate::sim::scenario::{Clients, s_to_ns};

/// Arrival process state. Rate changes take effect at once: the pending arrival is redrawn,
/// which is exact for a Poisson process (memoryless).
#[derive(Clone, Debug)]
pub struct Arrivals {
    /// Bumped whenever the pending arrival is redrawn; stale arrival events carry an older value.
    pub generation: u32,
    /// Closed loop: users currently active (ids below this keep issuing requests).
    pub users_started: u32,
}

impl Arrivals {
    pub fn new() -> Self {
        Arrivals { generation: 0, users_started: 0 }
    }

    /// Time to the next open-loop arrival at `rate_rps` (× spike), `None` when the rate is zero.
    pub fn next_gap_ns(draws: &mut Draws, rate_rps: f64) -> Option<u64> {
        if rate_rps <= 0.0 || rate_rps.is_nan() {
            return None;
        }
        Some(s_to_ns(draws.exponential(1.0 / rate_rps)).max(1))
    }

    /// Closed loop: a user's think time, shortened by a load spike of ×`spike`. Also drawn for a
    /// user whose request ends after the loop was opened: that user leaves when it wakes.
    pub fn think_ns(draws: &mut Draws, clients: &Clients, spike: f64) -> u64 {
        let mean_s = clients.think_time_s / spike.max(1e-9);
        s_to_ns(draws.exponential(mean_s))
    }
}

impl Default for Arrivals {
    fn default() -> Self {
        Self::new()
    }
}
