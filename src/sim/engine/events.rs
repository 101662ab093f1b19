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
    /// A call sends its next attempt (after backoff).
    AttemptStart { call: u64 },
    /// An attempt reaches the cache.
    CacheLookup { attempt: u64 },
    /// The cache's answer reaches the caller.
    CacheReply { attempt: u64, found: Lookup },
    /// An attempt reaches the backend.
    BackendArrival { attempt: u64 },
    /// A worker of `tier` finishes its own work on a job.
    ServiceDone { tier: u8, worker: u32 },
    /// The backend's answer reaches the caller.
    BackendReply { attempt: u64, ok: bool },
    /// A fill reaches the cache of `tier`.
    Fill { tier: u8, key: u32 },
    /// An attempt's timeout.
    Timeout { attempt: u64 },
    /// An active trigger ends.
    TriggerEnd { id: u32 },
    /// A metrics window closes.
    WindowEnd,
}

/// An event with its place in the order: time in the high 64 bits, sequence number in the low 64,
/// so one integer comparison orders two entries.
///
/// An open-loop arrival numbers what it schedules itself: `ARRIVAL | id << 3 | n` for the `n`th
/// event it schedules (from 0; its next arrival is always 7), above every other sequence number.
/// So at one nanosecond, what arrivals scheduled comes after the rest, in order of arrival, however
/// early an arrival was prepared (see `arrivals.rs`).
#[derive(Clone, Copy, Debug)]
struct Entry {
    key: u128,
    event: Event,
}

impl Entry {
    fn time_ns(&self) -> u64 {
        (self.key >> 64) as u64
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
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
        other.key.cmp(&self.key)
    }
}

/// No entry: later than any.
const NONE: u128 = u128::MAX;

/// The sequence numbers of what open-loop arrivals schedule.
const ARRIVAL: u64 = 1 << 63;

/// Where an event waits. Events that follow a fixed delay (network hops, the cache's reply, the
/// timeout) arrive in time order, so each such delay of each tier has a first-in first-out lane;
/// the rest, and any event that would break a lane's order (after a live change of a delay), go
/// to the heap. The order is (time, sequence number) across all of them, exactly as one heap
/// would give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    Heap,
    /// Open-loop arrivals: one pending at a time.
    Arrival,
    /// A hop between a tier's caller (or backend) and its cache.
    CacheHop(usize),
    /// A hop between a tier's caller and its backend.
    BackendHop(usize),
    CacheReply(usize),
    /// A miss's reply to a tier's caller and the caller's hop on to the backend.
    MissHop(usize),
    /// Timeouts of the calls to a tier.
    Timeout(usize),
}

/// Lanes per tier.
const TIER_LANES: usize = 5;

impl Lane {
    /// Its place among the queue's lanes; `None` for the heap.
    #[inline(always)]
    fn index(self) -> Option<usize> {
        Some(match self {
            Lane::Heap => return None,
            Lane::Arrival => 0,
            Lane::CacheHop(tier) => 1 + TIER_LANES * tier,
            Lane::BackendHop(tier) => 2 + TIER_LANES * tier,
            Lane::CacheReply(tier) => 3 + TIER_LANES * tier,
            Lane::MissHop(tier) => 4 + TIER_LANES * tier,
            Lane::Timeout(tier) => 5 + TIER_LANES * tier,
        })
    }
}

/// The future event list.
#[derive(Clone, Debug)]
pub struct EventQueue {
    heap: BinaryHeap<Entry>,
    /// The arrival lane, then each tier's lanes.
    lanes: Vec<VecDeque<Entry>>,
    /// The key of each lane's first entry ([`NONE`] for an empty lane): what `pop_due` compares,
    /// kept in one small array.
    fronts: Vec<u128>,
    next_seq: u64,
    /// While an arrival schedules (and `next_seq` numbers what it schedules), the next sequence
    /// number of the rest.
    saved_seq: u64,
    /// Every event whose key is at most this has happened (see [`EventQueue::horizon`]).
    horizon: u128,
}

impl EventQueue {
    /// An empty list for a chain of `tiers` tiers.
    pub fn new(tiers: usize) -> Self {
        let lanes = 1 + TIER_LANES * tiers;
        EventQueue {
            heap: BinaryHeap::new(),
            lanes: vec![VecDeque::new(); lanes],
            fronts: vec![NONE; lanes],
            next_seq: 0,
            saved_seq: 0,
            horizon: 0,
        }
    }

    /// The place in the order of an event at `time_ns` scheduled now, without scheduling one: for
    /// something that happens then but needs no turn of the event loop (see `empty_cache.rs`).
    pub fn reserve(&mut self, time_ns: u64) -> u128 {
        let key = (u128::from(time_ns) << 64) | u128::from(self.next_seq);
        self.next_seq += 1;
        key
    }

    /// What is scheduled from now until [`EventQueue::end_arrival`] is scheduled by the open-loop
    /// arrival numbered `id`.
    #[inline]
    pub fn begin_arrival(&mut self, id: u64) {
        self.saved_seq = std::mem::replace(&mut self.next_seq, ARRIVAL | id << 3);
    }

