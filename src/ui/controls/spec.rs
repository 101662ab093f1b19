//! The one place that maps controls to scenario fields: every slider, choice and switch, with its
//! label, unit and range. Components read and write scenario fields only through this table.

/// A numeric field shown as a range input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slider {
    pub path: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    /// Behind the group's "advanced" disclosure.
    pub advanced: bool,
}

/// A field with a fixed set of values, shown as a select.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    pub path: &'static str,
    pub label: &'static str,
    /// (value, label) pairs.
    pub options: &'static [(&'static str, &'static str)],
    pub advanced: bool,
}

/// A boolean field, shown as a checkbox.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Switch {
    pub path: &'static str,
    pub label: &'static str,
    pub advanced: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Control {
    Slider(Slider),
    Choice(Choice),
    Switch(Switch),
}

/// A titled group of controls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Group {
    pub title: &'static str,
    pub controls: &'static [Control],
}

const fn slider(path: &'static str, label: &'static str, unit: &'static str, min: f64, max: f64, step: f64) -> Control {
    Control::Slider(Slider { path, label, unit, min, max, step, advanced: false })
}

const fn advanced(
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
    step: f64,
) -> Control {
    Control::Slider(Slider { path, label, unit, min, max, step, advanced: true })
}

const fn switch(path: &'static str, label: &'static str, advanced: bool) -> Control {
    Control::Switch(Switch { path, label, advanced })
}

const fn choice(
    path: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    advanced: bool,
) -> Control {
    Control::Choice(Choice { path, label, options, advanced })
}

/// Every control, grouped as on screen.
pub const GROUPS: [Group; 5] = [
    Group {
        title: "Traffic",
        controls: &[
            slider("clients.load_rps", "Load", "req/s", 0.0, 12_000.0, 50.0),
            advanced("clients.zipf_s", "Key skew (Zipf s)", "", 0.0, 2.0, 0.05),
            advanced("network.cache_ms", "Network delay to cache", "ms", 0.0, 50.0, 0.5),
            advanced("network.backend_ms", "Network delay to backend", "ms", 0.0, 50.0, 0.5),
        ],
    },
    Group {
        title: "Retry policy",
        controls: &[
            slider("retry.max_attempts", "Max attempts", "", 1.0, 8.0, 1.0),
            slider("clients.timeout_s", "Timeout", "s", 0.05, 5.0, 0.05),
            choice(
                "retry.backoff",
                "Backoff",
                &[("none", "None"), ("constant", "Constant"), ("exponential", "Exponential")],
                false,
            ),
            choice(
                "retry.jitter",
                "Jitter",
                &[("none", "None"), ("full", "Full"), ("equal", "Equal"), ("decorrelated", "Decorrelated")],
                false,
            ),
            choice(
                "retry.admission",
                "Retry admission",
                &[
                    ("none", "None"),
                    ("token_bucket", "Token bucket"),
                    ("grpc_throttling", "gRPC throttling"),
                    ("retry_budget", "Retry budget"),
                    ("circuit_breaker", "Circuit breaker"),
                ],
                false,
            ),
            switch("retry.on_timeout", "Retry on timeout", true),
            switch("retry.on_error", "Retry on error", true),
            advanced("retry.base_ms", "Backoff base", "ms", 0.0, 2000.0, 10.0),
            advanced("retry.cap_ms", "Backoff cap", "ms", 0.0, 20_000.0, 100.0),
            advanced("retry.token_bucket.capacity", "Token bucket capacity", "tokens", 0.0, 2000.0, 10.0),
            advanced("retry.token_bucket.retry_cost", "Cost per retry", "tokens", 0.0, 50.0, 1.0),
            advanced("retry.token_bucket.timeout_retry_cost", "Cost per retry after timeout", "tokens", 0.0, 50.0, 1.0),
            advanced("retry.grpc.max_tokens", "gRPC max tokens", "tokens", 1.0, 100.0, 1.0),
            advanced("retry.grpc.token_ratio", "gRPC token ratio", "", 0.0, 1.0, 0.01),
            advanced("retry.budget.ratio", "Budget ratio", "", 0.0, 1.0, 0.01),
            advanced("retry.budget.min_per_s", "Budget minimum", "retries/s", 0.0, 100.0, 1.0),
            advanced("retry.breaker.failure_threshold", "Breaker failure threshold", "", 0.05, 1.0, 0.05),
            advanced("retry.breaker.open_s", "Breaker open time", "s", 0.5, 60.0, 0.5),
            switch("retry.breaker.blocks_first_attempts", "Breaker blocks first attempts", true),
        ],
    },
    Group {
        title: "Cache",
        controls: &[
            slider("cache.target_hit_rate", "Target hit rate", "", 0.0, 0.99, 0.01),
            slider("cache.ttl_s", "TTL", "s", 1.0, 600.0, 1.0),
            choice("cache.fill", "Fill policy", &[("look_aside", "Look-aside"), ("write_back", "Write-back")], false),
            switch("cache.coalescing", "Request coalescing", false),
            switch("cache.serve_stale", "Serve stale while revalidating", true),
        ],
    },
    Group {
        title: "Backend",
        controls: &[
            slider("backend.workers", "Workers", "", 1.0, 200.0, 1.0),
            slider("backend.service_time_ms", "Service time", "ms", 1.0, 100.0, 1.0),
            slider("backend.queue_limit", "Queue limit", "requests", 0.0, 5000.0, 10.0),
            choice("backend.discipline", "Queue order", &[("fifo", "FIFO"), ("lifo", "LIFO")], false),
            switch("backend.deadline_dropping", "Drop work past its deadline", false),
            choice(
                "backend.distribution",
                "Service time distribution",
                &[("exponential", "Exponential"), ("log_normal", "Log-normal"), ("deterministic", "Deterministic")],
                true,
            ),
            advanced("backend.slowdown_alpha", "Load slowdown α", "", 0.0, 5.0, 0.1),
        ],
    },
    Group { title: "Health", controls: &[advanced("health.settling_s", "Settling time", "s", 0.0, 60.0, 1.0)] },
];

/// Formats a field's value for display with its unit.
pub fn display(value: f64, unit: &str) -> String {
    let number = crate::sim::scenario::fields::format_number(value);
    if unit.is_empty() { number } else { format!("{number} {unit}") }
}
