//! Every field of a scenario, declared once: its dotted path, label, unit, link short name, the
//! values it takes and, for the fields people change, the control that shows it. Validation, live
//! changes, the link codec, the playground's controls and the field reference are all read from
//! [`all`].

use super::{
    AdmissionKind, BackoffKind, FillPolicy, JitterKind, LoopMode, MAX_TIERS, QueueDiscipline, Scenario, ScenarioError,
    ServiceDistribution,
};

/// A value of one field, typed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Number(f64),
    /// A whole number too large for a float to hold exactly (a seed).
    Whole(u64),
    Flag(bool),
    /// One of the field's choices, by name (`exponential`).
    Choice(&'static str),
    /// An optional field left unset (no timeout).
    Unset,
}

impl FieldValue {
    /// A whole number as a count setting holds it: a number up to 2⁵³, beyond it a whole.
    pub fn whole(n: u64) -> FieldValue {
        n.read()
    }

    /// The number it holds, if it is a [`FieldValue::Number`].
    pub fn number(&self) -> Option<f64> {
        match self {
            FieldValue::Number(x) => Some(*x),
            _ => None,
        }
    }
}

/// The values a field takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A number in `min..=max`; `whole` for counts; `optional` when it may be unset (`null`).
    Number {
        min: f64,
        max: f64,
        whole: bool,
        optional: bool,
    },
    Flag,
    /// (name, label) of each choice.
    Choice(&'static [(&'static str, &'static str)]),
}

/// Where a field's control sits on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Group {
    #[default]
    Traffic,
    Retry,
    Cache,
    Backend,
    Health,
}

impl Group {
    pub const ALL: [Group; 5] = [Group::Traffic, Group::Retry, Group::Cache, Group::Backend, Group::Health];

    pub fn title(self) -> &'static str {
        match self {
            Group::Traffic => "Traffic",
            Group::Retry => "Retry policy",
            Group::Cache => "Cache",
            Group::Backend => "Backend",
            Group::Health => "Health",
        }
    }
}

/// The control of a field people change: its group, and for numbers the slider's range and step
/// (narrower than the values the field takes).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Control {
    pub group: Group,
    /// Behind the group's "Advanced" disclosure.
    pub advanced: bool,
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

/// One field.
pub struct Field {
    /// Where it is written in files and on the command line (`backend.workers`,
    /// `tier2.backend.workers`).
    pub path: &'static str,
    /// The path of the same field of tier 1 (for a field of the whole scenario, its path).
    pub base: &'static str,
    /// The tier it belongs to (0 for the first), or none for a field of the whole scenario.
    pub tier: Option<usize>,
    /// Label on its control, e.g. "Load".
    pub label: &'static str,
    /// Its name in a sentence, e.g. "the load".
    pub noun: &'static str,
    pub unit: &'static str,
    /// Short name in links (`load`), if it has one.
    pub short: Option<&'static str>,
    pub kind: Kind,
    pub control: Option<Control>,
    read: fn(&Scenario) -> FieldValue,
    write: fn(&mut Scenario, &FieldValue) -> bool,
}

impl PartialEq for Field {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.path)
    }
}

/// How a field's Rust type maps to a [`FieldValue`].
trait Slot: Sized {
    fn read(&self) -> FieldValue;
    fn write(value: &FieldValue) -> Option<Self>;
}

impl Slot for f64 {
    fn read(&self) -> FieldValue {
        FieldValue::Number(*self)
    }
    fn write(value: &FieldValue) -> Option<Self> {
        value.number()
    }
}

impl Slot for u32 {
    fn read(&self) -> FieldValue {
        FieldValue::Number(f64::from(*self))
    }
    fn write(value: &FieldValue) -> Option<Self> {
        match value {
            FieldValue::Number(x) if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(x) => Some(*x as u32),
            _ => None,
        }
    }
}

/// Largest whole number a float holds exactly (2⁵³).
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Slot for u64 {
    fn read(&self) -> FieldValue {
        if *self <= EXACT as u64 { FieldValue::Number(*self as f64) } else { FieldValue::Whole(*self) }
    }
    fn write(value: &FieldValue) -> Option<Self> {
        match value {
            // Every float from 2⁵³ on is whole; below 2⁶⁴ each is a u64 exactly.
            FieldValue::Number(x) if x.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(x) => {
                Some(*x as u64)
            }
            FieldValue::Whole(n) => Some(*n),
            _ => None,
        }
    }
}

impl Slot for bool {
    fn read(&self) -> FieldValue {
        FieldValue::Flag(*self)
    }
    fn write(value: &FieldValue) -> Option<Self> {
        match value {
            FieldValue::Flag(b) => Some(*b),
            _ => None,
        }
    }
}