    /// Is an open-loop arrival scheduling now?
    #[inline]
    pub fn in_arrival(&self) -> bool {
        self.next_seq & ARRIVAL != 0
    }

    #[inline]
    pub fn end_arrival(&mut self) {
        self.next_seq = self.saved_seq;
    }

    /// The place of the arrival that the arrival numbered `id` schedules, at `time_ns`.
    pub fn next_arrival_place(time_ns: u64, id: u64) -> u128 {
        (u128::from(time_ns) << 64) | u128::from(ARRIVAL | id << 3 | 7)
    }

    /// Schedules `event` at `place`, in `lane` if that keeps the lane in order.
    #[inline]
    pub fn schedule_at(&mut self, lane: Lane, place: u128, event: Event) {
        self.push(lane, Entry { key: place, event });
    }

    /// Schedules `event` at the place `key` reserved, in the heap.
    pub fn schedule_reserved(&mut self, key: u128, event: Event) {
        self.heap.push(Entry { key, event });
    }

    /// The place in the order up to which everything has happened: the key of the event popped
    /// last, or the end of an instant passed whole (see [`EventQueue::pass`]).
    pub fn horizon(&self) -> u128 {
        self.horizon
    }

    /// Every event due at or before `time_ns` has happened.
    pub fn pass(&mut self, time_ns: u64) {
        self.horizon = self.horizon.max((u128::from(time_ns) << 64) | u128::from(u64::MAX));
    }

    /// Schedules `event` at `time_ns` in the heap.
    pub fn schedule(&mut self, time_ns: u64, event: Event) {
        self.schedule_in(Lane::Heap, time_ns, event);
    }

    /// Schedules `event` at `time_ns`, in `lane` if that keeps the lane in time order.
    #[cfg_attr(feature = "shortcuts", inline(always))]
    pub fn schedule_in(&mut self, lane: Lane, time_ns: u64, event: Event) {
        let entry = Entry { key: self.reserve(time_ns), event };
        self.push(lane, entry);
    }

    #[cfg_attr(feature = "shortcuts", inline(always))]
    fn push(&mut self, lane: Lane, entry: Entry) {
        let Some(index) = lane.index() else {
            return self.heap.push(entry);
        };
        match self.lanes.get_mut(index) {
            Some(fifo) if fifo.back().is_none_or(|last| last.key <= entry.key) => {
                if fifo.is_empty() {
                    self.fronts[index] = entry.key;
                }
                fifo.push_back(entry);
            }
            _ => self.heap.push(entry),
        }
    }

    /// Removes and returns the earliest event if it is due at or before `until_ns`.
    #[inline]
    pub fn pop_due(&mut self, until_ns: u64) -> Option<(u64, Event)> {
        let mut best = self.heap.peek().map_or(NONE, |e| e.key);
        let mut lane = usize::MAX;
        for (index, &key) in self.fronts.iter().enumerate() {
            if key < best {
                (best, lane) = (key, index);
            }
        }
        if best == NONE || (best >> 64) as u64 > until_ns {
            return None;
        }
        let entry = match self.lanes.get_mut(lane) {
            None => self.heap.pop()?,
            Some(fifo) => {
                let entry = fifo.pop_front()?;
                self.fronts[lane] = fifo.front().map_or(NONE, |e| e.key);
                entry
            }
        };
        // An event scheduled with no delay by one an arrival numbered has a lower key than it, and
        // comes next: the horizon stays where it was.
        self.horizon = self.horizon.max(entry.key);
        Some((entry.time_ns(), entry.event))
    }

    /// Takes out the first event of `lane` (for a live change of settings that must reconsider
    /// them).
    pub fn take_first(&mut self, lane: Lane) -> Option<(u64, Event)> {
        let index = lane.index()?;
        let fifo = self.lanes.get_mut(index)?;
        let entry = fifo.pop_front()?;
        self.fronts[index] = fifo.front().map_or(NONE, |e| e.key);
        Some((entry.time_ns(), entry.event))
    }

    /// Drops the timeouts at the front of tier `tier`'s timeout lane for which `dead` holds: they
    /// would do nothing when due. Keeps the lane as short as the attempts still awaited, so stale
    /// timeouts cost neither a turn of the event loop nor memory.
    #[inline]
    pub fn drop_dead_timeouts(&mut self, tier: usize, mut dead: impl FnMut(u64) -> bool) {
        let Some(index) = Lane::Timeout(tier).index() else {
            return;
        };
        let Some(fifo) = self.lanes.get_mut(index) else {
            return;
        };
        let before = fifo.len();
        while let Some(&Entry { event: Event::Timeout { attempt }, .. }) = fifo.front()
            && dead(attempt)
        {
            fifo.pop_front();
        }
        if fifo.len() != before {
            self.fronts[index] = fifo.front().map_or(NONE, |e| e.key);
        }
    }

    pub fn footprint_bytes(&self) -> usize {
        let lanes: usize = self.lanes.iter().map(VecDeque::capacity).sum();
        (self.heap.capacity() + lanes) * std::mem::size_of::<Entry>()
    }
}
