//! Stability maps of the retry-storm preset over base load × spike magnitude, three seeds a cell,
//! each cell a full 120 s run judged at its end.

mod common;

use metastable_playground::sim::health::Memo;
use metastable_playground::sim::scenario::{Scenario, ScheduledChange, path};
use metastable_playground::sim::sweep::{Axis, CellResult, Grid, Outcome, Tally};

/// Past the backend's capacity (1000 req/s) too, where cells end Overloaded.
const LOADS: &str = "clients.load_rps=300..1100:9";
const SPIKES: &str = "triggers[0].magnitude=1..3:5";

/// Every run of `grid` over `base`, in cell order (two threads; a cell's result does not depend
/// on which thread runs it).
fn run_all(grid: &Grid, base: &Scenario) -> Vec<CellResult> {
    let indices: Vec<usize> = (0..grid.len()).collect();
    let halves: Vec<Vec<CellResult>> = std::thread::scope(|scope| {
        let handles: Vec<_> = indices
            .chunks(grid.len().div_ceil(2))
            .map(|chunk| {
                scope.spawn(move || {
                    let mut memo = Memo::default();
                    chunk.iter().map(|&i| grid.run(base, &grid.cell(i), &mut memo).expect("valid cell")).collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("no panic")).collect()
    });
    halves.into_iter().flatten().collect()
}

/// Per cell, as `[spike][load]`: the odds of collapse (the share of seeds that end stuck) and the
/// share of seeds that end back to health (Healthy or Recovered).
fn map(base: &Scenario) -> (Grid, Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let grid = Grid {
        x: Axis::parse(LOADS, base).expect("load axis"),
        y: Some(Axis::parse(SPIKES, base).expect("spike axis")),
        seeds: vec![1, 2, 3],
    };
    let results = run_all(&grid, base);
    let seeds = grid.seeds.len();
    let loads = grid.x.steps as usize;
    let rows = |share: fn(&Tally) -> f64| -> Vec<Vec<f64>> {
        let cells: Vec<f64> = results.chunks(seeds).map(|cell| share(&Tally::of(cell))).collect();
        cells.chunks(loads).map(<[f64]>::to_vec).collect()
    };
    let back = |t: &Tally| (t.count(Outcome::Healthy) + t.count(Outcome::Recovered)) as f64 / t.runs() as f64;
    (grid, rows(Tally::odds), rows(back))
}

/// The highest load at which every seed of every spike in range ends back to health, if the
/// lowest does.
fn safe_load(grid: &Grid, back: &[Vec<f64>]) -> Option<f64> {
    let loads = grid.x.values();
    (0..loads.len()).take_while(|&i| back.iter().all(|row| row[i] == 1.0)).last().map(|i| loads[i])
}

#[test]
fn the_retry_storm_map_is_monotone_with_a_safe_load_that_a_token_bucket_raises() {
    let base = common::preset("retry-storm");
    let (grid, odds, back) = map(&base);
    // Monotone, allowing one seed in three of noise: more load or a bigger spike never turns stuck
    // into recovered, so a cell's share of seeds that end back to health never grows by more than
    // 1/3 when the load or the spike grows (past capacity they end Overloaded, not back).
    for (s, row) in back.iter().enumerate() {
        for (l, &here) in row.iter().enumerate() {
            if let Some(&more_load) = row.get(l + 1) {
                assert!(more_load <= here + 0.34, "spike {s}, load {l}: {back:?}");
            }
            if let Some(bigger_spike) = back.get(s + 1) {
                assert!(bigger_spike[l] <= here + 0.34, "spike {s}, load {l}: {back:?}");
            }
        }
    }
    // A load below which no spike up to ×3 tips it, and collapse for sure above it.
    let safe = safe_load(&grid, &back).expect("the lowest load is safe");
    assert!(safe < 900.0, "{back:?}");
    let at_900 = grid.x.values().iter().position(|&load| load == 900.0).expect("900 req/s on the axis");
    assert_eq!(odds.last().expect("rows")[at_900], 1.0, "×3 at 900 req/s: {odds:?}");
    // Past capacity nothing comes back, spike or none.
    assert!(back.iter().all(|row| row.last() == Some(&0.0)), "1100 req/s: {back:?}");
    // A token bucket on retries moves the safe load up (here to the last load below capacity).
    let bucket = path::set(&base, "retry.admission", "token_bucket").expect("valid");
    let (bucket_grid, _, bucket_back) = map(&bucket);
    let bucket_safe = safe_load(&bucket_grid, &bucket_back).expect("the lowest load is safe");
    assert!(bucket_safe > safe, "{safe} → {bucket_safe}: {bucket_back:?}");
}

#[test]
fn a_cell_is_the_same_run_as_its_scenario_run_alone() {
    let base = common::preset("retry-storm");
    let grid = Grid { x: Axis::parse(LOADS, &base).expect("axis"), y: None, seeds: vec![7] };
    let cell = grid.cell(4);
    assert_eq!((cell.x, cell.seed), (700.0, 7));
    let result = grid.run(&base, &cell, &mut Memo::default()).expect("valid");
    let alone = Scenario { seed: 7, ..path::set(&base, "clients.load_rps", "700").expect("valid") };
    let run = common::judged(alone.clone(), alone.duration_s);
    assert_eq!(result.state, run.health().state);
    assert_eq!(result.events, run.sim().events_processed());
    assert_eq!(result.outcome, Outcome::Metastable);
    // A collapse older than the windows kept still makes a healthy end Recovered: the load is
    // lowered to 200 req/s at 60 s, and the last 30 windows are all healthy.
    let mut lowered = base.clone();
    lowered.changes.push(ScheduledChange { at_s: 60.0, set: "clients.load_rps".into(), to: serde_json::json!(200) });
    let short_memory = path::set(&lowered, "metrics.history_windows", "30").expect("valid");
    for scenario in [&lowered, &short_memory] {
        assert_eq!(grid.run(scenario, &cell, &mut Memo::default()).expect("valid").outcome, Outcome::Recovered);
    }
    // A spike of ×1 changes nothing: the run was never disturbed.
    let no_spike =
        Grid { x: Axis::parse("triggers[0].magnitude=1..1:1", &base).expect("axis"), y: None, seeds: vec![1] };
    let result = no_spike.run(&base, &no_spike.cell(0), &mut Memo::default()).expect("valid");
    assert_eq!(result.outcome, Outcome::Healthy);
}

#[test]
fn cells_that_share_fresh_runs_get_the_results_they_get_alone() {
    let base = common::preset("retry-storm");
    let grid = Grid {
        x: Axis::parse("clients.load_rps=500..800:3", &base).expect("axis"),
        y: Some(Axis::parse("triggers[0].magnitude=1.5..3:3", &base).expect("axis")),
        seeds: vec![4],
    };
    let mut memo = Memo::default();
    let (mut shared_events, mut alone_events) = (0, 0);
    for index in 0..grid.len() {
        let cell = grid.cell(index);
        let shared = grid.run(&base, &cell, &mut memo).expect("valid");
        let alone = grid.run(&base, &cell, &mut Memo::default()).expect("valid");
        (shared_events, alone_events) = (shared_events + shared.fresh_events, alone_events + alone.fresh_events);
        // Everything but the work saved is the same.
        assert_eq!(CellResult { fresh_events: 0, ..shared }, CellResult { fresh_events: 0, ..alone }, "cell {index}");
    }
    assert!(shared_events * 2 < alone_events, "fresh-run events: {shared_events} shared, {alone_events} alone");
    // The spike's size leaves the settings alone: one fresh run per load served the whole column.
    assert_eq!(memo.len(), 3);
}

#[test]
fn a_run_overloaded_on_demand_stops_early_with_the_verdict_its_full_run_ends_with() {
    let base = common::preset("retry-storm");
    let grid =
        Grid { x: Axis::parse("clients.load_rps=1100..1300:2", &base).expect("axis"), y: None, seeds: vec![1, 2] };
    for index in 0..grid.len() {
        let cell = grid.cell(index);
        let result = grid.run(&base, &cell, &mut Memo::default()).expect("valid");
        assert_eq!(result.outcome, Outcome::Overloaded);
        assert!(result.end_s < 10.0, "settled at {} s", result.end_s);
        // Its first seconds' figures would not describe the overload: there are none.
        assert_eq!((result.goodput_rps, result.success_ratio, result.utilization), (None, None, None));
        let scenario = grid.scenario(&base, &cell).expect("valid");
        let full = common::judged(scenario.clone(), scenario.duration_s);
        assert_eq!(full.health().state, result.state, "cell {index}: the full run ends the same");
    }
    // A change still to come could lower the load: such a run goes to its end.
    let lowered = path::set(&base, "clients.load_rps", "1200").expect("valid");
    let lowered = Scenario {
        changes: vec![serde_json::from_str(r#"{"at_s": 60, "set": "clients.load_rps", "to": 400}"#).expect("change")],
        ..lowered
    };
    let one = Grid { x: Axis::parse("backend.workers=10..10:1", &lowered).expect("axis"), y: None, seeds: vec![1] };
    let result = one.run(&lowered, &one.cell(0), &mut Memo::default()).expect("valid");
    assert_eq!(result.end_s, lowered.duration_s);
    assert_ne!(result.outcome, Outcome::Overloaded);
}

#[test]
fn values_between_an_axis_ends_read_short_and_stay_within_a_200th_of_a_step() {
    let base = common::preset("retry-storm");
    let spikes = Axis::parse("triggers[0].magnitude=1..3:20", &base).expect("axis").values();
    assert_eq!(&spikes[..3], &[1.0, 1.105, 1.211]);
    assert_eq!(spikes.last(), Some(&3.0));
    let loads = Axis::parse("clients.load_rps=300..1200:20", &base).expect("axis").values();
    assert_eq!(&loads[..3], &[300.0, 347.4, 394.7]);
    for (values, from, step) in [(&spikes, 1.0, 2.0 / 19.0), (&loads, 300.0, 900.0 / 19.0)] {
        for (i, v) in values.iter().enumerate() {
            assert!((v - (from + step * i as f64)).abs() <= step / 200.0, "{i}: {v}");
        }
    }
}

#[test]
fn a_grid_refuses_timeline_times_that_the_run_ends_before() {
    let base = common::preset("retry-storm");
    let late = Axis::parse("triggers[0].at_s=0..300:7", &base).expect("axis");
    let error = Grid::new(&base, late, None, 1, 1).expect_err("a spike at 150 s never fires in 120 s");
    assert!(error.contains("150 s is not before the end of each run at 120 s"), "{error}");
    let in_time = Axis::parse("triggers[0].at_s=0..100:3", &base).expect("axis");
    assert!(Grid::new(&base, in_time, None, 1, 1).is_ok());
}

#[test]
fn an_axis_writes_a_changes_value_as_the_timeline_and_links_write_it() {
    let mut base = common::preset("retry-storm");
    base.changes = vec![ScheduledChange::parse("60:load=500").expect("valid")];
    let axis = Axis::parse("changes[0].to=300..900:3", &base).expect("axis");
    // The value it already has leaves the scenario as it was: 500, not 500.0.
    let mut moved = base.clone();
    axis.apply(&mut moved, 500.0).expect("valid");
    assert_eq!(moved, base);
    for (value, written) in [(512.5, "60:load=512.5"), (900.0, "60:load=900")] {
        axis.apply(&mut moved, value).expect("valid");
        assert_eq!(moved.changes[0].to, ScheduledChange::parse(written).expect("valid").to, "{value}");
    }
}