impl<T: Slot> Slot for Option<T> {
    fn read(&self) -> FieldValue {
        self.as_ref().map_or(FieldValue::Unset, Slot::read)
    }
    fn write(value: &FieldValue) -> Option<Self> {
        match value {
            FieldValue::Unset => Some(None),
            other => T::write(other).map(Some),
        }
    }
}

/// Enums map to their serialised names, which are their choices' names.
macro_rules! choice_slot {
    ($($t:ty => [$($variant:path = $name:literal),+]),+ $(,)?) => {$(
        impl Slot for $t {
            fn read(&self) -> FieldValue {
                FieldValue::Choice(match self { $($variant => $name),+ })
            }
            fn write(value: &FieldValue) -> Option<Self> {
                match value {
                    $(FieldValue::Choice($name) => Some($variant),)+
                    _ => None,
                }
            }
        }
    )+};
}

choice_slot! {
    LoopMode => [LoopMode::Open = "open", LoopMode::Closed = "closed"],
    BackoffKind => [BackoffKind::None = "none", BackoffKind::Constant = "constant", BackoffKind::Exponential = "exponential"],
    JitterKind => [JitterKind::None = "none", JitterKind::Full = "full", JitterKind::Equal = "equal", JitterKind::Decorrelated = "decorrelated"],
    AdmissionKind => [AdmissionKind::None = "none", AdmissionKind::TokenBucket = "token_bucket", AdmissionKind::GrpcThrottling = "grpc_throttling", AdmissionKind::RetryBudget = "retry_budget", AdmissionKind::CircuitBreaker = "circuit_breaker"],
    FillPolicy => [FillPolicy::LookAside = "look_aside", FillPolicy::WriteBack = "write_back"],
    ServiceDistribution => [ServiceDistribution::Exponential = "exponential", ServiceDistribution::LogNormal = "log_normal", ServiceDistribution::Deterministic = "deterministic"],
    QueueDiscipline => [QueueDiscipline::Fifo = "fifo", QueueDiscipline::Lifo = "lifo"],
}

const fn number(min: f64, max: f64) -> Kind {
    Kind::Number { min, max, whole: false, optional: false }
}
const fn count(min: f64, max: f64) -> Kind {
    Kind::Number { min, max, whole: true, optional: false }
}
const fn optional(min: f64, max: f64) -> Kind {
    Kind::Number { min, max, whole: false, optional: true }
}
const fn optional_count(min: f64, max: f64) -> Kind {
    Kind::Number { min, max, whole: true, optional: true }
}
const fn slider(group: Group, min: f64, max: f64, step: f64) -> Option<Control> {
    Some(Control { group, advanced: false, min, max, step })
}
const fn advanced(group: Group, min: f64, max: f64, step: f64) -> Option<Control> {
    Some(Control { group, advanced: true, min, max, step })
}
const fn shown(group: Group) -> Option<Control> {
    Some(Control { group, advanced: false, min: 0.0, max: 0.0, step: 0.0 })
}
const fn hidden(group: Group) -> Option<Control> {
    Some(Control { group, advanced: true, min: 0.0, max: 0.0, step: 0.0 })
}

/// Declares a field: path (as written in files and links), label, noun, unit, short name, kind,
/// control, and the Rust place it lives in.
macro_rules! field {
    ($path:literal, $label:literal, $noun:literal, $unit:literal, $short:expr, $kind:expr, $control:expr, $($place:ident).+) => {
        field!(@ None, $path, $path, $label, $noun, $unit, $short, $kind, $control, $($place).+)
    };
    (@ $tier:expr, $path:expr, $base:literal, $label:literal, $noun:expr, $unit:literal, $short:expr, $kind:expr, $control:expr, $($place:ident).+) => {
        Field {
            path: $path,
            base: $base,
            tier: $tier,
            label: $label,
            noun: $noun,
            unit: $unit,
            short: $short,
            kind: $kind,
            control: $control,
            read: |s| Slot::read(&s.$($place).+),
            write: |s, v| match Slot::write(v) {
                Some(x) => {
                    s.$($place).+ = x;
                    true
                }
                None => false,
            },
        }
    };
}

/// A tier field of tier 1, where the scenario keeps it.
macro_rules! first_tier {
    ($path:literal => $tier_path:literal, $label:literal, $noun:literal, $unit:literal, $short:expr, $kind:expr, $control:expr, $($place:ident).+ => $($tier_place:ident).+) => {
        first_tier!($path, $label, $noun, $unit, $short, $kind, $control, $($place).+)
    };
    ($path:literal, $label:literal, $noun:literal, $unit:literal, $short:expr, $kind:expr, $control:expr, $($place:ident).+) => {
        field!(@ Some(0), $path, $path, $label, $noun, $unit, $short, $kind, $control, $($place).+)
    };
}

