//! Helpers shared by the integration tests.
#![allow(dead_code)]

use metastable_playground::sim::presets;
use metastable_playground::sim::scenario::{Scenario, s_to_ns};
use metastable_playground::sim::{HealthState, Simulation, Window};

/// The scenario of preset `name`.
pub fn preset(name: &str) -> Scenario {
    (presets::find(name).unwrap_or_else(|| panic!("no preset {name}")).scenario)()
}

/// Builds and runs `scenario` for `seconds` of simulated time.
pub fn run(scenario: Scenario, seconds: f64) -> Simulation {
    let mut sim = Simulation::new(scenario).expect("valid scenario");
    sim.run_until(s_to_ns(seconds));
    sim
}

/// Windows that end within `from_s..=to_s`.
pub fn windows_between(sim: &Simulation, from_s: f64, to_s: f64) -> Vec<Window> {
    sim.windows().filter(|w| w.end_s >= from_s - 1e-9 && w.end_s <= to_s + 1e-9).cloned().collect()
}

/// Σ goodput ÷ Σ offered over `windows`.
pub fn success_ratio(windows: &[Window]) -> f64 {
    let offered: f64 = windows.iter().map(|w| w.offered_rps).sum();
    let goodput: f64 = windows.iter().map(|w| w.goodput_rps).sum();
    goodput / offered
}

/// The health state of the window ending at `t_s`.
pub fn health_at(sim: &Simulation, t_s: f64) -> HealthState {
    sim.windows().find(|w| (w.end_s - t_s).abs() < 1e-9).map(|w| w.health).expect("a window ends there")
}

/// Success ratio of each window, for failure messages.
pub fn ratios(windows: &[Window]) -> Vec<(f64, f64)> {
    windows.iter().map(|w| (w.end_s, (w.success_ratio.unwrap_or(f64::NAN) * 100.0).round() / 100.0)).collect()
}
