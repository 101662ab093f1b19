//! The scenario: every parameter of the model as one serde struct.
//!
//! A scenario is plain data. [`Scenario::validate`] rejects out-of-range or inconsistent values with
//! a message naming the field; [`path`] sets a single field by its dotted path (`backend.workers`),
//! which is how the command-line `--set` flag and the UI's sliders change a scenario.

mod chain;
pub mod fields;
mod file;
pub mod path;
mod timeline;
pub mod validate;

use serde::{Deserialize, Serialize};

pub use file::from_json;
pub use timeline::ScheduledChange;
pub use validate::{MAX_TIME_S, ScenarioError, magnitude_range};

/// Nanoseconds in one second.
pub const NS_PER_S: f64 = 1e9;

/// Converts seconds to whole nanoseconds (saturating, never negative).
pub fn s_to_ns(seconds: f64) -> u64 {
    if seconds <= 0.0 || seconds.is_nan() {
        0
    } else if seconds * NS_PER_S >= u64::MAX as f64 {
        u64::MAX
    } else {
        libm::round(seconds * NS_PER_S) as u64
    }
}

/// Converts milliseconds to whole nanoseconds.
pub fn ms_to_ns(ms: f64) -> u64 {
    s_to_ns(ms / 1e3)
}

/// Everything a run depends on. Same scenario ⇒ same numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Seed of every random stream in the run.
    pub seed: u64,
    /// How long a command-line run lasts, in simulated seconds.
    pub duration_s: f64,
    pub network: Network,
    pub clients: Clients,
    pub retry: Retry,
    pub cache: Cache,
    pub backend: Backend,
    /// Faults fired at fixed simulated times.
    pub triggers: Vec<ScheduledTrigger>,
    /// Changes of settings at fixed simulated times (with the triggers, the timeline).
    pub changes: Vec<ScheduledChange>,
    /// Tiers behind the first, in call order: tier 1 (`clients.timeout_s`, `network`, `retry`,
    /// `cache`, `backend`) calls `tiers[0]`, which calls `tiers[1]`, and so on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    pub metrics: Metrics,
    pub health: Health,
}

impl Default for Scenario {
    /// A healthy system: about 70 % backend utilisation, 4 attempts with jittered exponential
    /// backoff, a cache sized for a 50 % hit rate.
    fn default() -> Self {
        Scenario {
            seed: 1,
            duration_s: 120.0,
            network: Network::default(),
            clients: Clients::default(),
            retry: Retry::default(),
            cache: Cache::default(),
            backend: Backend::default(),
            triggers: Vec::new(),
            changes: Vec::new(),
            tiers: Vec::new(),
            metrics: Metrics::default(),
            health: Health::default(),
        }
    }
}

/// One-way delays of the network arrows, in milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Network {
    /// Client ↔ cache, each way (also the way fills travel to the cache).
    pub cache_ms: f64,
    /// Client ↔ backend, each way.
    pub backend_ms: f64,
}

impl Default for Network {
    fn default() -> Self {
        Network { cache_ms: 1.0, backend_ms: 1.0 }
    }
}

/// How requests are generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoopMode {
    /// Poisson arrivals at `load_rps`, whatever the system does.
    Open,
    /// `users` clients, each waiting for its request to end, then thinking for `think_time_s`.
    Closed,
}

/// The callers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Clients {
    pub mode: LoopMode,
    /// Open loop: new logical requests per second (λ).
    pub load_rps: f64,
    /// Closed loop: number of users.
    pub users: u32,
    /// Closed loop: mean think time between a user's requests (exponential), in seconds.
    pub think_time_s: f64,
    /// Number of distinct keys (K).
    pub keys: u32,
    /// Zipf exponent of key popularity (s).
    pub zipf_s: f64,
    /// Per-attempt timeout in seconds; `null` waits forever.
    pub timeout_s: Option<f64>,
}

