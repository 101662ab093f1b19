//! A bounded, sampled stream of request lifecycles for the animated view.

use crate::sim::metrics::RingBuffer;
use serde::Serialize;

/// A step in a request's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Created,
    CacheHit,
    CacheMiss,
    /// Waiting in the backend queue.
    Queued,
    /// A worker started on it.
    Served,
    /// The backend finished it after its caller gave up.
    Wasted,
    Succeeded,
    TimedOut,
    Errored,
    /// A retry was scheduled after backoff.
    Retried,
    /// The logical request failed for good.
    Failed,
}

/// One step of one sampled request.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LifecycleEvent {
    pub t_ns: u64,
    /// Logical request id (0, 1, 2, … in creation order).
    pub request: u64,
    /// Attempt number, from 1.
    pub attempt: u32,
    pub stage: Stage,
}

/// Keeps the newest events of every `every`-th request; 0 samples none.
#[derive(Clone, Debug)]
pub struct Trace {
    every: u64,
    events: RingBuffer<LifecycleEvent>,
}

const EVENTS_KEPT: usize = 4096;

impl Default for Trace {
    fn default() -> Self {
        Trace { every: 0, events: RingBuffer::new(EVENTS_KEPT) }
    }
}

impl Trace {
    pub fn set_every(&mut self, every: u64) {
        self.every = every;
    }

    /// Are any requests sampled?
    pub fn on(&self) -> bool {
        self.every > 0
    }

    /// Is request `id` sampled?
    pub fn samples(&self, id: u64) -> bool {
        self.on() && id.is_multiple_of(self.every)
    }

    pub fn push(&mut self, event: LifecycleEvent) {
        self.events.push(event);
    }

    /// Events recorded since the last drain (the newest `EVENTS_KEPT` at most).
    pub fn drain(&mut self) -> Vec<LifecycleEvent> {
        let fresh: Vec<LifecycleEvent> = self.events.iter().copied().collect();
        self.events.clear();
        fresh
    }

    pub fn footprint_bytes(&self) -> usize {
        self.events.len() * std::mem::size_of::<LifecycleEvent>()
    }
}
