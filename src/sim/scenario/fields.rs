//! What each field is called and measured in, for words about changes (banner, lessons, links).

/// (dotted path, label, unit) of the fields people change.
const DESCRIPTIONS: [(&str, &str, &str); 24] = [
    ("clients.load_rps", "the load", "req/s"),
    ("clients.users", "the number of users", ""),
    ("clients.think_time_s", "the think time", "s"),
    ("clients.zipf_s", "the key skew", ""),
    ("clients.timeout_s", "the timeout", "s"),
    ("retry.max_attempts", "the attempt limit", ""),
    ("retry.backoff", "the backoff", ""),
    ("retry.jitter", "the jitter", ""),
    ("retry.admission", "retry admission", ""),
    ("retry.base_ms", "the backoff base", "ms"),
    ("retry.cap_ms", "the backoff cap", "ms"),
    ("cache.enabled", "the cache", ""),
    ("cache.target_hit_rate", "the target hit rate", ""),
    ("cache.ttl_s", "the cache TTL", "s"),
    ("cache.fill", "the fill policy", ""),
    ("cache.coalescing", "request coalescing", ""),
    ("cache.serve_stale", "serving stale", ""),
    ("backend.workers", "the worker count", ""),
    ("backend.service_time_ms", "the service time", "ms"),
    ("backend.queue_limit", "the queue limit", "requests"),
    ("backend.discipline", "the queue order", ""),
    ("backend.deadline_dropping", "deadline dropping", ""),
    ("backend.slowdown_alpha", "the load slowdown", ""),
    ("network.backend_ms", "the network delay to the backend", "ms"),
];

/// A field's label and unit for sentences; its dotted path and no unit when it has none.
pub fn describe(path: &str) -> (&str, &str) {
    DESCRIPTIONS.iter().find(|(p, _, _)| *p == path).map_or((path, ""), |(_, label, unit)| (*label, *unit))
}

/// A number as people write it: whole numbers bare, others to at most three significant places.
pub fn format_number(value: f64) -> String {
    let whole = value.fract().abs() < 1e-9 && value.abs() < 1e9;
    if whole || value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 1.0 {
        format!("{value:.2}").trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{value:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