impl Default for Clients {
    fn default() -> Self {
        Clients {
            mode: LoopMode::Open,
            load_rps: 2500.0,
            users: 100,
            think_time_s: 0.1,
            keys: 10_000,
            zipf_s: 1.0,
            timeout_s: Some(1.0),
        }
    }
}

/// Shape of the delay between attempts before jitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackoffKind {
    None,
    Constant,
    Exponential,
}

/// Randomisation of the backoff delay (the AWS Architecture Blog formulas).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JitterKind {
    None,
    Full,
    Equal,
    Decorrelated,
}

/// Which policy decides whether an attempt may be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmissionKind {
    None,
    TokenBucket,
    GrpcThrottling,
    RetryBudget,
    CircuitBreaker,
}

/// The client's retry policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retry {
    /// Attempts per logical request, the first included (1 = no retries).
    pub max_attempts: u32,
    pub on_timeout: bool,
    pub on_error: bool,
    pub backoff: BackoffKind,
    pub jitter: JitterKind,
    /// Backoff base delay, in milliseconds.
    pub base_ms: f64,
    /// Exponential growth per retry.
    pub multiplier: f64,
    /// Largest backoff delay, in milliseconds.
    pub cap_ms: f64,
    pub admission: AdmissionKind,
    pub token_bucket: TokenBucket,
    pub grpc: GrpcThrottling,
    pub budget: RetryBudget,
    pub breaker: CircuitBreaker,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_attempts: 4,
            on_timeout: true,
            on_error: true,
            backoff: BackoffKind::Exponential,
            jitter: JitterKind::Full,
            base_ms: 50.0,
            multiplier: 2.0,
            cap_ms: 2000.0,
            admission: AdmissionKind::None,
            token_bucket: TokenBucket::default(),
            grpc: GrpcThrottling::default(),
            budget: RetryBudget::default(),
            breaker: CircuitBreaker::default(),
        }
    }
}

/// AWS SDK "standard" retry quota.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TokenBucket {
    pub capacity: f64,
    pub retry_cost: f64,
    pub timeout_retry_cost: f64,
    pub success_refund: f64,
}

impl Default for TokenBucket {
    fn default() -> Self {
        TokenBucket { capacity: 500.0, retry_cost: 5.0, timeout_retry_cost: 10.0, success_refund: 1.0 }
    }
}

/// gRPC retry throttling: failures cost a token, successes earn `token_ratio`; retry while
/// tokens > max_tokens / 2.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GrpcThrottling {
    pub max_tokens: f64,
    pub token_ratio: f64,
}

impl Default for GrpcThrottling {
    fn default() -> Self {
        GrpcThrottling { max_tokens: 10.0, token_ratio: 0.1 }
    }
}

/// Finagle-style retry budget: retries ≤ ratio × requests + min_per_s × ttl_s over the last ttl_s.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryBudget {
    pub ratio: f64,
    pub min_per_s: f64,
    pub ttl_s: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget { ratio: 0.2, min_per_s: 10.0, ttl_s: 10 }
    }
}

/// Circuit breaker over attempts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CircuitBreaker {
    /// Opens when failures ÷ outcomes over the window reach this.
    pub failure_threshold: f64,
    /// Sliding window length, in whole seconds.
    pub window_s: u32,
    /// Fewest outcomes in the window before it may open.
    pub min_requests: u32,
    /// How long it stays open, in seconds.
    pub open_s: f64,
    /// Trial attempts let through when half-open; all must succeed to close.
    pub half_open_probes: u32,
    /// When open: true fails every attempt fast, false refuses only retries.
    pub blocks_first_attempts: bool,
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        CircuitBreaker {
            failure_threshold: 0.5,
            window_s: 10,
            min_requests: 20,
            open_s: 5.0,
            half_open_probes: 5,
            blocks_first_attempts: true,
        }
    }
}

