//! Presets: named scenarios, each with a paragraph saying what to watch. Every claim made here is
//! asserted by a test in `tests/presets.rs`.

use crate::sim::scenario::Scenario;

/// A named scenario.
pub struct Preset {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub scenario: fn() -> Scenario,
}

/// Every preset, in menu order.
pub fn all() -> &'static [Preset] {
    &PRESETS
}

/// The preset called `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Scenarios timed by `simulate bench`.
pub fn benchmarks() -> Vec<(&'static str, Scenario)> {
    let mut plain = Scenario::default();
    plain.clients.load_rps = 10_000.0;
    plain.backend.workers = 100;
    vec![("plain-10k", plain)]
}

static PRESETS: [Preset; 1] = [Preset {
    name: "default",
    title: "A healthy system",
    description: "About 70 % backend utilisation.",
    scenario: Scenario::default,
}];
