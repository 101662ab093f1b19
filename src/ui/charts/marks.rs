//! What the charts' time axis shows: trigger spans, setting changes, and items still to come; and
//! the timeout over time, for the latency chart.

use super::Mark;
use crate::sim::Simulation;
use crate::sim::engine::Scheduled;
use crate::sim::faults::trigger_label;
use crate::sim::scenario::fields::FieldValue;
use std::rc::Rc;

/// The marks of `sim`'s run so far and of what its timeline still holds.
pub fn marks(sim: &Simulation) -> Rc<Vec<Mark>> {
    let now_s = sim.now_s();
    let triggers = sim.trigger_marks().map(|m| Mark::Span {
        start_s: m.start_s,
        end_s: m.end_s.unwrap_or(now_s),
        label: m.label(),
    });
    let changes = sim
        .change_marks()
        .map(|c| Mark::Change {
            t_s: c.t_s, label: format!("{} → {}", c.field.full_label(), c.field.display(&c.to))
        });
    let upcoming =
        sim.upcoming().map(|(at_s, item)| Mark::Upcoming { in_s: at_s - now_s, label: item_label(sim, item) });
    Rc::new(triggers.chain(changes).chain(upcoming).collect())
}

/// The clients' timeout in ms over time, as a step line from time zero to now: each change of it
/// is a step, and `None` is no timeout. A drag of the slider is one change (one mark, at its
/// start, with the value let go at), and only the newest 256 changes are kept: the value before
/// the first kept one is drawn back to time zero.
pub fn timeout(sim: &Simulation) -> Rc<Vec<(f64, Option<f64>)>> {
    let ms = |v: &FieldValue| v.number().map(|s| s * 1e3);
    let now = sim.scenario().clients.timeout_s.map(|t| t * 1e3);
    let mut points = vec![(0.0, now)];
    for c in sim.change_marks().filter(|c| c.field.path == "clients.timeout_s") {
        points.extend([(c.t_s, ms(&c.from)), (c.t_s, ms(&c.to))]);
    }
    // Before the first change, the timeout it changed.
    let first = points.get(1).map_or(now, |p| p.1);
    points.push((sim.now_s(), now));
    if let Some(start) = points.first_mut() {
        start.1 = first;
    }
    Rc::new(points)
}

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
