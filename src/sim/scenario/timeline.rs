//! The timeline: triggers and changes of settings, each at a simulated time, written in files
//! (`triggers`, `changes`), links and on the command line as `at_s:kind:magnitude:duration_s` and
//! `at_s:field=value`.

use super::fields::{FieldValue, find, number_text};
use super::{ScenarioError, ScheduledTrigger, TriggerKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A change of one setting at a fixed simulated time, applied exactly as a live change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledChange {
    pub at_s: f64,
    /// The field's dotted path or short name.
    pub set: String,
    /// Its new value: a number, true/false, a choice's name, or null.
    pub to: Value,
}

impl ScheduledChange {
    /// The field and its typed value; the error names `changes[index]`.
    pub fn resolve(&self, index: usize) -> Result<(&'static super::fields::Field, FieldValue), ScenarioError> {
        let at = |name: &str, message: String| ScenarioError { field: format!("changes[{index}].{name}"), message };
        let field = find(&self.set).ok_or_else(|| at("set", format!("{:?} is not a field", self.set)))?;
        let text = match &self.to {
            Value::String(s) => s.clone(),
            // As written in links: 1e12 is "1000000000000", not JSON's "1000000000000.0".
            Value::Number(n) if n.is_f64() => number_text(n.as_f64().unwrap_or(f64::NAN)),
            other => other.to_string(),
        };
        let value = field.parse(&text).map_err(|e| at("to", format!("{}: {}", field.path, e.message)))?;
        field.check(&value).map_err(|message| at("to", format!("{}: {message}", field.path)))?;
        Ok((field, value))
    }

    /// As [`ScheduledChange::resolve`], in a chain of `tiers` tiers: a field of a tier the chain
    /// lacks is refused.
    pub fn resolve_in(
        &self,
        index: usize,
        tiers: usize,
    ) -> Result<(&'static super::fields::Field, FieldValue), ScenarioError> {
        let (field, value) = self.resolve(index)?;
        match field.tier.filter(|&t| t >= tiers) {
            Some(t) => Err(ScenarioError {
                field: format!("changes[{index}].set"),
                message: format!("{}: there is no tier {} in a chain of {tiers}", field.path, t + 1),
            }),
            None => Ok((field, value)),
        }
    }

    /// Reads `at_s:field=value` (e.g. `60:clients.load_rps=500`, `60:load=500`).
    pub fn parse(text: &str) -> Result<ScheduledChange, String> {
        let expected = || format!("{text:?} is not at_s:field=value");
        let (at, assignment) = text.split_once(':').ok_or_else(expected)?;
        let (set, to) = assignment.split_once('=').ok_or_else(expected)?;
        let at_s = at.trim().parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(expected)?;
        let to = serde_json::from_str::<Value>(to).unwrap_or_else(|_| Value::String(to.to_string()));
        Ok(ScheduledChange { at_s, set: set.trim().to_string(), to })
    }

    /// Written as `at_s:field=value`, the field by its short name when it has one.
    pub fn text(&self) -> String {
        let key = find(&self.set).map_or_else(|| self.set.clone(), |f| f.link_key());
        let value = match &self.to {
            Value::String(s) => s.clone(),
            Value::Number(n) if n.is_u64() || n.is_i64() => n.to_string(),
            Value::Number(n) => n.as_f64().map_or(n.to_string(), number_text),
            other => other.to_string(),
        };
        format!("{}:{key}={value}", number_text(self.at_s))
    }
}

impl ScheduledTrigger {
    /// Reads `at_s:kind:magnitude:duration_s`, with `:tierN` for a tier after the first (e.g.
    /// `20:load_spike:2:10`, `20:backend_slowdown:5:10:tier3`).
    pub fn parse(text: &str) -> Result<ScheduledTrigger, String> {
        let expected = || format!("{text:?} is not at_s:kind:magnitude:duration_s[:tierN] with a known kind");
        let parts = text.split(':').collect::<Vec<_>>();
        let (at, kind, magnitude, duration, tier) = match parts[..] {
            [at, kind, magnitude, duration] => (at, kind, magnitude, duration, "tier1"),
            [at, kind, magnitude, duration, tier] => (at, kind, magnitude, duration, tier),
            _ => return Err(expected()),
        };
        let kind: TriggerKind = serde_json::from_value(Value::String(kind.to_string())).map_err(|_| expected())?;
        let number = |t: &str| t.trim().parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(expected);
        let tier = tier.trim().strip_prefix("tier").and_then(|n| n.parse::<u32>().ok()).ok_or_else(expected)?;
        Ok(ScheduledTrigger {
            at_s: number(at)?,
            kind,
            magnitude: number(magnitude)?,
            duration_s: number(duration)?,
            tier,
        })
    }

    /// Written as `at_s:kind:magnitude:duration_s`, then `:tierN` when it strikes a later tier.
    pub fn text(&self) -> String {
        let kind =
            serde_json::to_value(self.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let tier = if self.tier == 1 { String::new() } else { format!(":tier{}", self.tier) };
        format!(
            "{}:{kind}:{}:{}{tier}",
            number_text(self.at_s),
            number_text(self.magnitude),
            number_text(self.duration_s)
        )
    }
}
