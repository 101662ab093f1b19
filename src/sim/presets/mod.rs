//! Presets: named scenarios, each with a paragraph saying what to watch. Every claim made here is
//! asserted by a test in `tests/presets.rs`.

mod catalogue;
mod chains;

use crate::sim::scenario::Scenario;

pub use catalogue::PRESETS;

/// A named scenario.
pub struct Preset {
    pub name: &'static str,
    pub title: &'static str,
    /// What to watch, in one paragraph.
    pub description: &'static str,
    pub scenario: fn() -> Scenario,
}

/// The preset the playground opens on, and the baseline of links that name none.
pub const LANDING: &str = "cache-restart";

/// Every preset, in menu order.
pub fn all() -> &'static [Preset] {
    &PRESETS
}

/// The preset called `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Scenarios timed by `simulate bench`: the retry-storm preset, a plain 10 000 req/s run, and
/// the three-tier layered-retries preset.
pub fn benchmarks() -> Vec<(&'static str, Scenario)> {
    let mut plain = Scenario::default();
    plain.clients.load_rps = 10_000.0;
    plain.backend.workers = 40;
    let scenario = |name| find(name).map(|p| (p.scenario)()).unwrap_or_default();
    vec![("retry-storm", scenario("retry-storm")), ("plain-10k", plain), ("three-tier", scenario("layered-retries"))]
}
