//! The one place where verdicts become words, for the banner, the command line and lessons.

use super::reason::{Cause, Failing, Loop, Overload, Reason};
use crate::sim::faults::trigger_label;
use crate::sim::scenario::fields::{self, FieldValue};
use std::fmt;

fn percent(ratio: f64) -> String {
    format!("{:.0} %", ratio * 100.0)
}

fn duration(ms: f64) -> String {
    if ms >= 1000.0 { format!("{:.1} s", ms / 1e3) } else { format!("{ms:.0} ms") }
}

fn at(t_s: f64) -> String {
    format!("t = {t_s:.0} s")
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Trigger { trigger, magnitude, tier, started_s, ended_s: None } => {
                write!(f, "the {} that started at {}", trigger_label(*trigger, *magnitude, *tier), at(*started_s))
            }
            Cause::Trigger { trigger, magnitude, tier, started_s, ended_s: Some(end) } if end > started_s => {
                write!(f, "the {} from {} to {end:.0} s", trigger_label(*trigger, *magnitude, *tier), at(*started_s))
            }
            Cause::Trigger { trigger, magnitude, tier, started_s, .. } => {
                write!(f, "the {} at {}", trigger_label(*trigger, *magnitude, *tier), at(*started_s))
            }
            Cause::Change { field, from, to, at_s } => {
                let verb = match (from, to) {
                    (FieldValue::Number(a), FieldValue::Number(b)) if b > a => "raised",
                    (FieldValue::Number(a), FieldValue::Number(b)) if b < a => "lowered",
                    _ => "set",
                };
                match fields::find(field) {
                    Some(field) => write!(f, "{} was {verb} to {} at {}", field.noun, field.display(to), at(*at_s)),
                    None => write!(f, "{field} was {verb} at {}", at(*at_s)),
                }
            }
            Cause::ColdStart => write!(f, "the start with an empty cache"),
        }
    }
}

impl fmt::Display for Failing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failing::Success { ratio } => write!(f, "only {} of requests succeed", percent(*ratio)),
            Failing::Latency { p99_ms: Some(p99), timeout_ms, .. } if p99 >= timeout_ms => {
                write!(f, "end-to-end p99 {} is above the {} timeout", duration(*p99), duration(*timeout_ms))
            }
            Failing::Latency { slow_share, timeout_ms, .. } => {
                write!(
                    f,
                    "{} of successes take longer end to end than the {} timeout",
                    percent(*slow_share),
                    duration(*timeout_ms)
                )
            }
        }
    }
}

/// " at tier N" for a later tier; nothing for the first, as in a one-tier chain.
fn at_tier(tier: u32) -> String {
    if tier > 1 { format!(" at tier {tier}") } else { String::new() }
}

impl fmt::Display for Loop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loop::Retries { amplification, tier: 1 } => write!(f, "attempts at {amplification:.1}× offered"),
            Loop::Retries { amplification, tier } => {
                write!(f, "attempts at {amplification:.1}× offered reaching tier {tier}")
            }
            Loop::WastedWork { share, tier } => {
                write!(f, "{} of backend work wasted{}", percent(*share), at_tier(*tier))
            }
            Loop::ColdCache { fill, hit_rate, warm_hit_rate } => write!(
                f,
                "cache {} full and not refilling (hit rate {}, {} when warm)",
                percent(*fill),
                percent(*hit_rate),
                percent(*warm_hit_rate)
            ),
            Loop::Slowdown { factor, tier } => {
                write!(f, "backend slowed {factor:.1}× by its own load{}", at_tier(*tier))
            }
        }
    }
}

impl fmt::Display for Overload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Overload::Demand { utilization, tier: None } => {
                write!(f, "first attempts alone ask {} of the backend's capacity", percent(*utilization))
            }
            Overload::Demand { utilization, tier: Some(tier) } => {
                write!(f, "first attempts alone ask {} of tier {tier}'s workers", percent(*utilization))
            }
            Overload::Undisturbed { failing } => {
                write!(f, "{failing}, with no trigger or change since the start: these settings fail on their own")
            }
            Overload::FreshRun { success_ratio, slow_share, run_s } => {
                write!(f, "the same settings started fresh fail too (after {run_s:.0} s: ")?;
                match (success_ratio, slow_share) {
                    (Some(r), _) if *r < super::span::HEALTHY_SUCCESS_RATIO => write!(f, "{} succeed)", percent(*r)),
                    (_, Some(s)) => write!(f, "{} of successes slower than the timeout)", percent(*s)),
                    _ => write!(f, "no request ended)"),
                }
            }
            Overload::Theory { utilization, p99_ms, timeout_ms } => write!(
                f,
                "at {} of capacity a settled queue's p99 is {}, above the {} timeout",
                percent(*utilization),
                duration(*p99_ms),
                duration(*timeout_ms)
            ),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Gathering { windows: 0, .. } => write!(f, "gathering data"),
            Reason::Gathering { windows, needed_windows, .. } if windows < needed_windows => {
                write!(f, "gathering data: {windows} of {needed_windows} windows")
            }
            Reason::Gathering { ended, needed, .. } => {
                write!(f, "gathering data: {ended} of {needed} requests have ended")
            }
            Reason::FreshRunPending => write!(f, "running the same settings fresh to compare"),
            Reason::Healthy { success_ratio, p99_ms } => {
                match success_ratio {
                    Some(r) => write!(f, "{} of requests succeed", percent(*r))?,
                    None => write!(f, "no request ended")?,
                }
                match p99_ms {
                    Some(p) => write!(f, "; end-to-end p99 {}", duration(*p)),
                    None => Ok(()),
                }
            }
            Reason::Triggered { cause, success_ratio } => {
                write!(f, "{cause}")?;
                match success_ratio {
                    Some(r) => write!(f, "; {} of requests succeed", percent(*r)),
                    None => Ok(()),
                }
            }
            Reason::Overloaded(evidence) => write!(f, "{evidence}"),
            Reason::Recovering { success_ratio, before, failing } => {
                match (success_ratio, before) {
                    (Some(now), Some(then)) if now > then => {
                        write!(f, "success rising: {} of requests, from {}", percent(*now), percent(*then))?
                    }
                    (Some(now), _) => write!(f, "{} of requests succeed", percent(*now))?,
                    _ => write!(f, "no request ended")?,
                }
                match failing {
                    Some(failing @ Failing::Latency { .. }) => write!(f, "; {failing}"),
                    _ => Ok(()),
                }
            }
            Reason::Metastable { cause, failing, loops } => {
                write!(f, "since {cause}: {failing}")?;
                loops.iter().try_for_each(|l| write!(f, "; {l}"))?;
                if loops.is_empty() {
                    write!(f, "; the same settings started fresh are healthy")?;
                }
                Ok(())
            }
        }
    }
}
