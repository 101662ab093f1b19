//! Growing and shrinking a chain. A tier added behind the last is a fast dependency: as many
//! workers as the tier in front of it, a tenth of its service time (no less than the slider's
//! least, so that a link carries it as it is), 0.1 ms away. The tiers in front keep their
//! settings; their workers, which now also wait on the call, hold each request a little longer,
//! so adding a tier to a system with room leaves it with room.

use super::fields::find;
use super::{Backend, MAX_TIERS, Network, Scenario, ScheduledChange, Tier};

impl Scenario {
    /// `self` with `count` tiers (1 to [`MAX_TIERS`]): tiers added behind the last as the module
    /// says, or taken away with the triggers and scheduled changes that named them.
    pub fn with_tier_count(mut self, count: usize) -> Scenario {
        let count = count.clamp(1, MAX_TIERS);
        let least_ms = find("backend.service_time_ms").and_then(|f| f.control).map_or(0.0, |c| c.min);
        while self.tier_count() < count {
            let last = self.tier(self.tier_count() - 1).backend;
            let service_time_ms = (last.service_time_ms / 10.0).max(least_ms);
            let backend = Backend { workers: last.workers, service_time_ms, ..Backend::default() };
            let network = Network { cache_ms: 0.1, backend_ms: 0.1 };
            self.tiers.push(Tier { network, backend, ..Tier::default() });
        }
        self.tiers.truncate(count - 1);
        self.triggers.retain(|t| t.tier as usize <= count);
        let kept =
            |(i, c): &(usize, &ScheduledChange)| c.resolve(*i).is_ok_and(|(f, _)| f.tier.is_none_or(|t| t < count));
        self.changes = self.changes.iter().enumerate().filter(kept).map(|(_, c)| c.clone()).collect();
        self
    }
}
