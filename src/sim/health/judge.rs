//! The judge: labels each window as it closes, from the windows, the triggers and the changes of
//! settings that a simulation exposes. It runs beside the simulation (see [`crate::sim::run`]).

use super::demand::{busiest_tier, first_attempt_utilization, fresh_run_s, scenario_warm_hit_rate, theory_p99_ms};
use super::fresh::{FreshRuns, Memo, settings_key};
use super::reason::{Cause, Failing, Loop, Overload, Reason};
use super::span::{MAX_SPAN_S, MIN_SPAN_REQUESTS, Span, newest_span, summarise};
use super::{HealthState, Verdict};
use crate::sim::backend::load_slowdown;
use crate::sim::engine::Simulation;
use crate::sim::metrics::{RingBuffer, Window};
use crate::sim::scenario::Scenario;

/// How much the success ratio must rise, span over span, to count as recovering.
const RISING_BY: f64 = 0.02;
/// Attempts per offered request from which retries count as a sustaining loop.
const RETRY_LOOP_AMPLIFICATION: f64 = 1.5;
/// Share of wasted backend work from which it counts as a sustaining loop.
const WASTED_LOOP_SHARE: f64 = 0.2;
/// A cache hitting less than this share of its warm hit rate counts as cold.
const COLD_CACHE_SHARE: f64 = 0.5;
/// A load-dependent slowdown from this factor counts as a sustaining loop.
const SLOWDOWN_LOOP_FACTOR: f64 = 1.5;

/// Facts derived from one version of the settings.
struct Settings {
    version: u64,
    key: String,
    warm_hit_rate: f64,
    rho: Option<f64>,
}

/// What the newest window's verdict rests on, taken when it closes: changes made while it waits
/// for the fresh run belong to later windows.
struct Facts {
    scenario: Scenario,
    key: String,
    warm_hit_rate: f64,
    rho: Option<f64>,
    causes: Vec<Cause>,
    now_s: f64,
}

/// Verdicts of the windows, one per window, and what they rest on.
pub struct Judge {
    verdicts: RingBuffer<Verdict>,
    fresh: FreshRuns,
    settings: Option<Settings>,
    /// The newest window, awaiting its verdict.
    pending: Option<Facts>,
    /// When the current stretch of windows that are not healthy began.
    stretch_from_s: Option<f64>,
}

impl Judge {
    pub fn new(history: usize) -> Self {
        Self::with_memo(history, None)
    }

    /// A judge that shares fresh-run verdicts through `memo`, if given (see [`Memo`]).
    pub fn with_memo(history: usize, memo: Option<Memo>) -> Self {
        Judge {
            verdicts: RingBuffer::new(history),
            fresh: memo.map_or_else(FreshRuns::default, FreshRuns::with_memo),
            settings: None,
            pending: None,
            stretch_from_s: None,
        }
    }

    /// The memo given, with the verdicts learnt since.
    pub fn take_memo(&mut self) -> Memo {
        self.fresh.take_memo()
    }

    /// The version of the settings the newest window was judged under.
    pub fn settings_version(&self) -> Option<u64> {
        self.settings.as_ref().map(|s| s.version)
    }

    /// The newest window awaits the fresh run: the simulation must not advance.
    pub fn pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Verdicts, oldest first, one per window held.
    pub fn verdicts(&self) -> impl DoubleEndedIterator<Item = &Verdict> + ExactSizeIterator {
        self.verdicts.iter()
    }

    /// Windows judged since time zero.
    pub fn judged(&self) -> u64 {
        self.verdicts.pushed()
    }

    /// The newest verdict; while the newest window awaits the fresh run, "checking".
    pub fn newest(&self) -> Verdict {
        match (self.pending.is_some(), self.verdicts.last()) {
            (false, Some(v)) => v.clone(),
            (true, _) => Verdict { state: HealthState::Checking, reason: Reason::FreshRunPending },
            (false, None) => Verdict {
                state: HealthState::Checking,
                reason: Reason::Gathering { windows: 0, needed_windows: 1, ended: 0, needed: MIN_SPAN_REQUESTS },
            },
        }
    }

    /// Judges the window `sim` has just closed; may leave it pending on the fresh run.
    pub fn on_window(&mut self, sim: &Simulation) {
        self.verdicts.set_capacity(sim.scenario().metrics.history_windows as usize);
        let settings = self.settings(sim);
        let (key, warm_hit_rate, rho) = (settings.key.clone(), settings.warm_hit_rate, settings.rho);
        let scenario = sim.scenario().clone();
        self.pending = Some(Facts { scenario, key, warm_hit_rate, rho, causes: causes(sim), now_s: sim.now_s() });
        self.try_judge(sim);
    }

