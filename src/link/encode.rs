//! Link → fragment text.

use super::names::key_of;
use super::{Link, VERSION};
use crate::sim::presets;
use crate::sim::scenario::Scenario;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// Characters written as they are; everything else is percent-encoded.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b':').remove(b',');

/// The fragment (without `#`) that reproduces `link`.
pub fn encode(link: &Link) -> String {
    let mut pairs: Vec<(String, String)> = vec![("v".into(), VERSION.to_string())];
    if let Some(preset) = &link.preset {
        pairs.push(("preset".into(), preset.clone()));
    }
    if let Some(speed) = link.speed {
        pairs.push(("speed".into(), number(speed)));
    }
    let base = baseline(link.preset.as_deref());
    let tree = serde_json::to_value(&link.scenario).unwrap_or(Value::Null);
    changed_leaves(&serde_json::to_value(&base).unwrap_or(Value::Null), &tree, "", &mut pairs);
    let triggers = &link.scenario.triggers;
    if triggers.is_empty() && !base.triggers.is_empty() {
        pairs.push(("triggers".into(), "none".into()));
    }
    for t in triggers.iter().filter(|_| *triggers != base.triggers) {
        let kind = serde_json::to_value(t.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let value = format!("{}:{kind}:{}:{}", number(t.at_s), number(t.magnitude), number(t.duration_s));
        pairs.push(("trigger".into(), value));
    }
    if let Some(embed) = &link.embed {
        pairs.push(("embed".into(), "1".into()));
        if !embed.controls.is_empty() {
            let names: Vec<&str> = embed.controls.iter().map(|c| key_of(c)).collect();
            pairs.push(("controls".into(), names.join(",")));
        }
        if embed.autoplay {
            pairs.push(("autoplay".into(), "1".into()));
        }
        if embed.theme != super::Theme::Auto {
            pairs.push(("theme".into(), embed.theme.name().into()));
        }
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", utf8_percent_encode(k, KEEP), utf8_percent_encode(v, KEEP)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The scenario a link's fields are written against: its preset's, or the default.
pub(super) fn baseline(preset: Option<&str>) -> Scenario {
    preset.and_then(presets::find).map_or_else(Scenario::default, |p| (p.scenario)())
}

/// A number in the shortest text that reads back as the same value (`3000`, `0.95`).
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or_else(|| x.to_string(), |n| n.to_string())
    }
}

/// Appends `key=value` for every leaf of `tree` that differs from `base` (triggers aside).
fn changed_leaves(base: &Value, tree: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    let Value::Object(map) = tree else { return };
    for (name, value) in map {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        let old = base.get(name).unwrap_or(&Value::Null);
        match value {
            Value::Object(_) => changed_leaves(old, value, &path, out),
            Value::Array(_) => {}
            _ if value == old => {}
            Value::String(s) => out.push((key_of(&path).to_string(), s.clone())),
            Value::Number(n) if n.is_f64() => out.push((key_of(&path).to_string(), number(n.as_f64().unwrap_or(0.0)))),
            other => out.push((key_of(&path).to_string(), other.to_string())),
        }
    }
}
