//! Helpers shared by the integration tests.
#![allow(dead_code)]

use metastable_playground::sim::presets;
use metastable_playground::sim::scenario::{Scenario, s_to_ns};
use metastable_playground::sim::{HealthState, Run, Simulation, Window};

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

/// Builds and runs `scenario` for `seconds` with the health judge beside it.
pub fn judged(scenario: Scenario, seconds: f64) -> Run {
    let mut run = Run::new(scenario).expect("valid scenario");
    run.run_until(s_to_ns(seconds));
    run
}

/// Windows that end within `from_s..=to_s`.
pub fn windows_between(sim: &Simulation, from_s: f64, to_s: f64) -> Vec<Window> {
    sim.windows().filter(|w| w.end_s >= from_s - 1e-9 && w.end_s <= to_s + 1e-9).cloned().collect()
}

/// Σ goodput ÷ Σ offered over `windows` (may exceed 1 when a backlog drains).
pub fn success_ratio(windows: &[Window]) -> f64 {
    let offered: f64 = windows.iter().map(|w| w.offered_rps).sum();
    let goodput: f64 = windows.iter().map(|w| w.goodput_rps).sum();
    goodput / offered
}

/// The health state of the window ending at `t_s`.
pub fn health_at(run: &Run, t_s: f64) -> HealthState {
    run.verdict_at(t_s).map(|v| v.state).expect("a judged window ends there")
}

/// The health states of the windows ending within `from_s..=to_s`.
pub fn states_between(run: &Run, from_s: f64, to_s: f64) -> Vec<(f64, HealthState)> {
    run.judged_windows()
        .filter(|(w, _)| w.end_s >= from_s - 1e-9 && w.end_s <= to_s + 1e-9)
        .map(|(w, v)| (w.end_s, v.state))
        .collect()
}

/// Success ratio of each window, for failure messages.
pub fn ratios(windows: &[Window]) -> Vec<(f64, f64)> {
    windows.iter().map(|w| (w.end_s, (w.success_ratio.unwrap_or(f64::NAN) * 100.0).round() / 100.0)).collect()
}
