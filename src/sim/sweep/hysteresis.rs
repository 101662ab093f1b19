//! A hysteresis loop: the offered load ramped up past capacity and back down by the timeline, in
//! equal steps each held for a while, and the goodput each step settles at. Drawn as goodput
//! against offered load, a system with one stable state retraces its way up on the way down; a
//! metastable one comes down on a lower branch, because the retry storm outlives the load that
//! started it.

use crate::sim::Simulation;
use crate::sim::metrics::Window;
use crate::sim::scenario::fields::{self, FieldValue};
use crate::sim::scenario::s_to_ns;
use crate::sim::scenario::{LoopMode, MAX_TIME_S, Scenario, ScheduledChange};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most steps a ramp takes each way.
const MAX_STEPS: u32 = 200;

/// A ramp's count of steps each way, as typed: a whole number from 1 to 200.
pub fn check_steps(steps: f64) -> Result<u32, String> {
    if steps.fract() != 0.0 {
        return Err(format!("steps: {steps} is not a whole number"));
    }
    if !(1.0..=f64::from(MAX_STEPS)).contains(&steps) {
        return Err(format!("steps: {steps} is not between 1 and {MAX_STEPS}"));
    }
    Ok(steps as u32)
}

/// The ramp: `from_rps` up to `to_rps` in `steps` equal steps and back down, each level held
/// `hold_s` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ramp {
    pub from_rps: f64,
    pub to_rps: f64,
    pub steps: u32,
    pub hold_s: f64,
}

/// One level of the ramp and what the system settled at there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoopPoint {
    /// When the level began, in simulated seconds.
    pub at_s: f64,
    /// The level asked for.
    pub load_rps: f64,
    /// Mean offered load and goodput over the second half of the level's hold.
    pub offered_rps: f64,
    pub goodput_rps: f64,
    /// On the way up (the top level counts as up).
    pub rising: bool,
}

impl LoopPoint {
    /// The CSV header of [`LoopPoint::csv_row`].
    pub const CSV_HEADER: &str = "at_s,load_rps,offered_rps,goodput_rps,branch";

    /// The branch it is on: "up" or "down".
    pub fn branch(&self) -> &'static str {
        if self.rising { "up" } else { "down" }
    }

    pub fn csv_row(&self) -> String {
        format!("{},{},{},{},{}", self.at_s, self.load_rps, self.offered_rps, self.goodput_rps, self.branch())
    }
}

impl Ramp {
    /// Why the ramp cannot run on `base`, if it cannot: the clients must be open loop (a closed
    /// loop ignores the load), the load must rise (0 ≤ from < to), 1 to 200 steps, and each hold a
    /// whole number of windows, at least two, so that the second half of every level holds a whole
    /// window.
    pub fn check(&self, base: &Scenario) -> Result<(), String> {
        if base.clients.mode != LoopMode::Open {
            return Err("a ramp of the load needs open-loop clients (clients.mode=open)".to_string());
        }
        if !(self.from_rps.is_finite() && 0.0 <= self.from_rps) {
            return Err(format!("from: {} req/s is not a load (0 or more)", self.from_rps));
        }
        if !(self.to_rps.is_finite() && self.from_rps < self.to_rps) {
            return Err(format!(
                "the load must rise: the highest load (to, {} req/s) must be above the lowest (from, {} req/s)",
                self.to_rps, self.from_rps
            ));
        }
        let load = fields::find("clients.load_rps").expect("the load is a field");
        load.check(&FieldValue::Number(self.to_rps)).map_err(|e| format!("to: {e}"))?;
        check_steps(f64::from(self.steps))?;
        let window_s = base.metrics.window_s;
        let windows = self.hold_s / window_s;
        if !(windows.is_finite() && windows >= 2.0 - 1e-9) {
            return Err(format!("hold: {} s is shorter than two {window_s} s windows", self.hold_s));
        }
        if (windows - libm::round(windows)).abs() >= 1e-9 {
            return Err(format!("hold: {} s is not a whole number of {window_s} s windows", self.hold_s));
        }
        if self.duration_s() > MAX_TIME_S {
            return Err(format!(
                "{} levels held {} s each last {} s: a ramp lasts at most {MAX_TIME_S} s",
                self.levels().len(),
                self.hold_s,
                self.duration_s()
            ));
        }
        self.scenario(base).validate().map_err(|e| format!("the ramp: {e}"))
    }

    /// Checks the ramp on `base`, runs it to its end and reads the loop's points. `progress` hears
    /// the simulated seconds reached at the end of each level (the last is the ramp's duration).
    pub fn run(&self, base: &Scenario, progress: &mut dyn FnMut(f64)) -> Result<Vec<LoopPoint>, String> {
        self.check(base)?;
        let scenario = self.scenario(base);
        let levels = self.levels().len();
        let mut sim = Simulation::new(scenario).map_err(|e| format!("the ramp: {e}"))?;
        for level in 1..=levels {
            let at_s = self.hold_s * level as f64;
            sim.run_until(s_to_ns(at_s));
            progress(at_s);
        }
        Ok(self.points(&sim))
    }

    /// How long the ramp lasts: every level held once.
    pub fn duration_s(&self) -> f64 {
        self.hold_s * self.levels().len() as f64
    }

    /// The levels in order: up from `from_rps` to `to_rps`, then down to `from_rps`.
    pub fn levels(&self) -> Vec<f64> {
        let steps = self.steps.max(1);
        let up: Vec<f64> = (0..=steps)
            .map(|i| self.from_rps + (self.to_rps - self.from_rps) * f64::from(i) / f64::from(steps))
            .collect();
        up.iter().copied().chain(up.iter().rev().skip(1).copied()).collect()
    }

    /// `base` with its triggers and scheduled changes replaced by the ramp, lasting exactly as
    /// long as the ramp.
    pub fn scenario(&self, base: &Scenario) -> Scenario {
        let levels = self.levels();
        let mut s = base.clone();
        s.triggers.clear();
        s.clients.load_rps = levels[0];
        s.changes = levels
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, &load)| ScheduledChange {
                at_s: self.hold_s * i as f64,
                set: "clients.load_rps".to_string(),
                to: serde_json::Number::from_f64(load).map_or(Value::Null, Value::Number),
            })
            .collect();
        s.duration_s = self.duration_s();
        s.metrics.history_windows = s.metrics.history_windows.max(libm::ceil(s.duration_s / s.metrics.window_s) as u32);
        s
    }

    /// The loop's points, read off `sim` once it has run the ramp's scenario to its end (a ramp
    /// that passes [`Ramp::check`] has one per level).
    pub fn points(&self, sim: &Simulation) -> Vec<LoopPoint> {
        let levels = self.levels();
        let top = levels.len() / 2;
        let windows: Vec<&Window> = sim.windows().collect();
        levels
            .iter()
            .enumerate()
            .filter_map(|(i, &load_rps)| {
                let start = self.hold_s * i as f64;
                let (from, to) = (start + self.hold_s / 2.0, start + self.hold_s);
                let settled: Vec<&&Window> =
                    windows.iter().filter(|w| w.start_s >= from - 1e-9 && w.end_s <= to + 1e-9).collect();
                if settled.is_empty() {
                    return None;
                }
                let mean = |f: fn(&Window) -> f64| settled.iter().map(|w| f(w)).sum::<f64>() / settled.len() as f64;
                Some(LoopPoint {
                    at_s: start,
                    load_rps,
                    offered_rps: mean(|w| w.offered_rps),
                    goodput_rps: mean(|w| w.goodput_rps),
                    rising: i <= top,
                })
            })
            .collect()
    }
}
