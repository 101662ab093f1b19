//! Setting one field of a scenario by its dotted path (or link short name), e.g.
//! `retry.token_bucket.capacity=100`, through the field table.

use super::fields::{self, Field, FieldValue};
use super::{Scenario, ScenarioError};

/// The field at `path`, or an error that says why there is none.
pub fn field(path: &str) -> Result<&'static Field, ScenarioError> {
    fields::find(path).ok_or_else(|| {
        let group = fields::all().any(|f| f.path.starts_with(&format!("{path}.")));
        let message = if group { "is a group of fields; set one of its fields" } else { "no such field" };
        ScenarioError { field: path.to_string(), message: message.to_string() }
    })
}

/// Returns `scenario` with the field at `path` set to `value` (text as on the command line:
/// `12`, `true`, `null`, `fifo`), validated.
pub fn set(scenario: &Scenario, path: &str, value: &str) -> Result<Scenario, ScenarioError> {
    let field = field(path)?;
    with(scenario, field, &field.parse(value)?)
}

/// Returns `scenario` with `field` set to `value`, validated.
pub fn with(scenario: &Scenario, field: &Field, value: &FieldValue) -> Result<Scenario, ScenarioError> {
    if let Some(tier) = field.tier.filter(|&t| t >= scenario.tier_count()) {
        let count = scenario.tier_count();
        let message =
            format!("there is no tier {}: the chain has {count} tier{}", tier + 1, if count == 1 { "" } else { "s" });
        return Err(ScenarioError { field: field.path.to_string(), message });
    }
    let mut updated = scenario.clone();
    if !field.put(&mut updated, value) {
        let message = format!("cannot take {}", field.text(value));
        return Err(ScenarioError { field: field.path.to_string(), message });
    }
    updated.validate()?;
    Ok(updated)
}

/// The value of the field at `path`, if there is one.
pub fn get(scenario: &Scenario, path: &str) -> Option<FieldValue> {
    fields::find(path).map(|f| f.get(scenario))
}
