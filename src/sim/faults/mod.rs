//! Triggers: faults that are active for a while, and the marks they leave on the time axis.

use crate::sim::metrics::RingBuffer;
use crate::sim::scenario::fields::format_number;
use crate::sim::scenario::{Trigger, TriggerKind};
use serde::Serialize;

/// A trigger on the time axis: when it started and, once over, when it ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TriggerMark {
    pub id: u32,
    pub kind: TriggerKind,
    pub magnitude: f64,
    /// The tier it strikes, from 1.
    pub tier: u32,
    pub start_s: f64,
    /// `None` while still active.
    pub end_s: Option<f64>,
}

impl TriggerMark {
    /// Name, size and tier, e.g. "load spike ×2" (see [`trigger_label`]).
    pub fn label(&self) -> String {
        trigger_label(self.kind, self.magnitude, self.tier)
    }
}

/// A trigger's name and size, e.g. "load spike ×2", "capacity loss 50 %", "cache flush", and its
/// tier when it is not the first ("backend slowdown ×5 at tier 3"; a load spike has none).
pub fn trigger_label(kind: TriggerKind, magnitude: f64, tier: u32) -> String {
    let name = kind.label();
    let label = match kind {
        TriggerKind::LoadSpike | TriggerKind::BackendSlowdown => format!("{name} ×{}", format_number(magnitude)),
        TriggerKind::CapacityLoss | TriggerKind::ErrorBurst => format!("{name} {:.0} %", magnitude * 100.0),
        TriggerKind::CacheFlush | TriggerKind::CacheOutage => name.to_string(),
    };
    match (kind, tier) {
        (TriggerKind::LoadSpike, _) | (_, 1) => label,
        _ => format!("{label} at tier {tier}"),
    }
}

#[derive(Clone, Copy, Debug)]
struct Active {
    id: u32,
    trigger: Trigger,
}

/// Triggers now in force and the history of marks.
#[derive(Clone, Debug)]
pub struct Faults {
    active: Vec<Active>,
    marks: RingBuffer<TriggerMark>,
    next_id: u32,
    /// When the most recent trigger ended (or an instant trigger fired), in nanoseconds.
    last_quiet_from_ns: Option<u64>,
    last_kind: Option<TriggerKind>,
}

const MARKS_KEPT: usize = 256;

impl Default for Faults {
    fn default() -> Self {
        Faults {
            active: Vec::new(),
            marks: RingBuffer::new(MARKS_KEPT),
            next_id: 0,
            last_quiet_from_ns: None,
            last_kind: None,
        }
    }
}

impl Faults {
    /// Starts `trigger` at `now_ns`; returns its id (for the end event).
    pub fn start(&mut self, now_ns: u64, trigger: Trigger) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        let instant = trigger.kind == TriggerKind::CacheFlush || trigger.duration_s <= 0.0;
        let start_s = now_ns as f64 / 1e9;
        self.marks.push(TriggerMark {
            id,
            kind: trigger.kind,
            magnitude: trigger.magnitude,
            tier: trigger.tier,
            start_s,
            end_s: instant.then_some(start_s),
        });
        self.last_kind = Some(trigger.kind);
        if instant {
            self.last_quiet_from_ns = Some(now_ns);
        } else {
            self.active.push(Active { id, trigger });
        }
        id
    }

    /// Ends trigger `id` at `now_ns` (no-op if it is not active).
    pub fn end(&mut self, now_ns: u64, id: u32) {
        let Some(position) = self.active.iter().position(|a| a.id == id) else {
            return;
        };
        let ended = self.active.remove(position);
        self.last_kind = Some(ended.trigger.kind);
        self.last_quiet_from_ns = Some(now_ns);
        let found = self.marks.iter().rposition(|m| m.id == id);
        if let Some(index) = found {
            self.marks.update(index, |m| m.end_s = Some(now_ns as f64 / 1e9));
        }
    }

    pub fn any_active(&self) -> bool {
        !self.active.is_empty()
    }

    /// The first active trigger, for the health banner.
    pub fn first_active(&self) -> Option<Trigger> {
        self.active.first().map(|a| a.trigger)
    }

    /// When the system last became free of triggers, and which trigger that was.
    pub fn last_quiet(&self) -> Option<(u64, TriggerKind)> {
        self.last_quiet_from_ns.zip(self.last_kind)
    }

    /// Active triggers of `kind` striking tier `tier` (0 for the first).
    fn at(&self, kind: TriggerKind, tier: usize) -> impl Iterator<Item = &Trigger> {
        self.active.iter().map(|a| &a.trigger).filter(move |t| t.kind == kind && t.tier as usize == tier + 1)
    }

    /// Combined fraction 1 − Π(1 − p) of the active triggers of `kind` at `tier`.
    fn combined_fraction(&self, kind: TriggerKind, tier: usize) -> f64 {
        1.0 - self.at(kind, tier).map(|t| 1.0 - t.magnitude).product::<f64>()
    }

    /// Arrival-rate factor (Π of active load spikes, whatever tier they name).
    pub fn load_factor(&self) -> f64 {
        self.active.iter().filter(|a| a.trigger.kind == TriggerKind::LoadSpike).map(|a| a.trigger.magnitude).product()
    }

    /// Service-time factor of `tier` (Π of its active slowdowns).
    pub fn slowdown_factor(&self, tier: usize) -> f64 {
        self.at(TriggerKind::BackendSlowdown, tier).map(|t| t.magnitude).product()
    }

    /// Fraction of `tier`'s workers lost.
    pub fn capacity_lost(&self, tier: usize) -> f64 {
        self.combined_fraction(TriggerKind::CapacityLoss, tier)
    }

    /// Fraction of calls to `tier`'s backend that fail fast.
    pub fn error_rate(&self, tier: usize) -> f64 {
        self.combined_fraction(TriggerKind::ErrorBurst, tier)
    }

    /// Is `tier`'s cache unreachable?
    pub fn cache_out(&self, tier: usize) -> bool {
        self.at(TriggerKind::CacheOutage, tier).next().is_some()
    }

    /// Marks, oldest first.
    pub fn marks(&self) -> impl Iterator<Item = &TriggerMark> {
        self.marks.iter()
    }
}
