//! A sweep's runs as rows, one per cell and seed: the axis values, the seed, the outcome and the
//! newest span's figures; as CSV (with [`csv_header`]) or JSON lines.

use super::{Axis, CellResult, Grid};
use serde_json::{Map, Value};

const FIGURES: [&str; 10] = [
    "outcome",
    "state",
    "success_ratio",
    "offered_rps",
    "goodput_rps",
    "amplification",
    "utilization",
    "e2e_p99_ms",
    "events",
    "end_s",
];

/// The CSV header: the axes, the seed and the figures.
pub fn csv_header(grid: &Grid) -> String {
    let mut columns = vec![grid.x.name()];
    columns.extend(grid.y.as_ref().map(Axis::name));
    columns.push("seed".to_string());
    columns.extend(FIGURES.iter().map(|f| f.to_string()));
    columns.join(",")
}

/// The row's values in column order.
fn values(grid: &Grid, r: &CellResult) -> Vec<(String, Value)> {
    let number = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
    let maybe = |x: Option<f64>| x.map_or(Value::Null, number);
    let mut row = vec![(grid.x.name(), number(r.cell.x))];
    if let (Some(axis), Some(y)) = (&grid.y, r.cell.y) {
        row.push((axis.name(), number(y)));
    }
    row.push(("seed".to_string(), Value::from(r.cell.seed)));
    let figures = [
        Value::from(r.outcome.name()),
        Value::from(r.state.name()),
        maybe(r.success_ratio),
        maybe(r.offered_rps),
        maybe(r.goodput_rps),
        maybe(r.amplification),
        maybe(r.utilization),
        maybe(r.e2e_p99_ms),
        Value::from(r.events),
        number(r.end_s),
    ];
    row.extend(FIGURES.iter().map(|f| f.to_string()).zip(figures));
    row
}

/// One run as a CSV row (an absent figure is empty).
pub fn csv_row(grid: &Grid, r: &CellResult) -> String {
    let text = |v: Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s,
        other => other.to_string(),
    };
    values(grid, r).into_iter().map(|(_, v)| text(v)).collect::<Vec<_>>().join(",")
}

/// One run as a JSON object on one line (an absent figure is null).
pub fn json_row(grid: &Grid, r: &CellResult) -> String {
    Value::Object(values(grid, r).into_iter().collect::<Map<_, _>>()).to_string()
}
