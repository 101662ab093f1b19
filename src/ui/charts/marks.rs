//! What the charts' time axis shows: trigger spans, setting changes, and items still to come.

use super::Mark;
use crate::sim::Simulation;
use crate::sim::engine::Scheduled;
use crate::sim::faults::trigger_label;
use std::rc::Rc;

/// The marks of `sim`'s run so far and of what its timeline still holds.
pub fn marks(sim: &Simulation) -> Rc<Vec<Mark>> {
    let triggers = sim.trigger_marks().map(|m| Mark::Span { start_s: m.start_s, end_s: m.end_s, label: m.label() });
    let changes = sim
        .change_marks()
        .map(|c| Mark::Change {
            t_s: c.t_s, label: format!("{} → {}", c.field.full_label(), c.field.display(&c.to))
        });
    let now_s = sim.now_s();
    let upcoming =
        sim.upcoming().map(|(at_s, item)| Mark::Upcoming { in_s: at_s - now_s, label: item_label(sim, item) });
    Rc::new(triggers.chain(changes).chain(upcoming).collect())
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
