//! What the page and a sweep worker say to each other, as JSON text, and the worker's side of it.
//! The worker is told the sweep once, then runs cells by index (or a hysteresis ramp) and answers
//! each with its result. Everything here is plain data, so the worker's answers are the engine's
//! own: a cell's scenario is rebuilt from the same base and axes with [`Grid::scenario`].

use super::{Axis, CellResult, Grid, LoopPoint, Ramp, rows};
use crate::sim::health::Memo;
use crate::sim::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// A message to a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToWorker {
    /// The sweep that later [`ToWorker::Cell`]s belong to: the base scenario (with its timeline),
    /// the axes as written (`clients.load_rps=300..900:13`) and the seeds of each cell.
    Sweep { scenario: Scenario, x: String, y: Option<String>, seeds: u32, first_seed: u64 },
    /// Run `index` of the sweep (see [`Grid::cell`]).
    Cell { index: usize },
    /// Run `ramp` on `scenario`; `id` is the caller's, given back with the points.
    Loop { id: u32, scenario: Scenario, ramp: Ramp },
}

/// Least wall time between two of a ramp's [`FromWorker::Progress`] messages.
pub const PROGRESS_EVERY_MS: f64 = 250.0;

/// A message from a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    /// Loaded and listening.
    Ready,
    /// A run's result, and its CSV row as `simulate sweep` writes it (from the worker's own
    /// numbers, so a map's CSV is the command line's to the last digit). `ms` is the wall time
    /// the worker spent on it, by the clock it was given.
    Done { index: usize, result: CellResult, row: String, ms: f64 },
    /// How far a ramp has run, in simulated seconds (see [`Ramp::run`]); told at most every
    /// [`PROGRESS_EVERY_MS`] of wall time.
    Progress { id: u32, at_s: f64 },
    /// A ramp's points, and each as a CSV row (see [`LoopPoint::csv_row`]).
    Looped { id: u32, points: Vec<LoopPoint>, rows: Vec<String> },
    /// A message could not be carried out: a cell (`index`), a ramp (`id`) or the sweep itself.
    Failed { index: Option<usize>, id: Option<u32>, message: String },
}

impl FromWorker {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            let failed = FromWorker::Failed { index: None, id: None, message: format!("cannot write an answer: {e}") };
            serde_json::to_string(&failed).unwrap_or_default()
        })
    }
}

/// Builds the grid a [`ToWorker::Sweep`] describes: what the page and the worker both do, so they
/// agree on every cell.
pub fn grid(scenario: &Scenario, x: &str, y: Option<&str>, seeds: u32, first_seed: u64) -> Result<Grid, String> {
    let x = Axis::parse(x, scenario).map_err(|e| e.to_string())?;
    let y = y.map(|y| Axis::parse(y, scenario)).transpose().map_err(|e| e.to_string())?;
    Grid::new(scenario, x, y, seeds, first_seed)
}

/// A worker's state: the sweep it was told.
#[derive(Default)]
pub struct Worker {
    sweep: Option<(Scenario, Grid)>,
    memo: Memo,
}

impl Worker {
    /// Carries out one message (JSON text), giving `post` each answer: a sweep that holds is taken
    /// silently, a ramp tells its progress as it runs, and everything is answered once done.
    /// `clock` reads wall milliseconds (the engine has no clock of its own).
    pub fn handle(&mut self, text: &str, clock: &dyn Fn() -> f64, post: &mut dyn FnMut(String)) {
        if let Some(answer) = self.answer(text, clock, post) {
            post(answer);
        }
    }

    fn answer(&mut self, text: &str, clock: &dyn Fn() -> f64, post: &mut dyn FnMut(String)) -> Option<String> {
        let failed = |index, id, message: String| Some(FromWorker::Failed { index, id, message }.to_json());
        let message = match serde_json::from_str::<ToWorker>(text) {
            Ok(message) => message,
            Err(e) => return failed(None, None, format!("unreadable message: {e}")),
        };
        match message {
            ToWorker::Sweep { scenario, x, y, seeds, first_seed } => {
                (self.sweep, self.memo) = (None, Memo::default());
                match grid(&scenario, &x, y.as_deref(), seeds, first_seed) {
                    Ok(grid) => {
                        self.sweep = Some((scenario, grid));
                        None
                    }
                    Err(e) => failed(None, None, e),
                }
            }
            ToWorker::Cell { index } => {
                let Some((base, grid)) = &self.sweep else {
                    return failed(Some(index), None, "no sweep was given".to_string());
                };
                if index >= grid.len() {
                    return failed(Some(index), None, format!("the sweep has {} runs", grid.len()));
                }
                let started_ms = clock();
                match grid.run(base, &grid.cell(index), &mut self.memo) {
                    Ok(result) => {
                        let row = rows::csv_row(grid, &result);
                        let ms = clock() - started_ms;
                        Some(FromWorker::Done { index, result, row, ms }.to_json())
                    }
                    Err(e) => failed(Some(index), None, e.to_string()),
                }
            }
            ToWorker::Loop { id, scenario, ramp } => {
                let mut told_ms = clock();
                let mut progress = |at_s: f64| {
                    let now_ms = clock();
                    if now_ms - told_ms >= PROGRESS_EVERY_MS {
                        told_ms = now_ms;
                        post(FromWorker::Progress { id, at_s }.to_json());
                    }
                };
                match ramp.run(&scenario, &mut progress) {
                    Ok(points) => {
                        let rows = points.iter().map(LoopPoint::csv_row).collect();
                        Some(FromWorker::Looped { id, points, rows }.to_json())
                    }
                    Err(e) => failed(None, Some(id), e),
                }
            }
        }
    }