/// A tier field of tier `$index + 2`, kept in `tiers[$index]` and named `$prefix` + its path.
macro_rules! later_tier {
    ($index:tt, $prefix:literal, $of:literal, $path:literal => $tier_path:literal, $label:literal, $noun:literal, $unit:literal, $short:expr, $kind:expr, $control:expr, $($place:ident).+ => $($tier_place:ident).+) => {
        later_tier!(@ $index, concat!($prefix, $tier_path), $path, concat!($noun, $of), $label, $unit, $short, $kind, $control, $($tier_place).+)
    };
    ($index:tt, $prefix:literal, $of:literal, $path:literal, $label:literal, $noun:literal, $unit:literal, $short:expr, $kind:expr, $control:expr, $($place:ident).+) => {
        later_tier!(@ $index, concat!($prefix, $path), $path, concat!($noun, $of), $label, $unit, $short, $kind, $control, $($place).+)
    };
    (@ $index:tt, $path:expr, $base:literal, $noun:expr, $label:literal, $unit:literal, $short:expr, $kind:expr, $control:expr, $($place:ident).+) => {
        Field {
            path: $path,
            base: $base,
            tier: Some($index + 1),
            label: $label,
            noun: $noun,
            unit: $unit,
            short: $short,
            kind: $kind,
            control: $control,
            read: |s| s.tiers.get($index).map_or(FieldValue::Unset, |t| Slot::read(&t.$($place).+)),
            write: |s, v| match (s.tiers.get_mut($index), Slot::write(v)) {
                (Some(t), Some(x)) => {
                    t.$($place).+ = x;
                    true
                }
                _ => false,
            },
        }
    };
}

const DAY_S: f64 = 86_400.0;
const LOOPS: &[(&str, &str)] = &[("open", "Open (arrivals)"), ("closed", "Closed (users)")];
const BACKOFFS: &[(&str, &str)] = &[("none", "None"), ("constant", "Constant"), ("exponential", "Exponential")];
const JITTERS: &[(&str, &str)] =
    &[("none", "None"), ("full", "Full"), ("equal", "Equal"), ("decorrelated", "Decorrelated")];
const ADMISSIONS: &[(&str, &str)] = &[
    ("none", "None"),
    ("token_bucket", "Token bucket"),
    ("grpc_throttling", "gRPC throttling"),
    ("retry_budget", "Retry budget"),
    ("circuit_breaker", "Circuit breaker"),
];
const FILLS: &[(&str, &str)] = &[("look_aside", "Look-aside"), ("write_back", "Write-back")];
const DISTRIBUTIONS: &[(&str, &str)] =
    &[("exponential", "Exponential"), ("log_normal", "Log-normal"), ("deterministic", "Deterministic")];
const ORDERS: &[(&str, &str)] = &[("fifo", "FIFO"), ("lifo", "LIFO")];

use Group::{Backend, Cache, Health, Retry, Traffic};

/// Every field, in the order of the scenario file (and of validation messages). Within a group,
/// controls appear in this order.
/// Fields of the whole scenario that come before the tiers' (clients, seed, duration).
static HEAD: [Field; 8] = [
    field!("seed", "Seed", "the seed", "", None, count(0.0, u64::MAX as f64), None, seed),
    field!("duration_s", "Duration", "the duration", "s", None, number(0.0, DAY_S), None, duration_s),
    field!("clients.mode", "Clients", "the client loop", "", None, Kind::Choice(LOOPS), None, clients.mode),
    field!(
        "clients.load_rps",
        "Load",
        "the load",
        "req/s",
        Some("load"),
        number(0.0, 1_000_000.0),
        slider(Traffic, 0.0, 12_000.0, 50.0),
        clients.load_rps
    ),
    field!("clients.users", "Users", "the number of users", "", None, count(0.0, 1_000_000.0), None, clients.users),
    field!(
        "clients.think_time_s",
        "Think time",
        "the think time",
        "s",
        None,
        number(0.0, 3600.0),
        None,
        clients.think_time_s
    ),
    field!("clients.keys", "Keys", "the number of keys", "", None, count(1.0, 1_000_000.0), None, clients.keys),
    field!(
        "clients.zipf_s",
        "Key skew (Zipf s)",
        "the key skew",
        "",
        None,
        number(0.0, 5.0),
        advanced(Traffic, 0.0, 2.0, 0.05),
        clients.zipf_s
    ),
];

