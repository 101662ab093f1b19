//! Reading a scenario file: one JSON object with the scenario's fields, any left out taking their
//! defaults, checked like any other scenario.

use super::Scenario;
use serde_json::Value;

/// Reads and validates a scenario from JSON text; the message names what is wrong.
///
/// Read as a JSON tree first, so that anything but an object (`[]`, `3`, `"x"`) is refused: the
/// scenario reader alone would take an array as its fields in order.
pub fn from_json(text: &str) -> Result<Scenario, String> {
    let tree: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let kind = match &tree {
        Value::Object(_) => None,
        Value::Array(_) => Some("an array"),
        Value::String(_) => Some("a string"),
        Value::Number(_) => Some("a number"),
        Value::Bool(_) => Some("true or false"),
        Value::Null => Some("null"),
    };
    if let Some(kind) = kind {
        return Err(format!("a scenario is a JSON object {{ … }} of fields, not {kind}"));
    }
    let scenario: Scenario = serde_json::from_value(tree).map_err(|e| e.to_string())?;
    scenario.validate().map_err(|e| e.to_string())?;
    Ok(scenario)
}
