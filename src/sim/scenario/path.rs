//! Setting one field of a scenario by its dotted path, e.g. `retry.token_bucket.capacity=100`.
//!
//! The scenario is turned into JSON, the field replaced, and the JSON read back, so every field is
//! reachable with no list to keep in step, and the result goes through the same validation.

use super::{Scenario, ScenarioError};
use serde_json::Value;

/// Returns `scenario` with the field at `path` set to `value`, validated.
///
/// `value` is read as JSON where it parses (`12`, `true`, `null`, `"fifo"`), else as a bare string
/// (`fifo`), so command-line users need not quote enum names.
pub fn set(scenario: &Scenario, path: &str, value: &str) -> Result<Scenario, ScenarioError> {
    let error = |message: String| ScenarioError { field: path.to_string(), message };
    let mut tree = serde_json::to_value(scenario).map_err(|e| error(e.to_string()))?;
    let slot = field_mut(&mut tree, path).ok_or_else(|| error("no such field".to_string()))?;
    if slot.is_object() || slot.is_array() {
        return Err(error("is a group of fields; set one of its fields".to_string()));
    }
    let parsed = serde_json::from_str::<Value>(value).unwrap_or_else(|_| Value::String(value.to_string()));
    *slot = parsed;
    let updated: Scenario = serde_json::from_value(tree).map_err(|e| error(format!("cannot take {value:?}: {e}")))?;
    updated.validate()?;
    Ok(updated)
}

/// Reads the field at `path` as JSON, if there is one.
pub fn get(scenario: &Scenario, path: &str) -> Option<Value> {
    let mut tree = serde_json::to_value(scenario).ok()?;
    field_mut(&mut tree, path).map(|v| v.take())
}

/// The node at dotted `path` in a scenario's JSON tree.
pub fn lookup<'a>(tree: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(tree, |node, part| node.get(part))
}

/// The node at dotted `path`, to change.
pub fn field_mut<'a>(tree: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    path.split('.').try_fold(tree, |node, part| match node {
        Value::Object(map) => map.get_mut(part),
        _ => None,
    })
}