/// Fields of the whole scenario that come after the tiers' (metrics, health).
static TAIL: [Field; 5] = [
    field!("metrics.window_s", "Window", "the window length", "s", None, number(0.01, 3600.0), None, metrics.window_s),
    field!(
        "metrics.history_windows",
        "History",
        "the history length",
        "windows",
        None,
        count(1.0, 100_000.0),
        None,
        metrics.history_windows
    ),
    field!(
        "health.settling_s",
        "Settling time",
        "the settling time",
        "s",
        None,
        number(0.0, 3600.0),
        advanced(Health, 0.0, 60.0, 1.0),
        health.settling_s
    ),
    field!(
        "health.eval_windows",
        "Windows per verdict",
        "the windows per verdict",
        "",
        None,
        count(1.0, 600.0),
        None,
        health.eval_windows
    ),
    field!(
        "health.counterfactual_s",
        "Fresh run",
        "the fresh run's length",
        "s",
        None,
        number(1.0, 3600.0),
        None,
        health.counterfactual_s
    ),
];

/// The fields every tier has: its caller's timeout, network delays and retry policy, its cache
/// and its backend, declared once and laid out for tier 1 (`first_tier!`) and for tiers 2 to 4
/// (`later_tier!`, under `tierN.`).
macro_rules! tier_fields {
    ($entry:ident $(, $arg:tt)*) => {[
        $entry!($($arg,)*
            "clients.timeout_s" => "timeout_s",
            "Timeout",
            "the timeout",
            "s",
            Some("timeout"),
            optional(0.001, 3600.0),
            slider(Retry, 0.05, 5.0, 0.05),
            clients.timeout_s => timeout_s
        ),
        $entry!($($arg,)*
            "network.cache_ms",
            "Network delay to cache",
            "the network delay to the cache",
            "ms",
            None,
            number(0.0, 10_000.0),
            advanced(Traffic, 0.0, 50.0, 0.5),
            network.cache_ms
        ),
        $entry!($($arg,)*
            "network.backend_ms",
            "Network delay to backend",
            "the network delay to the backend",
            "ms",
            None,
            number(0.0, 10_000.0),
            advanced(Traffic, 0.0, 50.0, 0.5),
            network.backend_ms
        ),
        $entry!($($arg,)*
            "retry.max_attempts",
            "Max attempts",
            "the attempt limit",
            "",
            Some("retries"),
            count(1.0, 100.0),
            slider(Retry, 1.0, 8.0, 1.0),
            retry.max_attempts
        ),
        $entry!($($arg,)*
            "retry.on_timeout",
            "Retry on timeout",
            "retrying on timeout",
            "",
            None,
            Kind::Flag,
            hidden(Retry),
            retry.on_timeout
        ),
        $entry!($($arg,)*
            "retry.on_error",
            "Retry on error",
            "retrying on error",
            "",
            None,
            Kind::Flag,
            hidden(Retry),
            retry.on_error
        ),
        $entry!($($arg,)*
            "retry.backoff",
            "Backoff",
            "the backoff",
            "",
            Some("backoff"),
            Kind::Choice(BACKOFFS),
            shown(Retry),
            retry.backoff
        ),
        $entry!($($arg,)*
            "retry.jitter",
            "Jitter",
            "the jitter",
            "",
            Some("jitter"),
            Kind::Choice(JITTERS),
            shown(Retry),
            retry.jitter
        ),
        $entry!($($arg,)*
            "retry.base_ms",
            "Backoff base",
            "the backoff base",
            "ms",
            None,
            number(0.0, 3_600_000.0),
            advanced(Retry, 0.0, 2000.0, 10.0),
            retry.base_ms
        ),
        $entry!($($arg,)*
            "retry.multiplier",
            "Backoff multiplier",
            "the backoff multiplier",
            "",
            None,
            number(1.0, 10.0),
            None,
            retry.multiplier
        ),
        $entry!($($arg,)*
            "retry.cap_ms",
            "Backoff cap",
            "the backoff cap",
            "ms",
            None,
            number(0.0, 3_600_000.0),
            advanced(Retry, 0.0, 20_000.0, 100.0),
            retry.cap_ms
        ),
        $entry!($($arg,)*
            "retry.admission",
            "Retry admission",
            "retry admission",
            "",
            Some("admission"),
            Kind::Choice(ADMISSIONS),
            shown(Retry),
            retry.admission
        ),
        $entry!($($arg,)*
            "retry.token_bucket.capacity",
            "Token bucket capacity",
            "the token bucket's capacity",
            "tokens",
            None,
            number(0.0, 1e9),
            advanced(Retry, 0.0, 2000.0, 10.0),
            retry.token_bucket.capacity
        ),
        $entry!($($arg,)*
            "retry.token_bucket.retry_cost",
            "Cost per retry",
            "the cost per retry",
            "tokens",
            None,
            number(0.0, 1e9),
            advanced(Retry, 0.0, 50.0, 1.0),
            retry.token_bucket.retry_cost
        ),
        $entry!($($arg,)*
            "retry.token_bucket.timeout_retry_cost",
            "Cost per retry after timeout",
            "the cost per retry after a timeout",
            "tokens",
            None,
            number(0.0, 1e9),
            advanced(Retry, 0.0, 50.0, 1.0),
            retry.token_bucket.timeout_retry_cost
        ),
        $entry!($($arg,)*
            "retry.token_bucket.success_refund",
            "Refund per success",
            "the refund per success",
            "tokens",
            None,
            number(0.0, 1e9),
            None,
            retry.token_bucket.success_refund
        ),
        $entry!($($arg,)*
            "retry.grpc.max_tokens",
            "gRPC max tokens",
            "gRPC's max tokens",
            "tokens",
            None,
            number(1.0, 1e6),
            advanced(Retry, 1.0, 100.0, 1.0),
            retry.grpc.max_tokens
        ),
        $entry!($($arg,)*
            "retry.grpc.token_ratio",
            "gRPC token ratio",
            "gRPC's token ratio",
            "",
            None,
            number(0.0, 1e6),
            advanced(Retry, 0.0, 1.0, 0.01),
            retry.grpc.token_ratio
        ),
        $entry!($($arg,)*
            "retry.budget.ratio",
            "Budget ratio",
            "the retry budget's ratio",
            "",
            None,
            number(0.0, 100.0),
            advanced(Retry, 0.0, 1.0, 0.01),
            retry.budget.ratio
        ),
        $entry!($($arg,)*
            "retry.budget.min_per_s",
            "Budget minimum",
            "the retry budget's minimum",
            "retries/s",
            None,
            number(0.0, 1e6),
            advanced(Retry, 0.0, 100.0, 1.0),
            retry.budget.min_per_s
        ),
        $entry!($($arg,)*
            "retry.budget.ttl_s",
            "Budget window",
            "the retry budget's window",
            "s",
            None,
            count(1.0, 3600.0),
            None,
            retry.budget.ttl_s
        ),
        $entry!($($arg,)*
            "retry.breaker.failure_threshold",
            "Breaker failure threshold",
            "the breaker's failure threshold",
            "",
            None,
            number(0.0, 1.0),
            advanced(Retry, 0.05, 1.0, 0.05),
            retry.breaker.failure_threshold
        ),
        $entry!($($arg,)*
            "retry.breaker.window_s",
            "Breaker window",
            "the breaker's window",
            "s",
            None,
            count(1.0, 3600.0),
            None,
            retry.breaker.window_s
        ),
        $entry!($($arg,)*
            "retry.breaker.min_requests",
            "Breaker minimum requests",
            "the breaker's minimum requests",
            "",
            None,
            count(1.0, 1_000_000.0),
            None,
            retry.breaker.min_requests
        ),
        $entry!($($arg,)*
            "retry.breaker.open_s",
            "Breaker open time",
            "the breaker's open time",
            "s",
            None,
            number(0.001, 3600.0),
            advanced(Retry, 0.5, 60.0, 0.5),
            retry.breaker.open_s
        ),
        $entry!($($arg,)*
            "retry.breaker.half_open_probes",
            "Breaker probes",
            "the breaker's probes",
            "",
            None,
            count(1.0, 10_000.0),
            None,
            retry.breaker.half_open_probes
        ),
        $entry!($($arg,)*
            "retry.breaker.blocks_first_attempts",
            "Breaker blocks first attempts",
            "blocking first attempts",
            "",
            None,
            Kind::Flag,
            hidden(Retry),
            retry.breaker.blocks_first_attempts
        ),
        $entry!($($arg,)*"cache.enabled", "Use the cache", "the cache", "", Some("cache"), Kind::Flag, shown(Cache), cache.enabled),
        $entry!($($arg,)*
            "cache.target_hit_rate",
            "Target hit rate",
            "the target hit rate",
            "",
            Some("hit"),
            number(0.0, 1.0),
            slider(Cache, 0.0, 0.99, 0.01),
            cache.target_hit_rate
        ),
        $entry!($($arg,)*
            "cache.ttl_s",
            "TTL",
            "the cache TTL",
            "s",
            Some("ttl"),
            number(0.001, DAY_S),
            slider(Cache, 1.0, 600.0, 1.0),
            cache.ttl_s
        ),
        $entry!($($arg,)*
            "cache.hit_latency_ms",
            "Hit latency",
            "the hit latency",
            "ms",
            None,
            number(0.0, 10_000.0),
            None,
            cache.hit_latency_ms
        ),
        $entry!($($arg,)*
            "cache.fill",
            "Fill policy",
            "the fill policy",
            "",
            Some("fill"),
            Kind::Choice(FILLS),
            shown(Cache),
            cache.fill
        ),
        $entry!($($arg,)*
            "cache.coalescing",
            "Request coalescing",
            "request coalescing",
            "",
            Some("coalescing"),
            Kind::Flag,
            shown(Cache),
            cache.coalescing
        ),
        $entry!($($arg,)*
            "cache.serve_stale",
            "Serve stale while revalidating",
            "serving stale",
            "",
            None,
            Kind::Flag,
            hidden(Cache),
            cache.serve_stale
        ),
        $entry!($($arg,)*"cache.warm_start", "Start warm", "a warm start", "", None, Kind::Flag, None, cache.warm_start),
        $entry!($($arg,)*
            "backend.workers",
            "Workers",
            "the worker count",
            "",
            Some("workers"),
            count(1.0, 100_000.0),
            slider(Backend, 1.0, 200.0, 1.0),
            backend.workers
        ),
        $entry!($($arg,)*
            "backend.service_time_ms",
            "Service time",
            "the service time",
            "ms",
            Some("service"),
            number(0.001, 3_600_000.0),
            slider(Backend, 1.0, 100.0, 1.0),
            backend.service_time_ms
        ),
        $entry!($($arg,)*
            "backend.distribution",
            "Service time distribution",
            "the service-time distribution",
            "",
            None,
            Kind::Choice(DISTRIBUTIONS),
            hidden(Backend),
            backend.distribution
        ),
        $entry!($($arg,)*
            "backend.service_cv",
            "Service time variation (cv)",
            "the service-time variation",
            "",
            None,
            number(0.0, 10.0),
            None,
            backend.service_cv
        ),
        $entry!($($arg,)*
            "backend.queue_limit",
            "Queue limit",
            "the queue limit",
            "requests",
            Some("queue"),
            count(0.0, 10_000_000.0),
            slider(Backend, 0.0, 5000.0, 10.0),
            backend.queue_limit
        ),
        $entry!($($arg,)*
            "backend.discipline",
            "Queue order",
            "the queue order",
            "",
            Some("order"),
            Kind::Choice(ORDERS),
            shown(Backend),
            backend.discipline
        ),
        $entry!($($arg,)*
            "backend.slowdown_alpha",
            "Load slowdown α",
            "the load slowdown",
            "",
            None,
            number(0.0, 100.0),
            advanced(Backend, 0.0, 5.0, 0.1),
            backend.slowdown_alpha
        ),
        $entry!($($arg,)*
            "backend.slowdown_cap",
            "Load slowdown cap",
            "the slowdown cap",
            "×",
            None,
            number(1.0, 1000.0),
            None,
            backend.slowdown_cap
        ),
        $entry!($($arg,)*
            "backend.deadline_dropping",
            "Drop work past its deadline",
            "deadline dropping",
            "",
            None,
            Kind::Flag,
            shown(Backend),
            backend.deadline_dropping
        ),
        $entry!($($arg,)*
            "backend.queue_timeout_ms",
            "Queue timeout",
            "the queue timeout",
            "ms",
            None,
            optional(0.0, 3_600_000.0),
            None,
            backend.queue_timeout_ms
        ),
        $entry!($($arg,)*
            "backend.concurrency_limit",
            "Concurrency limit",
            "the concurrency limit",
            "",
            None,
            optional_count(1.0, 10_000_000.0),
            advanced(Backend, 1.0, 500.0, 1.0),
            backend.concurrency_limit
        ),
    ]};
}

