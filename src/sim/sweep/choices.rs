//! What a sweep's axes may move in a scenario — the numeric settings people change and the times,
//! sizes and values of its timeline — with names for people and a first range to offer.

use crate::sim::health::demand::first_attempt_utilization;
use crate::sim::scenario::Scenario;
use crate::sim::scenario::fields::{self, FieldValue, Kind, format_number};

/// One choice of axis: the target as an axis names it (`clients.load_rps`,
/// `triggers[0].magnitude`) and its name on screen, unit included.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub target: String,
    pub label: String,
}

/// Every target an axis may move in `s`: the first tier's settings (and later tiers') that have a
/// control, matter under the other settings and hold a number (an unset timeout does not), then
/// each timeline item's parts that mean something for it.
pub fn choices(s: &Scenario) -> Vec<Choice> {
    let settings = fields::all()
        .filter(|f| matches!(f.kind, Kind::Number { .. }) && f.control.is_some() && f.path != "seed")
        .filter(|f| f.relevant(s) && matches!(f.get(s), FieldValue::Number(_)))
        .map(|f| Choice { target: f.path.to_string(), label: with_unit(f.full_label(), f.unit) });
    let triggers = s.triggers.iter().enumerate().flat_map(|(i, t)| {
        let name = match t.tier {
            1 => format!("Trigger {} ({})", i + 1, t.kind.label()),
            tier => format!("Trigger {} ({} at tier {tier})", i + 1, t.kind.label()),
        };
        let parts = [("at_s", "time", "s", true), ("magnitude", "size", "×", t.kind.has_magnitude())];
        let parts = parts.into_iter().chain([("duration_s", "duration", "s", t.kind.has_duration())]);
        // Only the parts that mean something for its kind: a flush has no size and no duration.
        parts.filter(|p| p.3).map(move |(part, what, unit, _)| Choice {
            target: format!("triggers[{i}].{part}"),
            label: with_unit(format!("{name}: {what}"), unit),
        })
    });
    let changes = s.changes.iter().enumerate().filter_map(|(i, c)| {
        let (field, _) = c.resolve(i).ok()?;
        let name = format!("Change {} ({})", i + 1, field.full_label());
        let at = Choice { target: format!("changes[{i}].at_s"), label: with_unit(format!("{name}: time"), "s") };
        let to = matches!(field.kind, Kind::Number { .. }).then(|| Choice {
            target: format!("changes[{i}].to"),
            label: with_unit(format!("{name}: value"), field.unit),
        });
        Some([Some(at), to])
    });
    settings.chain(triggers).chain(changes.flatten().flatten()).collect()
}

fn with_unit(label: String, unit: &str) -> String {
    if unit.is_empty() { label } else { format!("{label} ({unit})") }
}

/// The label of `target` in `s`, or the target itself when it names nothing there.
pub fn label(s: &Scenario, target: &str) -> String {
    choices(s).into_iter().find(|c| c.target == target).map_or_else(|| target.to_string(), |c| c.label)
}

