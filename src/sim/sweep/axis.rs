//! An axis of a sweep: a numeric setting — a field, or a timeline item's time, magnitude or
//! duration — and the values it takes.
//!
//! Written `TARGET=FROM..TO:N`: `clients.load_rps=300..900:13`,
//! `triggers[0].magnitude=1..3:9`, `changes[1].at_s=20..80:7`. N values are spread evenly from
//! FROM to TO, both included (one value when FROM is TO), those between rounded to two decimal
//! places finer than the step; a whole-number field takes them rounded to whole numbers (the form
//! and the command line refuse ends that are not whole: see [`Axis::parse_typed`]).
//! An axis runs from low to high and never repeats a value.

use crate::sim::scenario::fields::{self, Field, FieldValue, Kind, number_text};
use crate::sim::scenario::{Scenario, ScenarioError};
use serde_json::Value;

/// Most values on one axis.
pub const MAX_STEPS: u32 = 200;

/// What an axis moves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// A numeric field of the scenario.
    Field(&'static Field),
    /// A part of the scenario's trigger `index` (from 0).
    Trigger { index: usize, part: TriggerPart },
    /// The time of scheduled change `index`, or its new value.
    Change { index: usize, part: ChangePart },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerPart {
    At,
    Magnitude,
    Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangePart {
    At,
    To,
}

/// One axis: its target and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub target: Target,
    pub from: f64,
    pub to: f64,
    pub steps: u32,
    /// The target takes whole numbers: values are rounded.
    pub whole: bool,
}

/// What went wrong with an axis; `axis` is the text it was given.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisError {
    pub axis: String,
    pub message: String,
}

impl std::fmt::Display for AxisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "axis {:?}: {}", self.axis, self.message)
    }
}

impl Axis {
    /// Reads `TARGET=FROM..TO:N` for `scenario`: the target must exist in it, and both ends of
    /// the range must give a valid scenario.
    pub fn parse(text: &str, scenario: &Scenario) -> Result<Axis, AxisError> {
        let error = |message: String| AxisError { axis: text.to_string(), message };
        let (target, from, to, steps) = Axis::parts(text).map_err(|e| error(e.to_string()))?;
        let number = |t: &str| {
            let x = Some(t.trim()).filter(|t| !t.starts_with('.')).and_then(|t| t.parse::<f64>().ok());
            x.filter(|x| x.is_finite()).ok_or_else(|| match t.trim() {
                "" => error("give both ends of the range".to_string()),
                _ => error(format!("{t:?} is not a number")),
            })
        };
        let (from, to) = (number(from)?, number(to)?);
        let steps: u32 = steps.trim().parse().ok().filter(|s| (1..=MAX_STEPS).contains(s)).ok_or_else(|| {
            error(match steps.trim() {
                "" => format!("give a number of values from 1 to {MAX_STEPS}"),
                _ => format!("{steps:?} is not a number of values from 1 to {MAX_STEPS}"),
            })
        })?;
        let (target, whole) = Target::parse(target.trim(), scenario).map_err(error)?;
        let axis = Axis { target, from, to, steps, whole };
        for end in [from, to] {
            let mut s = scenario.clone();
            axis.apply(&mut s, if whole { libm::round(end) } else { end }).map_err(|e| error(e.to_string()))?;
        }
        if from > to {
            return Err(error(format!("from {from} is above to {to}: an axis runs from low to high")));
        }
        if steps == 1 && from != to {
            return Err(error(format!(
                "one value is {from} alone, so to {to} would be left out: give 2 values or more"
            )));
        }
        let values = axis.values();
        if values.windows(2).any(|pair| pair[0] == pair[1]) {
            let whole = if whole { " once rounded to whole numbers" } else { "" };
            return Err(error(format!("{steps} values from {from} to {to} repeat a value{whole}")));
        }
        Ok(axis)
    }

