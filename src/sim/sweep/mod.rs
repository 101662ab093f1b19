//! Sweeps: the same scenario, timeline included, over a grid of one or two settings and several
//! seeds. Every cell is a full run judged by the same verdicts and classified by its last one:
//! Healthy, Recovered (disturbed, healthy at the end), Metastable (stuck) or Overloaded. A cell's
//! odds of collapse are the share of its seeds that end Metastable.
//!
//! A cell depends only on the scenario, its axis values and its seed, so cells may run in any
//! order, on any number of threads or workers, with the same results. Running them in parallel is
//! the caller's business (the command line uses threads; the engine has none).

mod axis;
pub mod choices;
mod hysteresis;
pub mod rows;
pub mod wire;

pub use axis::{Axis, AxisError, ChangePart, Target, TriggerPart};
pub use hysteresis::{LoopPoint, Ramp, check_steps};

use crate::sim::engine::Scheduled;
use crate::sim::health::span::{MAX_SPAN_S, newest_span};
use crate::sim::health::{HealthState, Memo, Overload, Reason};
use crate::sim::run::Run;
use crate::sim::scenario::{Scenario, ScenarioError, s_to_ns};
use serde::{Deserialize, Serialize};

/// Most seeds a cell of a map takes in the playground and its links.
pub const MAX_MAP_SEEDS: u32 = 50;

/// Most runs (cells × seeds) in one sweep.
pub const MAX_RUNS: usize = 100_000;

/// A grid: one or two axes and the seeds each cell runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub x: Axis,
    pub y: Option<Axis>,
    pub seeds: Vec<u64>,
}

/// One run of a sweep: the axis values and the seed. `index` orders runs: seeds fastest, then x,
/// then y.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cell {
    pub index: usize,
    pub x: f64,
    pub y: Option<f64>,
    pub seed: u64,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Healthy at the end and never judged otherwise.
    Healthy,
    /// Healthy at the end after being judged otherwise (disturbed, and back).
    Recovered,
    /// Stuck: Metastable at the end.
    Metastable,
    Overloaded,
    /// Still Triggered, Recovering or Checking at the end: the run ended too soon after a
    /// disturbance to say.
    Unsettled,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Healthy => "healthy",
            Outcome::Recovered => "recovered",
            Outcome::Metastable => "metastable",
            Outcome::Overloaded => "overloaded",
            Outcome::Unsettled => "unsettled",
        }
    }
}

/// A run's result: its outcome and the newest span's figures (as the judge read them). A run
/// stopped as soon as its outcome was certain has no figures: those of its first seconds would not
/// describe the overload it is certain to reach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellResult {
    #[serde(skip)]
    pub cell: Cell,
    pub outcome: Outcome,
    /// The last verdict's state.
    pub state: HealthState,
    pub success_ratio: Option<f64>,
    /// Mean offered load and goodput over the newest span, per second.
    pub offered_rps: Option<f64>,
    pub goodput_rps: Option<f64>,
    /// Attempts reaching the last tier per logical request offered, over the newest span.
    pub amplification: Option<f64>,
    /// Mean busy workers ÷ workers of the first tier over the newest span.
    pub utilization: Option<f64>,
    pub e2e_p99_ms: Option<f64>,
    /// Events the run processed, its fresh runs' not included.
    pub events: u64,
    /// Events its fresh runs processed (none when another cell's fresh run was shared).
    pub fresh_events: u64,
    /// Simulated seconds the run lasted: its duration, or less when its end was certain sooner
    /// (see [`run_cell`]).
    pub end_s: f64,
}