/// When the caller's answer from the backend is written into the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FillPolicy {
    /// Only if the caller is still waiting when the answer arrives.
    LookAside,
    /// On every backend success, even after the caller gave up.
    WriteBack,
}

/// The look-aside cache.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cache {
    /// False removes the cache: callers go straight to the backend.
    pub enabled: bool,
    /// Target warm hit rate h; the capacity is the smallest k whose top-k keys carry h of the mass.
    pub target_hit_rate: f64,
    pub ttl_s: f64,
    pub hit_latency_ms: f64,
    pub fill: FillPolicy,
    /// One backend call per key in flight; other misses for the key wait for it.
    pub coalescing: bool,
    /// Serve an expired entry at once and refresh it in the background (stale-while-revalidate).
    pub serve_stale: bool,
    /// Start with the cache holding its hottest keys, as a system that has been running would.
    pub warm_start: bool,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            enabled: true,
            target_hit_rate: 0.8,
            ttl_s: 60.0,
            hit_latency_ms: 1.0,
            fill: FillPolicy::LookAside,
            coalescing: false,
            serve_stale: false,
            warm_start: true,
        }
    }
}

/// Distribution of backend service time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceDistribution {
    Exponential,
    LogNormal,
    Deterministic,
}

/// Order in which queued work is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueDiscipline {
    Fifo,
    Lifo,
}

/// The backend: a pool of workers behind one queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Backend {
    /// The tier's name in charts and exports (`tier1`, `tier2`, … when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Workers (c).
    pub workers: u32,
    /// Mean service time S, in milliseconds.
    pub service_time_ms: f64,
    pub distribution: ServiceDistribution,
    /// Coefficient of variation of the log-normal distribution.
    pub service_cv: f64,
    /// Queue length Q; a full queue rejects at once.
    pub queue_limit: u32,
    pub discipline: QueueDiscipline,
    /// Load-dependent slowdown α: service × (1 + α · max(0, in_system / c − 1)).
    pub slowdown_alpha: f64,
    /// Largest slowdown factor.
    pub slowdown_cap: f64,
    /// Drop queued work whose caller's deadline has passed (deadline propagation).
    pub deadline_dropping: bool,
    /// Shed work that waited longer than this in the queue, in milliseconds.
    pub queue_timeout_ms: Option<f64>,
    /// Reject arrivals while this many requests are in the system.
    pub concurrency_limit: Option<u32>,
}

impl Default for Backend {
    fn default() -> Self {
        Backend {
            name: None,
            workers: 10,
            service_time_ms: 10.0,
            distribution: ServiceDistribution::Exponential,
            service_cv: 1.0,
            queue_limit: 1000,
            discipline: QueueDiscipline::Fifo,
            slowdown_alpha: 0.0,
            slowdown_cap: 4.0,
            deadline_dropping: false,
            queue_timeout_ms: None,
            concurrency_limit: None,
        }
    }
}

/// A fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// Arrival rate × magnitude.
    LoadSpike,
    /// Service time × magnitude.
    BackendSlowdown,
    /// Magnitude (0–1) of the workers gone.
    CapacityLoss,
    /// Magnitude (0–1) of backend calls fail fast.
    ErrorBurst,
    /// Empties the cache (instant; duration ignored).
    CacheFlush,
    /// Every lookup misses for the duration.
    CacheOutage,
}

impl TriggerKind {
    /// Every kind, in display order.
    pub const ALL: [TriggerKind; 6] = [
        TriggerKind::LoadSpike,
        TriggerKind::BackendSlowdown,
        TriggerKind::CapacityLoss,
        TriggerKind::ErrorBurst,
        TriggerKind::CacheFlush,
        TriggerKind::CacheOutage,
    ];