/// Fields each tier has.
pub const TIER_FIELD_COUNT: usize = 46;

/// The tier fields of tiers 1 to 4.
static TIERS: [[Field; TIER_FIELD_COUNT]; MAX_TIERS] = [
    tier_fields!(first_tier),
    tier_fields!(later_tier, 0, "tier2.", " of tier 2"),
    tier_fields!(later_tier, 1, "tier3.", " of tier 3"),
    tier_fields!(later_tier, 2, "tier4.", " of tier 4"),
];

/// Every field: the scenario's, tier 1's, then tiers 2 to 4's, in the order of the scenario file
/// (and of validation messages). Within a group, controls appear in this order.
pub fn all() -> impl Iterator<Item = &'static Field> {
    HEAD.iter().chain(TIERS[0].iter()).chain(TAIL.iter()).chain(TIERS[1..].iter().flatten())
}

/// The fields of the whole scenario and of tier 1: what a one-tier scenario has.
pub fn first_tier() -> impl Iterator<Item = &'static Field> {
    all().filter(|f| f.tier.is_none_or(|t| t == 0))
}

/// The field at dotted `path`, or with short name `path`; a later tier's under `tierN.`
/// (`tier2.backend.workers`, `tier2.workers`).
pub fn find(path: &str) -> Option<&'static Field> {
    let later = path.split_once('.').and_then(|(prefix, rest)| {
        let n: usize = prefix.strip_prefix("tier")?.parse().ok()?;
        (2..=MAX_TIERS).contains(&n).then_some((n - 1, rest))
    });
    match later {
        Some((tier, rest)) => TIERS[tier].iter().find(|f| f.path == path || f.short == Some(rest)),
        None => first_tier().find(|f| f.path == path || f.short == Some(path)),
    }
}

