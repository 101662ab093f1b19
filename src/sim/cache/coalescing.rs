//! Request coalescing: while one backend call for a key is in flight, further misses for the key
//! wait for its answer instead of calling the backend again.

use std::collections::HashMap;

/// Attempts waiting on the backend call in flight for each key. The leader is the attempt whose
/// call is in flight; every waiter shares its outcome.
#[derive(Clone, Debug, Default)]
pub struct Coalescer {
    waiting: HashMap<u32, Vec<u64>>,
}

impl Coalescer {
    /// Joins the call in flight for `key` if there is one (returns true), else makes `attempt`
    /// its leader (returns false).
    pub fn join_or_lead(&mut self, key: u32, attempt: u64) -> bool {
        match self.waiting.get_mut(&key) {
            Some(list) => {
                list.push(attempt);
                true
            }
            None => {
                self.waiting.insert(key, Vec::new());
                false
            }
        }
    }

    /// Ends the call for `key`, returning the attempts that waited on it.
    pub fn resolve(&mut self, key: u32) -> Vec<u64> {
        self.waiting.remove(&key).unwrap_or_default()
    }

    /// Keys with a call in flight.
    pub fn len(&self) -> usize {
        self.waiting.len()
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Attempts waiting across every key.
    pub fn waiters(&self) -> usize {
        self.waiting.values().map(Vec::len).sum()
    }
}
