//! The scenario's timeline as the engine plays it: scheduled triggers and changes in time order.
//! An item takes effect at the end of its instant, after every event due at that time, which is
//! when a live change made at that time takes effect; so a recorded session replays exactly.

use crate::sim::scenario::{Scenario, s_to_ns};

/// A scheduled item: the scenario's trigger or change at that index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Trigger(u32),
    Change(u32),
}

/// Items not yet applied, in the order they take effect.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// (due time, item), sorted by time; ties keep triggers before changes, each in list order.
    pending: Vec<(u64, Item)>,
    next: usize,
}

impl Timeline {
    /// The items of `scenario`, in the order they take effect.
    pub fn of(scenario: &Scenario) -> Timeline {
        let triggers = scenario.triggers.iter().enumerate().map(|(i, t)| (s_to_ns(t.at_s), Item::Trigger(i as u32)));
        let changes = scenario.changes.iter().enumerate().map(|(i, c)| (s_to_ns(c.at_s), Item::Change(i as u32)));
        let mut pending: Vec<(u64, Item)> = triggers.chain(changes).collect();
        // Stable: equal times keep triggers first, then changes, each in list order.
        pending.sort_by_key(|(due, _)| *due);
        Timeline { pending, next: 0 }
    }

    /// When the next item is due.
    pub fn next_due_ns(&self) -> Option<u64> {
        self.pending.get(self.next).map(|(due, _)| *due)
    }

    /// Takes the next item.
    pub fn take(&mut self) -> Option<(u64, Item)> {
        let item = self.pending.get(self.next).copied();
        self.next += usize::from(item.is_some());
        item
    }

    /// Adds `item`, the newest of its kind, due at `due_ns` (later than any item applied), where
    /// [`Timeline::of`] would place it.
    pub fn insert(&mut self, due_ns: u64, item: Item) {
        let rank = |i: &Item| matches!(i, Item::Change(_));
        let key = (due_ns, rank(&item));
        let at = self.next + self.pending[self.next..].partition_point(|(due, i)| (*due, rank(i)) <= key);
        self.pending.insert(at, (due_ns, item));
    }

    /// Takes `item`, still to come, off the timeline; items of its kind listed after it move up
    /// one index, as in the scenario's list. False when it is not still to come.
    pub fn remove(&mut self, item: Item) -> bool {
        let Some(offset) = self.pending[self.next..].iter().position(|(_, i)| *i == item) else {
            return false;
        };
        self.pending.remove(self.next + offset);
        for (_, other) in &mut self.pending {
            match (other, item) {
                (Item::Trigger(i), Item::Trigger(removed)) | (Item::Change(i), Item::Change(removed))
                    if *i > removed =>
                {
                    *i -= 1
                }
                _ => {}
            }
        }
        true
    }

    /// Items still to come, in order.
    pub fn upcoming(&self) -> impl Iterator<Item = (u64, Item)> + '_ {
        self.pending[self.next..].iter().copied()
    }
}
