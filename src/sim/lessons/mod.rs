//! Lessons: a lesson is a list of steps; a step starts a scenario (seed and timeline included) at
//! a simulated time reached by running the engine fast, says at most three sentences, names the
//! one control that matters, may ask the learner to predict before the run reveals the answer, and
//! ends on a check the engine decides. A step may run a second variant beside the first, on the
//! same seed. Every step's check and every claim of its text is asserted by `tests/lessons.rs`.

mod cache;
mod capacity;
mod check;
mod fixes;
mod layers;
mod overload;
mod storm;
mod wasted;

use crate::sim::metrics::Chart;
pub use check::{Check, Checker, Figure};

use crate::sim::engine::Simulation;
use crate::sim::presets;
use crate::sim::run::Run;
use crate::sim::scenario::{Scenario, ScenarioError, Trigger, TriggerKind};

/// A lesson, in the order it is taught.
pub struct Lesson {
    /// Its name in links (`lesson=…`).
    pub name: &'static str,
    pub title: &'static str,
    /// How long it takes in a session.
    pub minutes: u32,
    /// What the learner can do afterwards.
    pub outcome: &'static str,
    pub steps: &'static [Step],
}

/// One step of a lesson.
pub struct Step {
    pub title: &'static str,
    /// At most three sentences.
    pub text: &'static str,
    /// The scenario, with its seed and timeline.
    pub scenario: Setup,
    /// Simulated seconds run before the step is shown.
    pub start_s: f64,
    /// The one control that matters; the others are dimmed.
    pub control: Control,
    /// Asked before the run reveals the answer.
    pub predict: Option<Predict>,
    /// What completes the step.
    pub check: Check,
    /// Further facts the text states, each decided like the check.
    pub claims: &'static [Check],
    /// Simulated seconds after the start within which the check (and each claim) is met when the
    /// learner does what the step asks.
    pub within_s: f64,
    /// A second variant run beside this one, on the same seed.
    pub beside: Option<Beside>,
    /// The charts the step needs.
    pub charts: &'static [Chart],
    /// The step needs the diagram (the requests moving through the system).
    pub diagram: bool,
}

/// What the learner is asked to do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Control {
    /// Nothing but play and watch.
    Watch,
    /// Set the field at `path` to `value` (a slider or a choice).
    Set { path: &'static str, value: &'static str },
    /// Press a trigger.
    Fire { kind: TriggerKind, magnitude: f64, duration_s: f64 },
}

/// A question answered before the run shows the answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Predict {
    pub question: &'static str,
    pub choices: &'static [&'static str],
    /// The index of the right choice, which the step's check shows.
    pub answer: usize,
}

/// The variant run beside the step's scenario.
#[derive(Clone, Copy, Debug)]
pub struct Beside {
    /// Names of the step's scenario and of this one, as the two views are labelled.
    pub labels: [&'static str; 2],
    pub scenario: Setup,
    /// What the variant shows, decided like the step's check.
    pub check: Check,
}

/// Where a step's scenario comes from.
#[derive(Clone, Copy, Debug)]
pub enum Setup {
    /// A preset, by name.
    Preset(&'static str),
    /// Built for the step.
    Built(fn() -> Scenario),
}

impl Setup {
    /// The scenario; `None` for a preset name that does not exist.
    pub fn scenario(self) -> Option<Scenario> {
        match self {
            Setup::Preset(name) => presets::find(name).map(|p| (p.scenario)()),
            Setup::Built(build) => Some(build()),
        }
    }
}

impl Step {
    /// The step's run, advanced fast to its start.
    pub fn start(&self) -> Result<Run, ScenarioError> {
        Self::started(self.scenario, self.start_s)
    }

    /// The variant beside, advanced fast to the same start.
    pub fn start_beside(&self) -> Option<Result<Run, ScenarioError>> {
        self.beside.map(|b| Self::started(b.scenario, self.start_s))
    }

    fn started(setup: Setup, start_s: f64) -> Result<Run, ScenarioError> {
        let scenario = setup
            .scenario()
            .ok_or_else(|| ScenarioError { field: "lesson".to_string(), message: format!("no preset {setup:?}") })?;
        Run::started_at(scenario, start_s)
    }

    /// When the step's goal starts counting: its start, or the end of the last trigger or
    /// scheduled change of `scenario` that ends within the step, whichever is later. A goal is
    /// about what follows the step's own events: a healthy spell before its spike does not count.
    pub fn goal_from_s(&self, scenario: &Scenario) -> f64 {
        let ends =
            scenario.triggers.iter().map(|t| t.at_s + t.duration_s).chain(scenario.changes.iter().map(|c| c.at_s));
        ends.filter(|&end| end > self.start_s && end < self.start_s + self.within_s).fold(self.start_s, f64::max)
    }

    /// Does what the step asks of the learner, on `sim`.
    pub fn act(&self, sim: &mut Simulation) -> Result<(), ScenarioError> {
        match self.control {
            Control::Watch => Ok(()),
            Control::Set { path, value } => sim.set(path, value),
            Control::Fire { kind, magnitude, duration_s } => sim.fire(Trigger { kind, magnitude, duration_s, tier: 1 }),
        }
    }
}

/// Every lesson, in teaching order.
pub fn all() -> [&'static Lesson; 7] {
    [
        &storm::LESSON,
        &capacity::LESSON,
        &wasted::LESSON,
        &cache::LESSON,
        &fixes::LESSON,
        &overload::LESSON,
        &layers::LESSON,
    ]
}

/// The lesson called `name`.
pub fn find(name: &str) -> Option<&'static Lesson> {
    all().into_iter().find(|l| l.name == name)
}

/// A preset's scenario, for steps built on one (the default if there is none, which
/// `tests/lessons.rs` rules out).
fn preset(name: &'static str) -> Scenario {
    Setup::Preset(name).scenario().unwrap_or_default()
}