    /// Spends up to `budget` events on the fresh run the newest window awaits; returns those used.
    pub fn work(&mut self, sim: &Simulation, budget: u64) -> u64 {
        let Some(facts) = &self.pending else {
            return 0;
        };
        let used = self.fresh.work(&facts.scenario, &facts.key, facts.warm_hit_rate, facts.rho, budget);
        self.try_judge(sim);
        used
    }

    fn try_judge(&mut self, sim: &Simulation) {
        let Some(facts) = self.pending.take() else {
            return;
        };
        let Some(verdict) = self.decide(sim, &facts) else {
            self.pending = Some(facts);
            return;
        };
        match verdict.state {
            HealthState::Healthy => self.stretch_from_s = None,
            HealthState::Checking => {}
            _ => {
                let newest_start = sim.windows().last().map_or(0.0, |w| w.start_s);
                self.stretch_from_s.get_or_insert(newest_start);
            }
        }
        self.verdicts.push(verdict);
    }

    fn settings(&mut self, sim: &Simulation) -> &Settings {
        let version = sim.settings_version();
        if self.settings.as_ref().is_none_or(|s| s.version != version) {
            let scenario = sim.scenario();
            let warm_hit_rate = scenario_warm_hit_rate(scenario);
            let rho = first_attempt_utilization(scenario, warm_hit_rate);
            self.settings = Some(Settings { version, key: settings_key(scenario), warm_hit_rate, rho });
        }
        self.settings.as_ref().expect("set above")
    }

    /// The newest window's verdict; `None` while it awaits the fresh run.
    fn decide(&self, sim: &Simulation, facts: &Facts) -> Option<Verdict> {
        let (rho, warm_hit_rate, key) = (facts.rho, facts.warm_hit_rate, &facts.key);
        let s = &facts.scenario;
        let timeout_ms = s.clients.timeout_s.map(|t| t * 1e3);
        let done = |state, reason| Some(Verdict { state, reason });
        if let Some(utilization) = rho.filter(|&r| r >= 1.0) {
            let tier = (s.tier_count() > 1).then(|| busiest_tier(s, warm_hit_rate) as u32 + 1);
            return done(HealthState::Overloaded, Reason::Overloaded(Overload::Demand { utilization, tier }));
        }
        let causes = &facts.causes;
        let min_windows = s.health.eval_windows as usize;
        let held = held_windows(sim, s.metrics.window_s, min_windows);
        let span = newest_span(&held, min_windows);
        if let Some(active) = causes.iter().rev().find(|c| matches!(c, Cause::Trigger { ended_s: None, .. })) {
            return done(
                HealthState::Triggered,
                Reason::Triggered { cause: active.clone(), success_ratio: span.success_ratio() },
            );
        }
        // A history too short for a full span is judged on all it holds.
        let all_held = span.windows == held.len() && held.len() >= s.metrics.history_windows as usize;
        if !span.complete(min_windows, s.metrics.window_s) && !all_held {
            let reason = Reason::Gathering {
                windows: span.windows,
                needed_windows: min_windows,
                ended: span.ended,
                needed: MIN_SPAN_REQUESTS,
            };
            return done(HealthState::Checking, reason);
        }
        let Some(failing) = Failing::of(&span, timeout_ms) else {
            return done(
                HealthState::Healthy,
                Reason::Healthy { success_ratio: span.success_ratio(), p99_ms: span.e2e_p99_ms },
            );
        };
        let before_end = held.len() - span.windows;
        let before = summarise(&held[before_end.saturating_sub(span.windows)..before_end]);
        let rising = matches!((span.success_ratio(), before.success_ratio()), (Some(now), Some(then)) if now >= then + RISING_BY);
        let was_disturbed = self.verdicts.last().is_some_and(|v| {
            matches!(v.state, HealthState::Metastable | HealthState::Triggered | HealthState::Recovering)
        });
        let recovering = Reason::Recovering {
            success_ratio: span.success_ratio(),
            before: before.success_ratio(),
            failing: Some(failing),
        };
        if was_disturbed && rising {
            return done(HealthState::Recovering, recovering);
        }
        let now_s = facts.now_s;
        if let Some(latest) = causes.iter().max_by(|a, b| a.quiet_from_s().total_cmp(&b.quiet_from_s()))
            && now_s - latest.quiet_from_s() < s.health.settling_s
        {
            return done(
                HealthState::Triggered,
                Reason::Triggered { cause: latest.clone(), success_ratio: span.success_ratio() },
            );
        }
        if causes.is_empty() {
            return done(HealthState::Overloaded, Reason::Overloaded(Overload::Undisturbed { failing }));
        }
        match (fresh_run_s(s, warm_hit_rate, rho), rho, timeout_ms) {
            (None, Some(utilization), Some(timeout_ms)) => {
                let p99_ms = theory_p99_ms(s, utilization);
                if p99_ms >= timeout_ms {
                    return done(
                        HealthState::Overloaded,
                        Reason::Overloaded(Overload::Theory { utilization, p99_ms, timeout_ms }),
                    );
                }
            }
            (None, _, _) => {}
            (Some(_), _, _) => {
                // Not yet known: the newest window waits for the fresh run.
                let fresh = self.fresh.verdict(key)?;
                if !fresh.span.healthy() {
                    let evidence = Overload::FreshRun {
                        success_ratio: fresh.span.success_ratio(),
                        slow_share: fresh.span.slow_share(),
                        run_s: fresh.run_s,
                    };
                    return done(HealthState::Overloaded, Reason::Overloaded(evidence));
                }
            }
        }
        if let Failing::Latency { .. } = failing {
            // Most requests still succeed: slow, not stuck.
            return done(HealthState::Recovering, recovering);
        }
        let cause = starting_cause(causes, self.stretch_from_s.unwrap_or(span.from_s));
        let loops = loops(s, &span, held.last().copied(), warm_hit_rate);
        done(HealthState::Metastable, Reason::Metastable { cause, failing, loops })
    }

