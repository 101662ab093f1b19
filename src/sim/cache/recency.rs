//! The cache's recency list: key ids (dense, `0..K`) with their expiry times, most recently used
//! first, evicting the least recently used when full.
//!
//! Keys are small dense integers, so a node lives at its key's index: a lookup is one array read
//! with no hashing, and nodes are never allocated one by one. It behaves exactly as the `lru`
//! crate's `LruCache` (get marks used, put updates or inserts at the front and evicts the last
//! when full, shrinking evicts from the back), which is what it replaced.

use crate::sim::prefetch::prefetch;

/// End of the list.
const NIL: u32 = u32::MAX;
/// In `prev` of a key not held.
const ABSENT: u32 = u32::MAX - 1;

#[derive(Clone, Copy, Debug)]
struct Node {
    /// The more recently used neighbour (`NIL` at the front, `ABSENT` when the key is not held).
    prev: u32,
    /// The less recently used neighbour (`NIL` at the back).
    next: u32,
    expires_ns: u64,
}

const EMPTY: Node = Node { prev: ABSENT, next: NIL, expires_ns: 0 };

#[derive(Clone, Debug)]
pub struct Recency {
    /// Indexed by key; grown to the largest key held.
    nodes: Vec<Node>,
    front: u32,
    back: u32,
    len: usize,
    capacity: usize,
}

impl Recency {
    /// An empty list holding at most `capacity` (≥ 1) keys.
    pub fn new(capacity: usize) -> Self {
        Recency { nodes: Vec::new(), front: NIL, back: NIL, len: 0, capacity: capacity.max(1) }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The expiry of `key`, marking it most recently used; `None` when not held.
    #[inline]
    pub fn get(&mut self, key: u32) -> Option<u64> {
        let node = self.nodes.get(key as usize)?;
        if node.prev == ABSENT {
            return None;
        }
        let expires_ns = node.expires_ns;
        if self.front != key {
            self.unlink(key);
            self.push_front(key);
        }
        Some(expires_ns)
    }

    /// Starts loading `key`'s node, for a lookup soon.
    #[inline]
    pub fn prefetch(&self, key: u32) {
        if let Some(node) = self.nodes.get(key as usize) {
            prefetch(node);
        }
    }

    /// Holds `key` until `expires_ns` as the most recently used, evicting the least recently
    /// used key when full.
    #[inline]
    pub fn put(&mut self, key: u32, expires_ns: u64) {
        let index = key as usize;
        if index >= self.nodes.len() {
            self.nodes.resize(index + 1, EMPTY);
        }
        if self.nodes[index].prev != ABSENT {
            self.nodes[index].expires_ns = expires_ns;
            if self.front != key {
                self.unlink(key);
                self.push_front(key);
            }
            return;
        }
        if self.len == self.capacity {
            self.pop_back();
        }
        self.nodes[index].expires_ns = expires_ns;
        self.push_front(key);
        self.len += 1;
    }

    pub fn clear(&mut self) {
        self.nodes.clear();
        (self.front, self.back, self.len) = (NIL, NIL, 0);
    }

    /// Holds at most `capacity` (≥ 1) keys, evicting the least recently used that no longer fit.
    pub fn resize(&mut self, capacity: usize) {
        self.capacity = capacity.max(1);
        while self.len > self.capacity {
            self.pop_back();
        }
    }

    /// Bytes held: a node per key up to the largest held.
    pub fn footprint_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
    }

    fn pop_back(&mut self) {
        let key = self.back;
        if key == NIL {
            return;
        }
        self.unlink(key);
        self.nodes[key as usize] = EMPTY;
        self.len -= 1;
    }

    /// Takes held `key` out of the list.
    fn unlink(&mut self, key: u32) {
        let Node { prev, next, .. } = self.nodes[key as usize];
        match prev {
            NIL => self.front = next,
            p => self.nodes[p as usize].next = next,
        }
        match next {
            NIL => self.back = prev,
            n => self.nodes[n as usize].prev = prev,
        }
    }

    fn push_front(&mut self, key: u32) {
        let old = self.front;
        let node = &mut self.nodes[key as usize];
        (node.prev, node.next) = (NIL, old);
        match old {
            NIL => self.back = key,
            o => self.nodes[o as usize].prev = key,
        }
        self.front = key;
    }
}

#[cfg(test)]
mod tests {
    use super::Recency;

    /// Keys front to back.
    fn order(r: &Recency) -> Vec<u32> {
        let mut keys = Vec::new();
        let mut at = r.front;
        while at != super::NIL {
            keys.push(at);
            at = r.nodes[at as usize].next;
        }
        keys
    }

    #[test]
    fn evicts_the_least_recently_used() {
        let mut r = Recency::new(3);
        (1..=3).for_each(|k| r.put(k, u64::from(k) * 10));
        assert_eq!(order(&r), [3, 2, 1]);
        assert_eq!(r.get(1), Some(10));
        r.put(4, 40);
        assert_eq!(order(&r), [4, 1, 3]);
        assert_eq!(r.get(2), None);
        r.put(3, 31);
        assert_eq!((order(&r), r.get(3), r.len()), (vec![3, 4, 1], Some(31), 3));
        r.resize(1);
        assert_eq!((order(&r), r.len()), (vec![3], 1));
        r.clear();
        assert_eq!((r.get(3), r.len(), r.is_empty()), (None, 0, true));
    }
}
