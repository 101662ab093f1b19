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
    let scenario: Scenario = serde_json::from_value(tree.clone())
        .map_err(|e| refused(&tree, &mut Vec::new()).unwrap_or_else(|| e.to_string()))?;
    scenario.validate().map_err(|e| e.to_string())?;
    Ok(scenario)
}

/// A step into a JSON tree: a field of an object, or an element of an array.
#[derive(Clone)]
enum Step {
    Field(String),
    Element(usize),
}

/// Why the scenario reader refuses the first part of `value` (found at `path`) that it refuses
/// read alone, the rest taking their defaults, named by its path: `backend.workers: invalid
/// type: string "ten", expected u32`, `triggers[1].at_s: …`.
fn refused(value: &Value, path: &mut Vec<Step>) -> Option<String> {
    let parts: Vec<(Step, &Value)> = match value {
        Value::Object(fields) => fields.iter().map(|(k, v)| (Step::Field(k.clone()), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (Step::Element(i), v)).collect(),
        _ => return None,
    };
    for (step, part) in parts {
        path.push(step);
        if let Err(e) = serde_json::from_value::<Scenario>(alone(part, path)) {
            let empty = match part {
                Value::Object(_) => Some(Value::Object(Default::default())),
                Value::Array(_) => Some(Value::Array(Vec::new())),
                _ => None,
            };
            // Its contents are to blame only when the container itself, emptied, is in its place
            // (a misspelt group's fields are not what is wrong); emptied, it may lack required
            // fields.
            let inside = empty.as_ref().is_some_and(|empty| {
                serde_json::from_value::<Scenario>(alone(empty, path))
                    .map_or_else(|e| e.to_string().starts_with("missing field"), |_| true)
            });
            // A value read alone also lacks its required siblings: that is its object's fault.
            if empty.is_some() || !e.to_string().starts_with("missing field") {
                let within = if inside { refused(part, path) } else { None };
                return Some(within.unwrap_or_else(|| format!("{}: {e}", written(path))));
            }
        }
        path.pop();
    }
    None
}

/// A scenario tree holding only `value`, at `path`.
fn alone(value: &Value, path: &[Step]) -> Value {
    path.iter().rev().fold(value.clone(), |inner, step| match step {
        Step::Field(name) => Value::Object([(name.clone(), inner)].into_iter().collect()),
        Step::Element(_) => Value::Array(vec![inner]),
    })
}

fn written(path: &[Step]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Field(name) if text.is_empty() => text.push_str(name),
            Step::Field(name) => text.push_str(&format!(".{name}")),
            Step::Element(i) => text.push_str(&format!("[{i}]")),
        }
    }
    text
}