    /// Bytes held by the fresh run under way.
    pub fn footprint_bytes(&self) -> usize {
        self.fresh.footprint_bytes() + self.verdicts.len() * std::mem::size_of::<Verdict>()
    }
}

/// The newest windows, oldest first: enough for the longest span and the span before it.
fn held_windows(sim: &Simulation, window_s: f64, min_windows: usize) -> Vec<&Window> {
    let longest = (min_windows as f64).max(libm::ceil(MAX_SPAN_S / window_s)) as usize;
    let count = sim.windows().len();
    sim.windows().skip(count.saturating_sub(2 * longest)).collect()
}

/// Everything that moved the system, oldest first.
fn causes(sim: &Simulation) -> Vec<Cause> {
    let s = sim.scenario();
    let cold_start = s.cache.enabled && !s.cache.warm_start && s.cache.target_hit_rate > 0.0;
    let mut causes: Vec<Cause> = cold_start.then_some(Cause::ColdStart).into_iter().collect();
    causes.extend(sim.trigger_marks().map(|m| Cause::Trigger {
        trigger: m.kind,
        magnitude: m.magnitude,
        tier: m.tier,
        started_s: m.start_s,
        ended_s: m.end_s,
    }));
    causes.extend(sim.change_marks().map(|c| Cause::Change {
        field: c.field.path,
        from: c.from.clone(),
        to: c.to.clone(),
        at_s: c.t_s,
    }));
    causes.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));
    causes
}

fn start_of(cause: &Cause) -> f64 {
    match cause {
        Cause::Trigger { started_s, .. } => *started_s,
        Cause::Change { at_s, .. } => *at_s,
        Cause::ColdStart => 0.0,
    }
}

/// The newest cause that began by `stretch_from_s` (the start of the trouble), or else the first.
fn starting_cause(causes: &[Cause], stretch_from_s: f64) -> Cause {
    causes
        .iter()
        .rev()
        .find(|c| start_of(c) <= stretch_from_s + 1e-9)
        .or(causes.first())
        .cloned()
        .unwrap_or(Cause::ColdStart)
}

/// The sustaining loops in force over `span`.
fn loops(s: &Scenario, span: &Span, newest: Option<&Window>, warm_hit_rate: f64) -> Vec<Loop> {
    let mut loops = Vec::new();
    if let Some(amplification) = span.amplification.filter(|&a| a >= RETRY_LOOP_AMPLIFICATION) {
        loops.push(Loop::Retries { amplification, tier: span.amplification_tier });
    }
    if let Some(share) = span.wasted_share.filter(|&w| w >= WASTED_LOOP_SHARE) {
        loops.push(Loop::WastedWork { share, tier: span.wasted_tier });
    }
    if let Some(hit_rate) = span.cache_hit_rate
        && warm_hit_rate > 0.05
        && hit_rate < COLD_CACHE_SHARE * warm_hit_rate
    {
        loops.push(Loop::ColdCache { fill: span.cache_fill, hit_rate, warm_hit_rate });
    }
    let slowdowns = newest.into_iter().flat_map(|w| &w.tiers).enumerate().map(|(i, t)| {
        let in_system = libm::round(t.queue_mean + t.busy_mean) as usize;
        (load_slowdown(s.tier(i).backend, in_system), i as u32 + 1)
    });
    if let Some((factor, tier)) = slowdowns.reduce(|worst, next| if next.0 > worst.0 { next } else { worst })
        && factor >= SLOWDOWN_LOOP_FACTOR
    {
        loops.push(Loop::Slowdown { factor, tier });
    }
    loops
}
