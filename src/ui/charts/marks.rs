//! What the charts' time axis shows: trigger spans, setting changes, and items still to come.

use super::Mark;
use crate::sim::Simulation;
use crate::sim::engine::{ChangeMark, Scheduled};
use crate::sim::faults::trigger_label;
use std::rc::Rc;

/// The marks of `sim`'s run so far and of what its timeline still holds.
pub fn marks(sim: &Simulation) -> Rc<Vec<Mark>> {
    let now_s = sim.now_s();
    let triggers = sim.trigger_marks().map(|m| Mark::Span {
        start_s: m.start_s,
        end_s: m.end_s.unwrap_or(now_s),
        label: m.label(),
    });
    let changes = steps_merged(sim.change_marks()).into_iter().map(|(c, steps)| Mark::Change {
        t_s: c.t_s,
        label: match steps {
            1 => format!("{} → {}", c.field.full_label(), c.field.display(&c.to)),
            _ => format!("{} → {} ({steps} steps)", c.field.full_label(), c.field.display(&c.to)),
        },
    });
    let upcoming =
        sim.upcoming().map(|(at_s, item)| Mark::Upcoming { in_s: at_s - now_s, label: item_label(sim, item) });
    Rc::new(triggers.chain(changes).chain(upcoming).collect())
}

/// Changes of one field that follow one another, each within [`STEPS_S`] of the one before and
/// with no other change between (a slider moved with the arrow keys, a press at a time), as one
/// mark: at the first's time, with the last's value and the number of steps.
fn steps_merged<'a>(changes: impl Iterator<Item = &'a ChangeMark>) -> Vec<(ChangeMark, usize)> {
    let mut merged: Vec<(ChangeMark, usize)> = Vec::new();
    let mut previous_s = f64::NEG_INFINITY;
    for c in changes {
        match merged.last_mut() {
            Some((last, steps)) if std::ptr::eq(last.field, c.field) && c.t_s - previous_s <= STEPS_S => {
                last.to = c.to.clone();
                *steps += 1;
            }
            _ => merged.push((c.clone(), 1)),
        }
        previous_s = c.t_s;
    }
    merged
}

/// How close in simulated time a field's changes are to be drawn as one.
const STEPS_S: f64 = 2.0;

/// What a scheduled item does, in a few words ("cache flush", "Load → 500 req/s").
pub fn item_label(sim: &Simulation, item: Scheduled) -> String {
    let scenario = sim.scenario();
    match item {
        Scheduled::Trigger(i) => scenario.triggers.get(i as usize).map(|t| trigger_label(t.kind, t.magnitude, t.tier)),
        Scheduled::Change(i) => scenario
            .changes
            .get(i as usize)
            .and_then(|c| c.resolve(i as usize).ok())
            .map(|(field, value)| format!("{} → {}", field.full_label(), field.display(&value))),
    }
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{Mark, marks};
    use crate::sim::{Scenario, Simulation, Trigger, TriggerKind};

    fn at(sim: &mut Simulation, t_s: f64) {
        sim.run_until((t_s * 1e9) as u64);
    }

    #[test]
    fn a_field_stepped_in_quick_presses_is_one_mark_with_the_last_value() {
        let mut sim = Simulation::new(Scenario::default()).expect("valid");
        // Three presses a second apart, then, after another field's change, one more.
        for (t_s, load) in [(1.0, "2550"), (2.0, "2600"), (3.0, "2650")] {
            at(&mut sim, t_s);
            sim.set("clients.load_rps", load).expect("valid load");
        }
        at(&mut sim, 3.5);
        sim.set("backend.workers", "30").expect("valid workers");
        at(&mut sim, 4.0);
        sim.set("clients.load_rps", "2700").expect("valid load");
        // A press more than two seconds after the one before starts a mark of its own.
        at(&mut sim, 7.0);
        sim.set("clients.load_rps", "2750").expect("valid load");
        let changes: Vec<(f64, String)> = marks(&sim)
            .iter()
            .filter_map(|m| match m {
                Mark::Change { t_s, label } => Some((*t_s, label.clone())),
                _ => None,
            })
            .collect();
        let labels: Vec<&str> = changes.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Load → 2650 req/s (3 steps)", "Workers → 30", "Load → 2700 req/s", "Load → 2750 req/s"]);
        assert!((changes[0].0 - 1.0).abs() < 1e-9, "the first press's time: {changes:?}");
    }

    #[test]
    fn a_trigger_still_in_force_is_shaded_up_to_now() {
        let mut sim = Simulation::new(Scenario::default()).expect("valid");
        at(&mut sim, 2.0);
        sim.fire(Trigger { kind: TriggerKind::LoadSpike, magnitude: 2.0, duration_s: 10.0, tier: 1 }).expect("valid");
        at(&mut sim, 5.0);
        let span = marks(&sim).iter().find_map(|m| match m {
            Mark::Span { start_s, end_s, .. } => Some((*start_s, *end_s)),
            _ => None,
        });
        assert_eq!(span, Some((2.0, 5.0)));
        at(&mut sim, 20.0);
        let ended = marks(&sim).iter().find_map(|m| match m {
            Mark::Span { end_s, .. } => Some(*end_s),
            _ => None,
        });
        assert_eq!(ended, Some(12.0), "an ended trigger keeps its own end");
    }
}
