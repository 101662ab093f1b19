//! Link → fragment text.

use super::names::key_of;
use super::{Link, VERSION};
use crate::sim::presets;
use crate::sim::scenario::fields::{self, number_text as number};
use crate::sim::scenario::{Scenario, Tier};
use std::fmt::Write;

/// `text` with each byte percent-encoded but ASCII letters, digits and `-_.~:,=`. Written here
/// rather than with `percent-encoding` (which decodes links), whose table of all 256 escapes costs
/// the page 0.4 KB.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~:,=".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The fragment (without `#`) that reproduces `link`.
pub fn encode(link: &Link) -> String {
    let mut pairs: Vec<(String, String)> = vec![("v".into(), VERSION.to_string())];
    if let Some(preset) = &link.preset {
        pairs.push(("preset".into(), preset.clone()));
    }
    if let Some(speed) = link.speed {
        pairs.push(("speed".into(), number(speed)));
    }
    if let Some(t) = link.start_s {
        pairs.push(("t".into(), number(t)));
    }
    let mut base = baseline(link.preset.as_deref(), VERSION);
    let s = &link.scenario;
    if s.tier_count() != base.tier_count() {
        pairs.push(("tiers".into(), s.tier_count().to_string()));
    }
    base.tiers.resize(s.tiers.len(), Tier::default());
    let names = |s: &Scenario| s.tier_refs().map(|t| t.name()).collect::<Vec<_>>();
    if names(s) != names(&base) {
        pairs.push(("names".into(), names(s).join(",")));
    }
    for field in fields::all() {
        let value = field.get(s);
        if value != field.get(&base) {
            pairs.push((field.link_key(), field.text(&value)));
        }
    }
    let triggers = &link.scenario.triggers;
    if triggers.is_empty() && !base.triggers.is_empty() {
        pairs.push(("triggers".into(), "none".into()));
    }
    for t in triggers.iter().filter(|_| *triggers != base.triggers) {
        pairs.push(("trigger".into(), t.text()));
    }
    let changes = &link.scenario.changes;
    if changes.is_empty() && !base.changes.is_empty() {
        pairs.push(("changes".into(), "none".into()));
    }
    for c in changes.iter().filter(|_| *changes != base.changes) {
        pairs.push(("at".into(), c.text()));
    }
    if let Some(map) = &link.map {
        pairs.push(("mapx".into(), map.x.clone()));
        if let Some(y) = &map.y {
            pairs.push(("mapy".into(), y.clone()));
        }
        pairs.push(("seeds".into(), map.seeds.to_string()));
        if let Some(first) = map.first_seed {
            pairs.push(("mapseed".into(), first.to_string()));
        }
    }
    if let Some(loops) = &link.loops {
        pairs.push(("loop".into(), loops.ramp_text()));
        pairs.push(("policies".into(), loops.policies.join(",")));
    }
    if let Some(lesson) = &link.lesson {
        pairs.push(("lesson".into(), lesson.name.unwrap_or_default().into()));
        if lesson.name.is_some() {
            pairs.push(("step".into(), (lesson.step + 1).to_string()));
        }
    }
    if let Some(embed) = &link.embed {
        pairs.push(("embed".into(), "1".into()));
        if !embed.controls.is_empty() {
            let names: Vec<String> = embed.controls.iter().map(|c| key_of(c)).collect();
            pairs.push(("controls".into(), names.join(",")));
        }
        if embed.autoplay {
            pairs.push(("autoplay".into(), "1".into()));
        }
        if embed.theme != super::Theme::Auto {
            pairs.push(("theme".into(), embed.theme.name().into()));
        }
        if !embed.charts.is_empty() {
            let names: Vec<&str> = embed.charts.iter().map(|c| c.name()).collect();
            pairs.push(("charts".into(), names.join(",")));
        }
        if embed.diagram {
            pairs.push(("diagram".into(), "1".into()));
        }
    }
    pairs.iter().map(|(k, v)| format!("{}={}", escape(k), escape(v))).collect::<Vec<_>>().join("&")
}

/// The scenario a link's fields are written against: its preset's, or when it names none the
/// landing preset's (the default settings' before version 2).
pub(super) fn baseline(preset: Option<&str>, version: u32) -> Scenario {
    match preset.and_then(presets::find) {
        Some(p) => (p.scenario)(),
        None if version >= 2 => presets::find(presets::LANDING).map_or_else(Scenario::default, |p| (p.scenario)()),
        None => Scenario::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_every_byte_but_the_kept_ones_as_percent_and_two_capital_hex_digits() {
        assert_eq!(escape("aZ09-_.~:,="), "aZ09-_.~:,=");
        assert_eq!(escape("a b/é&#%+\u{0}\u{7f}"), "a%20b%2F%C3%A9%26%23%25%2B%00%7F");
        let all: String = (0u8..128).map(char::from).collect();
        let escaped = escape(&all);
        assert_eq!(percent_encoding::percent_decode_str(&escaped).decode_utf8().unwrap(), all);
        assert_eq!(escaped.len(), 128 + 2 * (128 - 62 - 7), "each of the 59 others takes three characters");
    }
}