impl Field {
    /// The same field of tier `tier` (0 for the first); a field of the whole scenario is itself.
    pub fn at_tier(&'static self, tier: usize) -> Option<&'static Field> {
        match self.tier {
            None => Some(self),
            Some(_) => TIERS.get(tier)?.iter().find(|f| f.base == self.base),
        }
    }

    /// Its label, with its tier when that is not the first ("Workers (tier 3)").
    pub fn full_label(&self) -> String {
        match self.tier {
            Some(tier) if tier > 0 => format!("{} (tier {})", self.label, tier + 1),
            _ => self.label.to_string(),
        }
    }

    /// Its key in links: the short name if it has one (under `tierN.` for a later tier), else
    /// the path.
    pub fn link_key(&self) -> String {
        match (self.short, self.tier) {
            (Some(short), Some(tier)) if tier > 0 => format!("tier{}.{short}", tier + 1),
            (Some(short), _) => short.to_string(),
            (None, _) => self.path.to_string(),
        }
    }

    /// The choices of a field that takes one of several: (name, label) each; none for others.
    pub fn choices(&self) -> &'static [(&'static str, &'static str)] {
        match self.kind {
            Kind::Choice(choices) => choices,
            _ => &[],
        }
    }

    /// The field's value in `scenario`.
    pub fn get(&self, scenario: &Scenario) -> FieldValue {
        (self.read)(scenario)
    }

