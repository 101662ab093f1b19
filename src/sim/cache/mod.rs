//! The look-aside cache: a keyed LRU with TTL, sized from a target hit rate, plus request
//! coalescing (one backend call per key in flight).

mod calibrate;
mod coalescing;
mod recency;

pub use calibrate::{capacity_for_hit_rate, warm_hit_rate};
pub use coalescing::Coalescer;
pub use recency::Recency;

/// What a lookup found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Hit,
    /// Present but past its TTL.
    Stale,
    Miss,
}

/// LRU of `capacity` keys, each with its expiry time. Capacity 0 is a cache that holds nothing.
#[derive(Clone, Debug)]
pub struct Cache {
    entries: Option<Recency>,
    capacity: usize,
}

impl Cache {
    pub fn new(capacity: usize) -> Self {
        Cache { entries: (capacity > 0).then(|| Recency::new(capacity)), capacity }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.entries.as_ref().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries ÷ capacity (0 for a zero-capacity cache).
    pub fn fill_ratio(&self) -> f64 {
        if self.capacity == 0 { 0.0 } else { self.len() as f64 / self.capacity as f64 }
    }

    /// Looks `key` up at `now_ns`, marking it recently used when present.
    pub fn lookup(&mut self, key: u32, now_ns: u64) -> Lookup {
        match self.entries.as_mut().and_then(|e| e.get(key)) {
            Some(expires_ns) if expires_ns > now_ns => Lookup::Hit,
            Some(_) => Lookup::Stale,
            None => Lookup::Miss,
        }
    }

    /// Starts loading what a lookup of `key` will read.
    #[inline]
    pub fn prefetch(&self, key: u32) {
        if let Some(entries) = &self.entries {
            entries.prefetch(key);
        }
    }

    /// Stores `key` until `expires_ns`, evicting the least recently used key when full.
    pub fn fill(&mut self, key: u32, expires_ns: u64) {
        if let Some(entries) = self.entries.as_mut() {
            entries.put(key, expires_ns);
        }
    }

    pub fn flush(&mut self) {
        if let Some(entries) = self.entries.as_mut() {
            entries.clear();
        }
    }

    /// Changes the capacity, evicting least recently used keys that no longer fit.
    pub fn resize(&mut self, capacity: usize) {
        if capacity == self.capacity {
            return;
        }
        self.capacity = capacity;
        match (capacity, self.entries.as_mut()) {
            (0, _) => self.entries = None,
            (_, Some(entries)) => entries.resize(capacity),
            (_, None) => self.entries = Some(Recency::new(capacity)),
        }
    }

    /// Bytes held by its recency list.
    pub fn footprint_bytes(&self) -> usize {
        self.entries.as_ref().map_or(0, Recency::footprint_bytes)
    }
}