impl Grid {
    /// A grid over `base`: `seeds` seeds a cell from `first_seed` up. Refuses more than
    /// [`MAX_RUNS`] runs, the same target on both axes, and any cell whose settings are not valid
    /// together (so a sweep never fails halfway).
    pub fn new(base: &Scenario, x: Axis, y: Option<Axis>, seeds: u32, first_seed: u64) -> Result<Grid, String> {
        if seeds == 0 {
            return Err("a cell needs at least one seed".to_string());
        }
        let runs = u64::from(x.steps) * y.as_ref().map_or(1, |y| u64::from(y.steps)) * u64::from(seeds);
        if runs > MAX_RUNS as u64 {
            return Err(format!("{runs} runs (cells × seeds) is more than {MAX_RUNS}"));
        }
        if y.as_ref().is_some_and(|y| y.target == x.target) {
            return Err(format!("both axes move {}", x.name()));
        }
        let seeds = (0..u64::from(seeds)).map(|i| first_seed.wrapping_add(i)).collect();
        let grid = Grid { x, y, seeds };
        let cells = grid.len() / grid.seeds.len();
        for index in 0..cells {
            let cell = grid.cell(index * grid.seeds.len());
            let late = |s: Scenario| {
                let axes = std::iter::once(&grid.x).chain(&grid.y);
                match axes.filter_map(|axis| Some((axis.name(), axis.past_end(&s)?))).next() {
                    Some((field, message)) => Err(ScenarioError { field, message }),
                    None => Ok(s),
                }
            };
            grid.scenario(base, &cell).and_then(late).map_err(|e| match cell.y {
                Some(y) => format!(
                    "at {} = {}, {} = {y}: {e}",
                    grid.x.name(),
                    cell.x,
                    grid.y.as_ref().map_or(String::new(), Axis::name)
                ),
                None => format!("at {} = {}: {e}", grid.x.name(), cell.x),
            })?;
        }
        Ok(grid)
    }

    /// Runs in all: cells × seeds.
    pub fn len(&self) -> usize {
        self.x.steps as usize * self.y.as_ref().map_or(1, |y| y.steps as usize) * self.seeds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Run `index` (from 0 to `len() - 1`).
    pub fn cell(&self, index: usize) -> Cell {
        let seeds = self.seeds.len().max(1);
        let (seed_i, rest) = (index % seeds, index / seeds);
        let xs = self.x.steps as usize;
        let (x_i, y_i) = (rest % xs, rest / xs);
        Cell {
            index,
            x: self.x.value(x_i as u32),
            y: self.y.as_ref().map(|y| y.value(y_i as u32)),
            seed: self.seeds.get(seed_i).copied().unwrap_or(0),
        }
    }

    /// `base` with the cell's axis values and seed, validated.
    pub fn scenario(&self, base: &Scenario, cell: &Cell) -> Result<Scenario, ScenarioError> {
        let mut s = Scenario { seed: cell.seed, ..base.clone() };
        self.x.apply(&mut s, cell.x)?;
        if let (Some(axis), Some(y)) = (&self.y, cell.y) {
            axis.apply(&mut s, y)?;
        }
        Ok(s)
    }

    /// Runs `cell` of `base` for the scenario's duration and classifies its end, sharing fresh-run
    /// verdicts through `memo` with the other cells run in the same thread or worker.
    pub fn run(&self, base: &Scenario, cell: &Cell, memo: &mut Memo) -> Result<CellResult, ScenarioError> {
        run_cell(self.scenario(base, cell)?, *cell, memo)
    }
}

/// Runs `scenario` (a cell's, from [`Grid::scenario`]) for its duration and classifies its end:
/// what a worker given the cell's scenario computes. Fresh-run verdicts come from and go to `memo`
/// (which changes no result: see [`Memo`]).
pub fn run_cell(scenario: Scenario, cell: Cell, memo: &mut Memo) -> Result<CellResult, ScenarioError> {
    let (end_ns, eval_windows) = (s_to_ns(scenario.duration_s), scenario.health.eval_windows as usize);
    let step_ns = s_to_ns(scenario.metrics.window_s).max(1);
    let mut run = Run::with_memo(scenario, std::mem::take(memo))?;
    // Window by window, so that a verdict older than the history kept still counts.
    let (mut disturbed, mut settled) = (false, false);
    while run.sim().now_ns() < end_ns && !settled {
        run.run_until(run.sim().now_ns().saturating_add(step_ns).min(end_ns));
        disturbed |= match run.health().state {
            HealthState::Healthy | HealthState::Checking => false,
            // A trigger in force that the system rides out unharmed disturbs nothing.
            HealthState::Triggered => !newest_span_healthy(&run, eval_windows),
            _ => true,
        };
        settled = certain(&run);
    }
    *memo = run.take_memo();
    let state = run.health().state;
    let outcome = match state {
        HealthState::Healthy if disturbed => Outcome::Recovered,
        HealthState::Healthy => Outcome::Healthy,
        HealthState::Metastable => Outcome::Metastable,
        HealthState::Overloaded => Outcome::Overloaded,
        HealthState::Triggered | HealthState::Recovering | HealthState::Checking => Outcome::Unsettled,
    };
    let windows: Vec<_> = run.sim().windows().collect();
    let span = newest_span(&windows, eval_windows);
    let taken = &windows[windows.len() - span.windows..];
    let mean = |f: fn(&crate::sim::Window) -> f64| {
        if taken.is_empty() { 0.0 } else { taken.iter().map(|w| f(w)).sum::<f64>() / taken.len() as f64 }
    };
    let figure = |x: Option<f64>| x.filter(|_| !settled);
    Ok(CellResult {
        cell,
        outcome,
        state,
        success_ratio: figure(span.success_ratio()),
        offered_rps: figure(Some(mean(|w| w.offered_rps))),
        goodput_rps: figure(Some(mean(|w| w.goodput_rps))),
        amplification: figure(span.chain_amplification),
        utilization: figure(Some(span.utilization)),
        e2e_p99_ms: figure(span.e2e_p99_ms),
        events: run.sim().events_processed(),
        fresh_events: run.fresh_events(),
        end_s: run.sim().now_s(),
    })
}

/// The judge's newest span of windows is healthy. A span holds at most [`MAX_SPAN_S`] of windows
/// (or the evaluation windows), so only that many of the newest are read.
fn newest_span_healthy(run: &Run, eval_windows: usize) -> bool {
    let longest = (libm::ceil(MAX_SPAN_S / run.sim().scenario().metrics.window_s) as usize).max(eval_windows) + 1;
    let held = run.sim().windows().len();
    let windows: Vec<_> = run.sim().windows().skip(held.saturating_sub(longest)).collect();
    newest_span(&windows, eval_windows).healthy()
}

/// Is the run's last verdict already certain? It is when the first attempts alone ask more than
/// the backend can do (Overloaded on demand) and no scheduled change is left that could alter
/// the settings (nor has one come since the verdict): that verdict is a function of the settings
/// and comes before every other.
fn certain(run: &Run) -> bool {
    let overloaded = matches!(run.health().reason, Reason::Overloaded(Overload::Demand { .. }));
    let settled = run.sim().upcoming().all(|(_, item)| !matches!(item, Scheduled::Change(_)));
    overloaded && settled && run.verdict_current()
}

/// How the seeds of one cell ended: how many of each outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Runs ending each outcome, in [`Outcome::ALL`] order (Healthy, Recovered, Unsettled,
    /// Overloaded, Metastable).
    pub counts: [usize; 5],
}