    /// Reads an axis a person typed (in the form or on the command line), as [`Axis::parse`]
    /// does, but refuses an end that is not whole where the target takes only whole numbers. A
    /// link that holds one draws with it rounded, as it always has.
    pub fn parse_typed(text: &str, scenario: &Scenario) -> Result<Axis, AxisError> {
        let axis = Axis::parse(text, scenario)?;
        match [axis.from, axis.to].into_iter().find(|end| axis.whole && end.fract() != 0.0) {
            Some(end) => Err(AxisError { axis: text.to_string(), message: format!("{end} is not a whole number") }),
            None => Ok(axis),
        }
    }

    /// `TARGET=FROM..TO:N` taken apart, unread: (TARGET, FROM, TO, N).
    pub fn parts(text: &str) -> Result<(&str, &str, &str, &str), &'static str> {
        let (target, range) = text.split_once('=').ok_or("expected TARGET=FROM..TO:N")?;
        let (range, steps) = range.rsplit_once(':').ok_or("expected FROM..TO:N")?;
        let (from, to) = range.split_once("..").ok_or("expected FROM..TO:N")?;
        Ok((target, from, to, steps))
    }

    /// The values it takes, in order.
    pub fn values(&self) -> Vec<f64> {
        (0..self.steps).map(|i| self.value(i)).collect()
    }

    /// Its `i`-th value. Values between the ends are rounded to two decimal places finer than
    /// the step (at most a 200th of it away), so that a cell's link reads 1.105, not
    /// 1.1052631578947367.
    pub fn value(&self, i: u32) -> f64 {
        let raw = match i {
            0 => self.from,
            i if i + 1 >= self.steps => self.to,
            i => {
                let step = (self.to - self.from) / f64::from(self.steps - 1);
                // 10^d for the least d ≥ 0 (at most 12) that makes the step at least 100.
                let mut scale = 1.0;
                while step * scale < 100.0 && scale < 1e12 {
                    scale *= 10.0;
                }
                libm::round((self.from + step * f64::from(i)) * scale) / scale
            }
        };
        if self.whole { libm::round(raw) } else { raw }
    }

    /// Why the timeline item this axis times would never happen in `scenario`'s run: it comes at
    /// or after the run's end. `None` for an axis that times nothing, or an item in time.
    pub fn past_end(&self, scenario: &Scenario) -> Option<String> {
        let at_s = match self.target {
            Target::Trigger { index, part: TriggerPart::At } => scenario.triggers.get(index)?.at_s,
            Target::Change { index, part: ChangePart::At } => scenario.changes.get(index)?.at_s,
            _ => return None,
        };
        (at_s >= scenario.duration_s).then(|| {
            format!(
                "{} s is not before the end of each run at {} s, so it would never happen",
                at_s, scenario.duration_s
            )
        })
    }

    /// Its name, as given: `clients.load_rps`, `triggers[0].magnitude`.
    pub fn name(&self) -> String {
        self.target.name()
    }

    /// Its target's value in `scenario`, if it holds one (a number, an item that exists).
    pub fn read(&self, scenario: &Scenario) -> Option<f64> {
        match self.target {
            Target::Field(field) => field.get(scenario).number(),
            Target::Trigger { index, part } => scenario.triggers.get(index).map(|t| match part {
                TriggerPart::At => t.at_s,
                TriggerPart::Magnitude => t.magnitude,
                TriggerPart::Duration => t.duration_s,
            }),
            Target::Change { index, part } => scenario.changes.get(index).and_then(|c| match part {
                ChangePart::At => Some(c.at_s),
                ChangePart::To => c.to.as_f64(),
            }),
        }
    }

    /// Sets its target in `scenario` to `value`, and validates the result.
    pub fn apply(&self, scenario: &mut Scenario, value: f64) -> Result<(), ScenarioError> {
        let invalid = |field: String, message: &str| ScenarioError { field, message: message.to_string() };
        match self.target {
            Target::Field(field) => {
                let value = FieldValue::Number(value);
                if !field.put(scenario, &value) {
                    return Err(invalid(field.path.to_string(), "cannot take that value"));
                }
            }
            Target::Trigger { index, part } => {
                let trigger =
                    scenario.triggers.get_mut(index).ok_or_else(|| invalid(self.name(), "no such trigger"))?;
                match part {
                    TriggerPart::At => trigger.at_s = value,
                    TriggerPart::Magnitude => trigger.magnitude = value,
                    TriggerPart::Duration => trigger.duration_s = value,
                }
            }
            Target::Change { index, part } => {
                let change = scenario.changes.get_mut(index).ok_or_else(|| invalid(self.name(), "no such change"))?;
                match part {
                    ChangePart::At => change.at_s = value,
                    // Written as a link or the timeline writes it (500, not 500.0), so that the
                    // same value compares equal however it was set.
                    ChangePart::To => change.to = serde_json::from_str(&number_text(value)).unwrap_or(Value::Null),
                }
            }
        }
        scenario.validate()
    }
}

