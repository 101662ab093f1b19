//! Windows as rows: one column list shared by the command-line runner and every export.

use super::Window;
use crate::sim::health::Verdict;
use serde_json::{Map, Value};

/// Column names, in order. The first 21 are the stable contract of `simulate run`.
pub const COLUMNS: [&str; 40] = [
    "t_s",
    "offered_rps",
    "attempts_rps",
    "retries_rps",
    "goodput_rps",
    "success_ratio",
    "backend_completions_rps",
    "wasted_rps",
    "timeouts_rps",
    "errors_rps",
    "rejections_rps",
    "queue_len",
    "in_flight",
    "utilization",
    "cache_hit_rate",
    "cache_fill",
    "p50_ms",
    "p99_ms",
    "e2e_p99_ms",
    "retry_amplification",
    "health",
    "p90_ms",
    "p999_ms",
    "e2e_p50_ms",
    "e2e_p999_ms",
    "dropped_rps",
    "retries_refused_rps",
    "in_service",
    "breaker",
    "retry_tokens",
    "cache_capacity",
    "health_reason",
    "queue_mean",
    "busy_mean",
    "mean_ms",
    "e2e_mean_ms",
    "e2e_p90_ms",
    "failed_rps",
    "backend_arrivals_rps",
    "first_refused_rps",
];

fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn maybe(x: Option<f64>) -> Value {
    x.map_or(Value::Null, number)
}

/// An enum by its serialised name.
fn named<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The window's values in [`COLUMNS`] order, with its verdict; `null` where a value does not exist.
pub fn row(w: &Window, verdict: &Verdict) -> Vec<Value> {
    vec![
        number(w.end_s),
        number(w.offered_rps),
        number(w.attempts_rps),
        number(w.retries_rps),
        number(w.goodput_rps),
        maybe(w.success_ratio),
        number(w.backend_completions_rps),
        number(w.wasted_rps),
        number(w.timeouts_rps),
        number(w.errors_rps),
        number(w.rejections_rps),
        Value::from(w.queue_len),
        Value::from(w.in_flight),
        number(w.utilization),
        maybe(w.cache_hit_rate),
        number(w.cache_fill),
        maybe(w.p50_ms),
        maybe(w.p99_ms),
        maybe(w.e2e_p99_ms),
        maybe(w.retry_amplification),
        named(&verdict.state),
        maybe(w.p90_ms),
        maybe(w.p999_ms),
        maybe(w.e2e_p50_ms),
        maybe(w.e2e_p999_ms),
        number(w.dropped_rps),
        number(w.retries_refused_rps),
        Value::from(w.in_service),
        named(&w.breaker),
        maybe(w.retry_tokens),
        Value::from(w.cache_capacity),
        Value::from(verdict.reason.to_string()),
        number(w.queue_mean),
        number(w.busy_mean),
        maybe(w.mean_ms),
        maybe(w.e2e_mean_ms),
        maybe(w.e2e_p90_ms),
        number(w.failed_rps),
        number(w.backend_arrivals_rps),
        number(w.first_refused_rps),
    ]
}

/// The CSV header line (no newline).
pub fn csv_header() -> String {
    COLUMNS.join(",")
}

/// One CSV line (no newline): numbers as written by Rust, empty for a missing value, text quoted
/// when it holds a comma or a quote.
pub fn csv_line(w: &Window, verdict: &Verdict) -> String {
    row(w, verdict)
        .into_iter()
        .map(|v| match v {
            Value::Null => String::new(),
            Value::String(s) if s.contains([',', '"', '\n']) => {
                format!("\"{}\"", s.replace('"', "\"\""))
            }
            Value::String(s) => s,
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// One JSON object with the columns as keys, in order.
pub fn json_line(w: &Window, verdict: &Verdict) -> String {
    let map: Map<String, Value> = COLUMNS.iter().map(|c| c.to_string()).zip(row(w, verdict)).collect();
    Value::Object(map).to_string()
}
