//! A bounded first-in first-out buffer that forgets its oldest item when full.

use std::collections::VecDeque;

/// Keeps the newest `capacity` items and counts every item ever pushed, so a reader can ask for
/// what arrived after the last one it saw.
#[derive(Clone, Debug)]
pub struct RingBuffer<T> {
    items: VecDeque<T>,
    capacity: usize,
    pushed: u64,
}

impl<T> RingBuffer<T> {
    /// An empty buffer holding at most `capacity` items (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        RingBuffer { items: VecDeque::with_capacity(capacity.min(4096)), capacity, pushed: 0 }
    }

    /// Adds an item, dropping the oldest when full.
    pub fn push(&mut self, item: T) {
        if self.items.len() == self.capacity {
            self.items.pop_front();
        }
        self.items.push_back(item);
        self.pushed += 1;
    }

    /// Items held, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.iter()
    }

    /// Changes the item at `index` (0 = oldest held) in place.
    pub fn update(&mut self, index: usize, change: impl FnOnce(&mut T)) {
        if let Some(item) = self.items.get_mut(index) {
            change(item);
        }
    }

    /// The newest item.
    pub fn last(&self) -> Option<&T> {
        self.items.back()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many items were ever pushed.
    pub fn pushed(&self) -> u64 {
        self.pushed
    }

    /// Items pushed after the first `seen` pushes that are still held, oldest first.
    pub fn since(&self, seen: u64) -> impl Iterator<Item = &T> {
        let held_from = self.pushed - self.items.len() as u64;
        let skip = seen.saturating_sub(held_from).min(self.items.len() as u64) as usize;
        self.items.iter().skip(skip)
    }

    /// Removes every item; the push count is kept.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Changes the capacity, dropping the oldest items that no longer fit.
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity.max(1);
        while self.items.len() > self.capacity {
            self.items.pop_front();
        }
    }
}