    /// Human name, e.g. "load spike".
    pub fn label(self) -> &'static str {
        match self {
            TriggerKind::LoadSpike => "load spike",
            TriggerKind::BackendSlowdown => "backend slowdown",
            TriggerKind::CapacityLoss => "capacity loss",
            TriggerKind::ErrorBurst => "error burst",
            TriggerKind::CacheFlush => "cache flush",
            TriggerKind::CacheOutage => "cache outage",
        }
    }

    /// Does its magnitude mean anything? A cache flush or outage has none.
    pub fn has_magnitude(self) -> bool {
        !matches!(self, TriggerKind::CacheFlush | TriggerKind::CacheOutage)
    }

    /// Does it last? A cache flush is over at once.
    pub fn has_duration(self) -> bool {
        self != TriggerKind::CacheFlush
    }
}

/// A fault with its size and length.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub kind: TriggerKind,
    /// ×k for spikes and slowdowns, a fraction for capacity loss and error bursts.
    #[serde(default = "one")]
    pub magnitude: f64,
    #[serde(default)]
    pub duration_s: f64,
    /// The tier it strikes, from 1 (a load spike strikes the clients, whatever this says).
    #[serde(default = "first_tier", skip_serializing_if = "is_first_tier")]
    pub tier: u32,
}

fn one() -> f64 {
    1.0
}

fn first_tier() -> u32 {
    1
}

fn is_first_tier(tier: &u32) -> bool {
    *tier == 1
}

/// A trigger fired at a fixed simulated time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledTrigger {
    pub at_s: f64,
    pub kind: TriggerKind,
    #[serde(default = "one")]
    pub magnitude: f64,
    #[serde(default)]
    pub duration_s: f64,
    /// The tier it strikes, from 1.
    #[serde(default = "first_tier", skip_serializing_if = "is_first_tier")]
    pub tier: u32,
}

impl ScheduledTrigger {
    /// The fault itself, without its time.
    pub fn trigger(&self) -> Trigger {
        Trigger { kind: self.kind, magnitude: self.magnitude, duration_s: self.duration_s, tier: self.tier }
    }
}

/// How metrics are kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Metrics {
    /// Window length, in seconds.
    pub window_s: f64,
    /// Windows kept in the ring buffer.
    pub history_windows: u32,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics { window_s: 1.0, history_windows: 3600 }
    }
}

/// How the health banner decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Health {
    /// Quiet time after the last trigger before the system may be called metastable, in seconds.
    pub settling_s: f64,
    /// Windows averaged by each health test.
    pub eval_windows: u32,
    /// Simulated length of the counterfactual fresh run, in seconds.
    pub counterfactual_s: f64,
}

impl Default for Health {
    fn default() -> Self {
        Health { settling_s: 10.0, eval_windows: 3, counterfactual_s: 30.0 }
    }
}

impl Scenario {
    /// Per-attempt timeout of the clients' calls to tier 1, in nanoseconds, `None` for none.
    pub fn timeout_ns(&self) -> Option<u64> {
        self.clients.timeout_s.map(s_to_ns)
    }

    /// Tiers in the chain, 1 to [`MAX_TIERS`].
    pub fn tier_count(&self) -> usize {
        1 + self.tiers.len()
    }