    /// The first message a worker posts.
    pub fn ready() -> String {
        FromWorker::Ready.to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets;

    /// Everything the worker posts for `text`, read by `clock`.
    fn posts(worker: &mut Worker, text: &str, clock: &dyn Fn() -> f64) -> Vec<FromWorker> {
        let mut posted = Vec::new();
        worker.handle(text, clock, &mut |answer| posted.push(serde_json::from_str(&answer).unwrap()));
        posted
    }

    /// The worker's one answer to `message`, if any.
    fn ask(worker: &mut Worker, message: &ToWorker) -> Option<FromWorker> {
        let mut posted = posts(worker, &serde_json::to_string(message).unwrap(), &|| 0.0);
        assert!(posted.len() <= 1, "{posted:?}");
        posted.pop()
    }

    #[test]
    fn a_worker_answers_a_cell_as_the_grid_runs_it() {
        let mut scenario = (presets::find("retry-storm").unwrap().scenario)();
        scenario.duration_s = 40.0;
        let (x, y) = ("clients.load_rps=300..900:3", Some("triggers[0].magnitude=1..3:2"));
        let mut worker = Worker::default();
        let sweep = ToWorker::Sweep {
            scenario: scenario.clone(),
            x: x.into(),
            y: y.map(String::from),
            seeds: 2,
            first_seed: 5,
        };
        assert_eq!(ask(&mut worker, &sweep), None);
        let grid = grid(&scenario, x, y, 2, 5).unwrap();
        for index in [0, 7, 11] {
            let Some(FromWorker::Done { index: i, result, row, .. }) = ask(&mut worker, &ToWorker::Cell { index })
            else {
                panic!("cell {index} not done");
            };
            let native = grid.run(&scenario, &grid.cell(index), &mut Memo::default()).unwrap();
            assert_eq!(i, index);
            assert_eq!(row, rows::csv_row(&grid, &native));
            assert_eq!(result, CellResult { cell: Default::default(), ..native });
        }
    }

    #[test]
    fn a_worker_refuses_what_it_cannot_do_with_a_message() {
        let mut worker = Worker::default();
        let failed = |answer: Option<FromWorker>| matches!(answer, Some(FromWorker::Failed { .. }));
        assert!(failed(posts(&mut worker, "{", &|| 0.0).pop()));
        assert!(failed(ask(&mut worker, &ToWorker::Cell { index: 0 })));
        let scenario = Scenario::default();
        let bad = ToWorker::Sweep { scenario, x: "clients.nothing=1..2:2".into(), y: None, seeds: 1, first_seed: 1 };
        assert!(failed(ask(&mut worker, &bad)));
        let ramp = Ramp { from_rps: 500.0, to_rps: 100.0, steps: 3, hold_s: 2.0 };
        let answer = ask(&mut worker, &ToWorker::Loop { id: 3, scenario: Scenario::default(), ramp });
        assert!(matches!(answer, Some(FromWorker::Failed { id: Some(3), .. })));
    }

    #[test]
    fn a_worker_tells_a_ramps_progress_then_answers_with_its_native_points() {
        let scenario = (presets::find("retry-storm").unwrap().scenario)();
        let ramp = Ramp { from_rps: 300.0, to_rps: 1300.0, steps: 3, hold_s: 4.0 };
        // A clock that moves a whole progress interval at every reading.
        let ticks = std::cell::Cell::new(0.0);
        let clock = || {
            ticks.set(ticks.get() + PROGRESS_EVERY_MS);
            ticks.get()
        };
        let message = serde_json::to_string(&ToWorker::Loop { id: 2, scenario: scenario.clone(), ramp }).unwrap();
        let posted = posts(&mut Worker::default(), &message, &clock);
        let told: Vec<f64> = posted
            .iter()
            .filter_map(|p| match p {
                FromWorker::Progress { id: 2, at_s } => Some(*at_s),
                _ => None,
            })
            .collect();
        assert_eq!(told, [4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0], "one per level, in order");
        let Some(FromWorker::Looped { id: 2, points, .. }) = posted.last() else { panic!("{posted:?}") };
        assert_eq!(points, &ramp.run(&scenario, &mut |_| {}).unwrap());
        // A clock that stands still tells nothing but the answer.
        assert_eq!(posts(&mut Worker::default(), &message, &|| 0.0).len(), 1);
    }
}
