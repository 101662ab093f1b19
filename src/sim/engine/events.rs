//! Events as plain data in a min-heap ordered by (time, sequence number): ties resolve in the
//! order they were scheduled.

use crate::sim::cache::Lookup;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Something that happens at an instant. Attempts and logical requests are named by slab
/// references (slot and generation), so an event about a request that has ended is recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The next open-loop arrival; stale when its generation is not the current one.
    Arrival { generation: u32 },
    /// A closed-loop user finished thinking.
    UserWakes,
    /// A logical request sends its next attempt (after backoff).
    AttemptStart { logical: u64 },
    /// An attempt reaches the cache.
    CacheLookup { attempt: u64 },
    /// The cache's answer reaches the caller.
    CacheReply { attempt: u64, found: Lookup },
    /// An attempt reaches the backend.
    BackendArrival { attempt: u64 },
    /// A worker finishes its job.
    ServiceDone { worker: u32 },
    /// The backend's answer reaches the caller.
    BackendReply { attempt: u64, ok: bool },
    /// A fill reaches the cache.
    Fill { key: u32 },
    /// An attempt's timeout.
    Timeout { attempt: u64 },
    /// An active trigger ends.
    TriggerEnd { id: u32 },
    /// A metrics window closes.
    WindowEnd,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    time_ns: u64,
    seq: u64,
    event: Event,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.time_ns, self.seq) == (other.time_ns, other.seq)
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// Reversed, so the max-heap yields the earliest event first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time_ns, other.seq).cmp(&(self.time_ns, self.seq))
    }
}

/// Where an event waits. Events that follow a fixed delay (network hops, the cache's reply, the
/// timeout) arrive in time order, so each such delay has a first-in first-out lane; the rest, and
/// any event that would break a lane's order (after a live change of a delay), go to the heap.
/// The order is (time, sequence number) across all of them, exactly as one heap would give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    Heap,
    /// Open-loop arrivals: one pending at a time.
    Arrival,
    /// A hop between client (or backend) and cache.
    CacheHop,
    /// A hop between client and backend.
    BackendHop,
    CacheReply,
    Timeout,
}

const LANES: usize = 5;

/// The future event list.
#[derive(Clone, Debug, Default)]
pub struct EventQueue {
    heap: BinaryHeap<Entry>,
    lanes: [VecDeque<Entry>; LANES],
    next_seq: u64,
}

impl EventQueue {
    /// Schedules `event` at `time_ns` in the heap.
    pub fn schedule(&mut self, time_ns: u64, event: Event) {
        self.schedule_in(Lane::Heap, time_ns, event);
    }

    /// Schedules `event` at `time_ns`, in `lane` if that keeps the lane in time order.
    pub fn schedule_in(&mut self, lane: Lane, time_ns: u64, event: Event) {
        let entry = Entry { time_ns, seq: self.next_seq, event };
        self.next_seq += 1;
        let fifo = match lane {
            Lane::Heap => None,
            Lane::CacheHop => Some(&mut self.lanes[0]),
            Lane::BackendHop => Some(&mut self.lanes[4]),
            Lane::CacheReply => Some(&mut self.lanes[1]),
            Lane::Timeout => Some(&mut self.lanes[2]),
            Lane::Arrival => Some(&mut self.lanes[3]),
        };
        match fifo {
            Some(fifo) if fifo.back().is_none_or(|last| last.time_ns <= time_ns) => fifo.push_back(entry),
            _ => self.heap.push(entry),
        }
    }

    /// Removes and returns the earliest event if it is due at or before `until_ns`.
    pub fn pop_due(&mut self, until_ns: u64) -> Option<(u64, Event)> {
        let mut best: Option<(u64, u64, usize)> = self.heap.peek().map(|e| (e.time_ns, e.seq, LANES));
        for (index, lane) in self.lanes.iter().enumerate() {
            if let Some(e) = lane.front()
                && best.is_none_or(|(t, q, _)| (e.time_ns, e.seq) < (t, q))
            {
                best = Some((e.time_ns, e.seq, index));
            }
        }
        let (time_ns, _, source) = best?;
        if time_ns > until_ns {
            return None;
        }
        let entry = if source == LANES { self.heap.pop() } else { self.lanes[source].pop_front() };
        entry.map(|e| (e.time_ns, e.event))
    }

    pub fn footprint_bytes(&self) -> usize {
        let lanes: usize = self.lanes.iter().map(VecDeque::capacity).sum();
        (self.heap.capacity() + lanes) * std::mem::size_of::<Entry>()
    }
}