    /// Tier `index` (0 for the first) and the settings of the caller that calls it; an index past
    /// the last tier gives the last.
    pub fn tier(&self, index: usize) -> TierRef<'_> {
        let index = index.min(self.tiers.len());
        match index.checked_sub(1).and_then(|i| self.tiers.get(i)) {
            Some(t) => TierRef {
                index,
                timeout_s: t.timeout_s,
                network: &t.network,
                retry: &t.retry,
                cache: &t.cache,
                backend: &t.backend,
            },
            None => TierRef {
                index: 0,
                timeout_s: self.clients.timeout_s,
                network: &self.network,
                retry: &self.retry,
                cache: &self.cache,
                backend: &self.backend,
            },
        }
    }

    /// The backend of tier `index` (0 for the first), to change it.
    pub fn backend_mut(&mut self, index: usize) -> Option<&mut Backend> {
        match index {
            0 => Some(&mut self.backend),
            i => self.tiers.get_mut(i - 1).map(|t| &mut t.backend),
        }
    }

    /// Every tier, first to last.
    pub fn tier_refs(&self) -> impl Iterator<Item = TierRef<'_>> {
        (0..self.tier_count()).map(|i| self.tier(i))
    }

    /// The name of tier `index` (0 for the first) in charts and exports.
    pub fn tier_name(&self, index: usize) -> String {
        self.tier(index).name()
    }

    /// Entries of tier 1's cache (see [`Scenario::cache_capacity_of`]).
    pub fn cache_capacity(&self) -> usize {
        self.cache_capacity_of(0)
    }

    /// Entries of tier `index`'s cache: the smallest k whose k hottest keys carry its target hit
    /// rate; 0 with no cache.
    pub fn cache_capacity_of(&self, index: usize) -> usize {
        let cache = self.tier(index).cache;
        if cache.enabled {
            crate::sim::cache::capacity_for_hit_rate(self.clients.keys, self.clients.zipf_s, cache.target_hit_rate)
        } else {
            0
        }
    }

    /// Backend capacity c / S in requests per second.
    pub fn backend_capacity_rps(&self) -> f64 {
        self.backend.workers as f64 / (self.backend.service_time_ms / 1e3)
    }

    /// When its story has been told, in whole seconds: half a minute after its last trigger ends,
    /// time for the verdict to settle (every preset's has; `tests/presets.rs` checks); 0 with no
    /// trigger. Where an embed first offers to open, as most readers never press anything.
    pub fn story_told_s(&self) -> f64 {
        self.triggers.iter().map(|t| libm::floor(t.at_s + t.duration_s + 30.0)).fold(0.0, f64::max)
    }

    /// The settings alone, with no timeline: what a fresh run starts from.
    pub fn without_timeline(&self) -> Scenario {
        Scenario { triggers: Vec::new(), changes: Vec::new(), ..self.clone() }
    }
}

/// Most tiers in a chain.
pub const MAX_TIERS: usize = 4;

/// A tier behind the first: its own backend and cache, and the settings of the tier before it
/// when it calls this one (timeout, retries, admission, network delays).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tier {
    /// The calling tier's per-attempt timeout, in seconds; `null` waits forever.
    pub timeout_s: Option<f64>,
    /// Delays between the calling tier and this tier's cache and backend.
    pub network: Network,
    /// The calling tier's retry policy and admission.
    pub retry: Retry,
    pub cache: Cache,
    pub backend: Backend,
}

impl Default for Tier {
    /// A tier like the first, with no cache in front.
    fn default() -> Self {
        Tier {
            timeout_s: Some(1.0),
            network: Network::default(),
            retry: Retry::default(),
            cache: Cache { enabled: false, ..Cache::default() },
            backend: Backend::default(),
        }
    }
}

/// One tier's settings, wherever the scenario keeps them.
#[derive(Clone, Copy, Debug)]
pub struct TierRef<'a> {
    /// 0 for the first tier.
    pub index: usize,
    /// The caller's per-attempt timeout, in seconds.
    pub timeout_s: Option<f64>,
    pub network: &'a Network,
    pub retry: &'a Retry,
    pub cache: &'a Cache,
    pub backend: &'a Backend,
}

impl TierRef<'_> {
    /// Its name in charts and exports.
    pub fn name(&self) -> String {
        self.backend.name.clone().unwrap_or_else(|| format!("tier{}", self.index + 1))
    }

    /// The caller's per-attempt timeout, in nanoseconds.
    pub fn timeout_ns(&self) -> Option<u64> {
        self.timeout_s.map(s_to_ns)
    }

    /// Backend capacity c / S in requests per second.
    pub fn capacity_rps(&self) -> f64 {
        self.backend.workers as f64 / (self.backend.service_time_ms / 1e3)
    }
}