impl Target {
    /// The target named `text`, and whether it takes whole numbers.
    fn parse(text: &str, scenario: &Scenario) -> Result<(Target, bool), String> {
        if let Some((index, part)) = item(text, "trigger", scenario.triggers.len())? {
            let part = match part {
                "at_s" => TriggerPart::At,
                "magnitude" => TriggerPart::Magnitude,
                "duration_s" => TriggerPart::Duration,
                _ => return Err(format!("a trigger's axis is at_s, magnitude or duration_s, not {part:?}")),
            };
            return Ok((Target::Trigger { index, part }, false));
        }
        if let Some((index, part)) = item(text, "change", scenario.changes.len())? {
            let part = match part {
                "at_s" => ChangePart::At,
                "to" => ChangePart::To,
                _ => return Err(format!("a change's axis is at_s or to, not {part:?}")),
            };
            let whole = match part {
                ChangePart::At => false,
                ChangePart::To => {
                    let (field, _) = scenario.changes[index].resolve(index).map_err(|e| e.to_string())?;
                    match field.kind {
                        Kind::Number { whole, .. } => whole,
                        _ => return Err(format!("change {index} sets {}, which is not a number", field.path)),
                    }
                }
            };
            return Ok((Target::Change { index, part }, whole));
        }
        let field = fields::find(text).ok_or_else(|| format!("no field {text:?}"))?;
        if field.path == "seed" {
            return Err("the seed is not an axis: give the seeds of each cell with --seeds".to_string());
        }
        let Kind::Number { whole, .. } = field.kind else {
            return Err(format!("{} is not a number", field.path));
        };
        if field.tier.is_some_and(|t| t >= scenario.tier_count()) {
            return Err(format!("the chain has no tier {}", field.tier.map_or(0, |t| t + 1)));
        }
        Ok((Target::Field(field), whole))
    }

    fn name(&self) -> String {
        match self {
            Target::Field(field) => field.path.to_string(),
            Target::Trigger { index, part } => {
                let part = match part {
                    TriggerPart::At => "at_s",
                    TriggerPart::Magnitude => "magnitude",
                    TriggerPart::Duration => "duration_s",
                };
                format!("triggers[{index}].{part}")
            }
            Target::Change { index, part } => {
                format!("changes[{index}].{}", if *part == ChangePart::At { "at_s" } else { "to" })
            }
        }
    }
}

/// `{kind}s[INDEX].PART` → (INDEX, PART), if `text` names an item of that list; an error if the
/// list holds no item INDEX (it holds `count`).
fn item<'a>(text: &'a str, kind: &str, count: usize) -> Result<Option<(usize, &'a str)>, String> {
    let Some(rest) = text.strip_prefix(kind).and_then(|r| r.strip_prefix("s[")) else {
        return Ok(None);
    };
    let Some((index, part)) = rest.split_once("].").and_then(|(i, p)| Some((i.parse::<usize>().ok()?, p))) else {
        return Ok(None);
    };
    if index >= count {
        let has = match count {
            0 => format!("the scenario has no {kind}s"),
            1 => format!("its only {kind} is {kind}s[0]"),
            n => format!("its {kind}s are {kind}s[0] to {kind}s[{}]", n - 1),
        };
        return Err(format!("there is no {kind}s[{index}]: {has}"));
    }
    Ok(Some((index, part)))
}