impl Outcome {
    /// Every outcome, from best to worst.
    pub const ALL: [Outcome; 5] =
        [Outcome::Healthy, Outcome::Recovered, Outcome::Unsettled, Outcome::Overloaded, Outcome::Metastable];
}

impl Tally {
    pub fn of<'a>(results: impl IntoIterator<Item = &'a CellResult>) -> Tally {
        let mut tally = Tally::default();
        for r in results {
            tally.counts[Outcome::ALL.iter().position(|&o| o == r.outcome).unwrap_or(0)] += 1;
        }
        tally
    }

    pub fn runs(&self) -> usize {
        self.counts.iter().sum()
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        Outcome::ALL.iter().position(|&o| o == outcome).map_or(0, |i| self.counts[i])
    }

    /// The odds of collapse: the share of runs that ended Metastable (0 with no runs).
    pub fn odds(&self) -> f64 {
        if self.runs() == 0 { 0.0 } else { self.count(Outcome::Metastable) as f64 / self.runs() as f64 }
    }

    /// The most common outcome, the worse one on a tie.
    pub fn most(&self) -> Outcome {
        let mut best = (0, Outcome::Healthy);
        for (i, &outcome) in Outcome::ALL.iter().enumerate() {
            if self.counts[i] > 0 && self.counts[i] >= best.0 {
                best = (self.counts[i], outcome);
            }
        }
        best.1
    }

    /// In words, worst first: "2 of 3 metastable, 1 recovered".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = Outcome::ALL
            .iter()
            .rev()
            .filter(|&&o| self.count(o) > 0)
            .map(|&o| (o, self.count(o)))
            .enumerate()
            .map(
                |(i, (o, n))| {
                    if i == 0 { format!("{n} of {} {}", self.runs(), o.name()) } else { format!("{n} {}", o.name()) }
                },
            )
            .collect();
        parts.join(", ")
    }
}