/// A first range for `target` around its value in `s`: half to one and a half times it, kept
/// within the control's range (the field's, for a value beyond its control); the load's range
/// also spans the load at which the busiest tier's backend would be full with tier 1's cache
/// empty (c / S for one tier; later tiers' caches at their warm hit rates), near which a system's
/// boundary lies (a cold cache at 6000 req/s against
/// 1000 req/s of backend collapses at every load from 3000 up); a time spans the run. Empty when
/// the target has no value.
pub fn first_range(s: &Scenario, target: &str) -> Option<(String, String)> {
    let (from, to) = if let Some(field) = fields::find(target) {
        let now = field.get(s).number()?;
        let control = field.control?;
        let Kind::Number { min, max, whole, .. } = field.kind else { return None };
        let round = |x: f64| if whole { x.round() } else { x };
        // A value beyond its slider (a preset's 2000 workers) keeps to the field's valid range.
        let (low, high) =
            if (control.min..=control.max).contains(&now) { (control.min, control.max) } else { (min, max) };
        let (least, most) = match target {
            "clients.load_rps" => {
                let cold = first_attempt_utilization(s, 0.0).filter(|&rho| rho > 0.0);
                let capacity = cold.map_or(s.backend_capacity_rps(), |rho| now / rho);
                (now.min(capacity), now.max(capacity))
            }
            _ => (now, now),
        };
        if now > 0.0 {
            (round((least * 0.5).max(low)), round((most * 1.5).min(high)))
        } else {
            (control.min, control.max)
        }
    } else if target.ends_with(".at_s") {
        (0.0, (s.duration_s * 0.75).round())
    } else {
        let (index, part) = target.split_once("].").and_then(|(head, part)| {
            let index = head.rsplit_once('[')?.1.parse::<usize>().ok()?;
            Some((index, part))
        })?;
        if target.starts_with("triggers") {
            let t = s.triggers.get(index)?;
            let now = if part == "magnitude" { t.magnitude } else { t.duration_s };
            (now * 0.5, now * 1.5)
        } else {
            // A change's value as its field takes it: within its range, whole where it is whole.
            let (field, value) = s.changes.get(index)?.resolve(index).ok()?;
            let (FieldValue::Number(now), Kind::Number { min, max, whole, .. }) = (value, field.kind) else {
                return None;
            };
            let round = |x: f64| if whole { x.round() } else { x };
            (round((now * 0.5).max(min)), round((now * 1.5).min(max)))
        }
    };
    Some((format_number(from), format_number(to)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets;
    use crate::sim::scenario::ScheduledChange;
    use crate::sim::sweep::Axis;

    #[test]
    fn the_first_load_range_spans_the_load_and_the_backends_capacity() {
        // 700 req/s against 1000: from half the load to one and a half times the capacity.
        let storm = presets::find("retry-storm").map(|p| (p.scenario)()).expect("a preset");
        assert_eq!(storm.backend_capacity_rps(), 1000.0);
        assert_eq!(first_range(&storm, "clients.load_rps"), Some(("350".into(), "1500".into())));
        // 6000 req/s behind a cache, against 1000: from half the capacity.
        let restart = presets::find("cache-restart").map(|p| (p.scenario)()).expect("a preset");
        let capacity = restart.backend_capacity_rps();
        let (from, to) = first_range(&restart, "clients.load_rps").expect("a range");
        assert_eq!((from.parse::<f64>(), to.parse::<f64>()), (Ok(0.5 * capacity), Ok(9000.0)));
    }

    #[test]
    fn in_a_chain_the_first_load_range_spans_the_busiest_tiers_capacity() {
        // 300 req/s through two wide tiers to a database of 10 workers at 10 ms, 1000 req/s and no
        // cache anywhere: from half the load to one and a half times the database's capacity (tier
        // 1's own, 400 000 req/s, would give the slider's end, where every column is overloaded).
        let layered = presets::find("layered-retries").map(|p| (p.scenario)()).expect("a preset");
        assert_eq!(first_range(&layered, "clients.load_rps"), Some(("150".into(), "1500".into())));
    }

    #[test]
    fn every_choice_and_its_first_range_make_an_axis() {
        // Each preset as it is, and with changes scheduled: a whole number (odd, and as low as it
        // goes), a share near its top, a load.
        let changes = [("backend.workers", 5.0), ("backend.workers", 1.0), ("cache.target_hit_rate", 0.8)];
        let changes = changes.into_iter().chain([("clients.load_rps", 650.0)]).enumerate();
        let changes: Vec<ScheduledChange> = changes
            .map(|(i, (set, to))| ScheduledChange { at_s: 30.0 + i as f64, set: set.into(), to: to.into() })
            .collect();
        let scenarios = presets::all().iter().flat_map(|preset| {
            let s = (preset.scenario)();
            [(preset.name, s.clone()), (preset.name, Scenario { changes: changes.clone(), ..s })]
        });
        for (name, s) in scenarios {
            for choice in choices(&s) {
                let (from, to) = first_range(&s, &choice.target).expect("a first range");
                let text = format!("{}={from}..{to}:3", choice.target);
                let axis = Axis::parse(&text, &s);
                // A range that repeats whole values is refused; every other first range holds.
                assert!(
                    axis.is_ok() || axis.as_ref().is_err_and(|e| e.message.contains("repeat")),
                    "{name}: {text}: {axis:?}"
                );
            }
        }
    }
}