    /// Sets the field in `scenario` to `value`, unchecked against its range; false (and nothing
    /// changed) when the value is not of the field's type.
    pub fn put(&self, scenario: &mut Scenario, value: &FieldValue) -> bool {
        (self.write)(scenario, value)
    }

    /// Reads `text` as a value of this field: a number, `true`/`false`, a choice's name, or
    /// `null`/`none` for an optional field. The message says what it takes.
    pub fn parse(&self, text: &str) -> Result<FieldValue, ScenarioError> {
        let text = text.trim().trim_matches('"');
        let error = |takes: String| ScenarioError {
            field: self.path.to_string(),
            message: format!("cannot take {text:?}: {takes}"),
        };
        match self.kind {
            Kind::Number { optional: true, .. } if matches!(text, "null" | "none") => Ok(FieldValue::Unset),
            Kind::Number { whole: true, .. } if text.parse::<u64>().is_ok_and(|n| n > EXACT as u64) => {
                Ok(FieldValue::Whole(text.parse::<u64>().unwrap_or(u64::MAX)))
            }
            Kind::Number { whole, .. } => match text.parse::<f64>() {
                Ok(x) if x.is_finite() && (!whole || x.fract() == 0.0) => Ok(FieldValue::Number(x)),
                _ if whole => Err(error("expected a whole number".to_string())),
                _ => Err(error("expected a number".to_string())),
            },
            Kind::Flag => match text {
                "true" | "1" | "on" | "yes" => Ok(FieldValue::Flag(true)),
                "false" | "0" | "off" | "no" => Ok(FieldValue::Flag(false)),
                _ => Err(error("expected true or false".to_string())),
            },
            // By name, or by the label its control shows ("Constant"), in any case.
            Kind::Choice(options) => options
                .iter()
                .find(|(name, label)| name.eq_ignore_ascii_case(text) || label.eq_ignore_ascii_case(text))
                .map(|(name, _)| FieldValue::Choice(name))
                .ok_or_else(|| {
                    error(format!("expected one of {}", options.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")))
                }),
        }
    }

    /// The value as written in files, links and the command line (`3000`, `true`, `fifo`, `null`).
    pub fn text(&self, value: &FieldValue) -> String {
        match value {
            FieldValue::Number(x) => number_text(*x),
            FieldValue::Whole(n) => n.to_string(),
            FieldValue::Flag(b) => b.to_string(),
            FieldValue::Choice(name) => name.to_string(),
            FieldValue::Unset => "null".to_string(),
        }
    }

    /// Checks `value` against the field's range: `Err` with the message validation gives.
    pub fn check(&self, value: &FieldValue) -> Result<(), String> {
        match (self.kind, value) {
            (Kind::Number { min, max, .. }, FieldValue::Number(x)) if !(x.is_finite() && *x >= min && *x <= max) => {
                Err(super::validate::out_of_range(*x, min, max))
            }
            (Kind::Number { max, .. }, FieldValue::Whole(n)) if *n as f64 > max => {
                Err(format!("{n} is not between 0 and {}", number_text(max)))
            }
            _ => Ok(()),
        }
    }

    /// The value nearest to `value` within the field's range.
    pub fn clamp(&self, value: &FieldValue) -> FieldValue {
        match (self.kind, value) {
            (Kind::Number { min, max, .. }, FieldValue::Number(x)) => {
                FieldValue::Number(if x.is_nan() { min } else { x.clamp(min, max) })
            }
            _ => value.clone(),
        }
    }

    /// Does the field matter under `scenario`'s other settings? An admission policy's parameters
    /// matter only while that policy is chosen, the cache's only while there is a cache, and so on.
    pub fn relevant(&self, s: &Scenario) -> bool {
        let path = self.base;
        let tier = s.tier(self.tier.unwrap_or(0));
        let (retry, cache, backend) = (tier.retry, tier.cache, tier.backend);
        let under = |prefix: &str| path.starts_with(prefix);
        if self.tier.is_some_and(|t| t >= s.tier_count()) {
            false
        } else if under("retry.token_bucket.") {
            retry.admission == AdmissionKind::TokenBucket
        } else if under("retry.grpc.") {
            retry.admission == AdmissionKind::GrpcThrottling
        } else if under("retry.budget.") {
            retry.admission == AdmissionKind::RetryBudget
        } else if under("retry.breaker.") {
            retry.admission == AdmissionKind::CircuitBreaker
        } else if under("cache.") && path != "cache.enabled" {
            cache.enabled
        } else {
            match path {
                "clients.load_rps" => s.clients.mode == LoopMode::Open,
                "clients.users" | "clients.think_time_s" => s.clients.mode == LoopMode::Closed,
                "retry.base_ms" | "retry.cap_ms" | "retry.multiplier" => retry.backoff != BackoffKind::None,
                "backend.service_cv" => backend.distribution == ServiceDistribution::LogNormal,
                "backend.slowdown_cap" => backend.slowdown_alpha > 0.0,
                _ => true,
            }
        }
    }

    /// The value with its unit for people (`3000 req/s`, `exponential`, `none`).
    pub fn display(&self, value: &FieldValue) -> String {
        match value {
            FieldValue::Whole(n) => n.to_string(),
            FieldValue::Number(x) if self.unit.is_empty() => format_number(*x),
            FieldValue::Number(x) => format!("{} {}", format_number(*x), self.unit),
            FieldValue::Flag(true) => "on".to_string(),
            FieldValue::Flag(false) => "off".to_string(),
            FieldValue::Choice(name) => match self.kind {
                Kind::Choice(options) => {
                    options.iter().find(|(n, _)| n == name).map_or(*name, |(_, label)| *label).to_string()
                }
                _ => name.to_string(),
            },
            FieldValue::Unset => "none".to_string(),
        }
    }
}

/// A number in the shortest text that reads back as the same value (`3000`, `0.95`).
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or_else(|| x.to_string(), |n| n.to_string())
    }
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

/// The field reference as a Markdown table, one row per field in table order: path, short name,
/// default, unit, the values it takes, and its label. `docs/model.md` holds this table, and a test
/// keeps the two the same.
pub fn reference_table() -> String {
    let defaults = Scenario::default();
    let mut out = String::from("| field | link name | default | unit | values | label |\n|---|---|---|---|---|---|\n");
    for f in first_tier() {
        let values = match f.kind {
            Kind::Number { min, max, whole, optional } => {
                let kind = if whole { "whole number" } else { "number" };
                let unset = if optional { ", or null" } else { "" };
                let max = if max >= u64::MAX as f64 { u64::MAX.to_string() } else { number_text(max) };
                format!("{kind} {}..={max}{unset}", number_text(min))
            }
            Kind::Flag => "true, false".to_string(),
            Kind::Choice(options) => options.iter().map(|(name, _)| format!("`{name}`")).collect::<Vec<_>>().join(", "),
        };
        let short = f.short.map_or(String::new(), |s| format!("`{s}`"));
        let default = f.text(&f.get(&defaults));
        out.push_str(&format!("| `{}` | {short} | {default} | {} | {values} | {} |\n", f.path, f.unit, f.label));
    }
    out
}
