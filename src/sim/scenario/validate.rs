//! Range and consistency checks; every message names the field.

use super::fields;
use super::{MAX_TIERS, Scenario, TriggerKind};
use std::fmt;

/// A scenario that cannot run, with the field at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Dotted path of the field, e.g. `backend.workers`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// Collects problems; when `fix` is set it also moves each out-of-range value to the nearest end of
/// its range (a value that is not a number goes to the low end).
struct Checker {
    errors: Vec<ScenarioError>,
    fix: bool,
}

impl Checker {
    fn range(&mut self, field: &str, value: &mut f64, low: f64, high: f64) {
        if !(value.is_finite() && *value >= low && *value <= high) {
            self.fail(field, out_of_range(*value, low, high));
            if self.fix {
                *value = if value.is_nan() { low } else { value.clamp(low, high) };
            }
        }
    }

    fn fail(&mut self, field: &str, message: String) {
        self.errors.push(ScenarioError { field: field.to_string(), message });
    }
}

/// Why `value` is refused for the range `low..=high`; an empty box reads as not a number.
pub fn out_of_range(value: f64, low: f64, high: f64) -> String {
    let what = if value.is_nan() { "not a number; give one".to_string() } else { format!("{value} is not") };
    format!("{what} between {low} and {high}")
}

/// Largest simulated time a scenario may reach: a day.
pub const MAX_TIME_S: f64 = 86_400.0;

impl Scenario {
    /// Checks every field; returns the first problem found.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        match self.problems().into_iter().next() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Every problem, in field order.
    pub fn problems(&self) -> Vec<ScenarioError> {
        check(&mut self.clone(), false)
    }

    /// The scenario with every out-of-range value moved to the nearest end of its range, and the
    /// problems that were fixed, in field order. The result always validates.
    pub fn clamped(mut self) -> (Scenario, Vec<ScenarioError>) {
        let problems = check(&mut self, true);
        (self, problems)
    }
}

fn check(s: &mut Scenario, fix: bool) -> Vec<ScenarioError> {
    let mut c = Checker { errors: Vec::new(), fix };
    if s.tier_count() > MAX_TIERS {
        c.fail("tiers", format!("{} tiers; a chain has at most {MAX_TIERS}", s.tier_count()));
        if !fix {
            // Nothing past this point can be read for a chain this long.
            return c.errors;
        }
        s.tiers.truncate(MAX_TIERS - 1);
    }
    check_names(&mut c, s);
    for field in fields::all() {
        let value = field.get(s);
        if let Err(message) = field.check(&value) {
            c.fail(field.path, message);
            if fix {
                field.put(s, &field.clamp(&value));
            }
        }
    }
    let retries = std::iter::once((String::new(), &mut s.retry))
        .chain(s.tiers.iter_mut().enumerate().map(|(i, t)| (format!("tier{}.", i + 2), &mut t.retry)));
    for (prefix, r) in retries {
        if r.cap_ms < r.base_ms {
            c.fail(
                &format!("{prefix}retry.cap_ms"),
                format!("{} is below {prefix}retry.base_ms ({})", r.cap_ms, r.base_ms),
            );
            if c.fix {
                r.cap_ms = r.base_ms;
            }
        }
    }
    let tiers = s.tier_count() as u32;
    for (i, t) in s.triggers.iter_mut().enumerate() {
        let field = |name: &str| format!("triggers[{i}].{name}");
        c.range(&field("at_s"), &mut t.at_s, 0.0, MAX_TIME_S);
        c.range(&field("duration_s"), &mut t.duration_s, 0.0, MAX_TIME_S);
        check_magnitude(&mut c, &field("magnitude"), t.kind, &mut t.magnitude);
        if !(1..=tiers).contains(&t.tier) {
            c.fail(&field("tier"), format!("tier {} is not one of the chain's tiers, 1 to {tiers}", t.tier));
            if fix {
                t.tier = t.tier.clamp(1, tiers);
            }
        }
    }
    let count = s.tier_count();
    for (i, change) in s.changes.iter_mut().enumerate() {
        c.range(&format!("changes[{i}].at_s"), &mut change.at_s, 0.0, MAX_TIME_S);
        if let Err(error) = change.resolve_in(i, count) {
            c.errors.push(error);
        }
    }
    if fix {
        // A change that cannot be made is dropped (it was reported above).
        let mut index = 0;
        s.changes.retain(|change| {
            index += 1;
            change.resolve_in(index - 1, count).is_ok()
        });
    }
    c.errors
}

/// Longest tier name.
const MAX_NAME_CHARS: usize = 16;

/// A tier's name: 1 to 16 letters, digits, `-` or `_` (it prefixes export columns).
pub fn valid_tier_name(name: &str) -> bool {
    (1..=MAX_NAME_CHARS).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Names must be valid and name one tier each: a tier's name is its own or, unset, `tierN`, and
/// `tierM` may name tier M only. A name that is not is dropped when fixing.
fn check_names(c: &mut Checker, s: &mut Scenario) {
    let count = s.tier_count();
    let defaults: Vec<String> = (1..=count).map(|n| format!("tier{n}")).collect();
    let mut seen: Vec<String> = Vec::new();
    for index in 0..count {
        let field = if index == 0 { "backend.name".to_string() } else { format!("tiers[{}].backend.name", index - 1) };
        let Some(backend) = s.backend_mut(index) else { continue };
        let name = backend.name.clone();
        let problem = match &name {
            None => None,
            Some(name) if !valid_tier_name(name) => {
                Some(format!("{name:?} is not 1 to {MAX_NAME_CHARS} letters, digits, - or _"))
            }
            Some(name) if seen.contains(name) => Some(format!("{name:?} names another tier too")),
            Some(name) if defaults.iter().enumerate().any(|(i, d)| d == name && i != index) => {
                Some(format!("{name:?} is another tier's own name"))
            }
            Some(_) => None,
        };
        match problem {
            Some(message) => {
                c.fail(&field, message);
                if c.fix {
                    backend.name = None;
                }
                seen.push(defaults[index].clone());
            }
            None => seen.push(name.unwrap_or_else(|| defaults[index].clone())),
        }
    }
}

/// Checks a trigger's magnitude against its kind (used for scheduled and live triggers).
pub(crate) fn check_trigger_magnitude(kind: TriggerKind, magnitude: f64) -> Result<(), ScenarioError> {
    let mut c = Checker { errors: Vec::new(), fix: false };
    let mut magnitude = magnitude;
    check_magnitude(&mut c, "magnitude", kind, &mut magnitude);
    c.errors.into_iter().next().map_or(Ok(()), Err)
}

fn check_magnitude(c: &mut Checker, field: &str, kind: TriggerKind, magnitude: &mut f64) {
    let (low, high) = magnitude_range(kind);
    c.range(field, magnitude, low, high);
}

/// The magnitudes a trigger of `kind` may have: a factor for a spike or slowdown, a share for a
/// loss or an error burst; a cache fault has none that matters.
pub fn magnitude_range(kind: TriggerKind) -> (f64, f64) {
    match kind {
        TriggerKind::LoadSpike | TriggerKind::BackendSlowdown => (0.0, 1000.0),
        TriggerKind::CapacityLoss | TriggerKind::ErrorBurst => (0.0, 1.0),
        TriggerKind::CacheFlush | TriggerKind::CacheOutage => (0.0, f64::MAX),
    }
}
