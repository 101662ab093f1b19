//! Windows as rows: one column list shared by the command-line runner and every export.

use super::{TierWindow, Window};
use crate::sim::health::Verdict;
use crate::sim::scenario::Scenario;
use serde_json::{Map, Value};

/// Column names, in order. The first 21 are the stable contract of `simulate run`. They describe
/// the clients and tier 1; [`CHAIN_COLUMNS`] and each tier's [`TIER_COLUMNS`] follow.
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

/// After [`COLUMNS`]: attempts reaching the last tier per logical request.
pub const CHAIN_COLUMNS: [&str; 1] = ["chain_amplification"];

/// Each tier's columns, written `name.column` (`db.attempts_rps`), tier by tier.
pub const TIER_COLUMNS: [&str; 20] = [
    "calls_rps",
    "goodput_rps",
    "failed_rps",
    "attempts_rps",
    "retries_rps",
    "attempts_per_call",
    "retry_amplification",
    "timeouts_rps",
    "errors_rps",
    "backend_arrivals_rps",
    "backend_completions_rps",
    "wasted_rps",
    "rejections_rps",
    "dropped_rps",
    "utilization",
    "queue_len",
    "in_service",
    "queue_mean",
    "busy_mean",
    "cache_hit_rate",
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

/// A tier's values in [`TIER_COLUMNS`] order.
pub fn tier_row(t: &TierWindow) -> Vec<Value> {
    vec![
        number(t.calls_rps),
        number(t.goodput_rps),
        number(t.failed_rps),
        number(t.attempts_rps),
        number(t.retries_rps),
        maybe(t.attempts_per_call),
        maybe(t.retry_amplification),
        number(t.timeouts_rps),
        number(t.errors_rps),
        number(t.backend_arrivals_rps),
        number(t.backend_completions_rps),
        number(t.wasted_rps),
        number(t.rejections_rps),
        number(t.dropped_rps),
        number(t.utilization),
        Value::from(t.queue_len),
        Value::from(t.in_service),
        number(t.queue_mean),
        number(t.busy_mean),
        maybe(t.cache_hit_rate),
    ]
}

/// The CSV header line (no newline) for runs of `scenario`: the columns, then each tier's.
pub fn csv_header(scenario: &Scenario) -> String {
    let mut names: Vec<String> = COLUMNS.iter().chain(&CHAIN_COLUMNS).map(|c| c.to_string()).collect();
    for tier in scenario.tier_refs() {
        let name = tier.name();
        names.extend(TIER_COLUMNS.iter().map(|c| format!("{name}.{c}")));
    }
    names.join(",")
}

/// `text` as a CSV field: quoted when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// One CSV line (no newline): numbers as written by Rust, empty for a missing value, text quoted
/// when it holds a comma or a quote.
pub fn csv_line(w: &Window, verdict: &Verdict) -> String {
    let tiers = w.tiers.iter().flat_map(tier_row);
    row(w, verdict)
        .into_iter()
        .chain([maybe(w.chain_amplification)])
        .chain(tiers)
        .map(|v| match v {
            Value::Null => String::new(),
            Value::String(s) => csv_field(&s),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// One JSON object with the columns as keys, in order, then `chain_amplification` and `tiers`, an
/// array of one object per tier (its `name`, then its columns).
pub fn json_line(w: &Window, verdict: &Verdict) -> String {
    let mut map: Map<String, Value> = COLUMNS.iter().map(|c| c.to_string()).zip(row(w, verdict)).collect();
    map.insert(CHAIN_COLUMNS[0].to_string(), maybe(w.chain_amplification));
    let tiers = w.tiers.iter().map(|t| {
        let mut tier = Map::new();
        tier.insert("name".to_string(), Value::from(t.name.clone()));
        tier.extend(TIER_COLUMNS.iter().map(|c| c.to_string()).zip(tier_row(t)));
        Value::Object(tier)
    });
    map.insert("tiers".to_string(), Value::Array(tiers.collect()));
    Value::Object(map).to_string()
}
