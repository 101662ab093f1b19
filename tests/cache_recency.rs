//! The cache's recency list behaves exactly as the `lru` crate's `LruCache` it replaced: the same
//! answers to every lookup and the same length after any sequence of lookups, fills, resizes and
//! flushes.

use lru::LruCache;
use metastable_playground::sim::cache::Recency;
use proptest::prelude::*;
use std::num::NonZeroUsize;

#[derive(Clone, Debug)]
enum Op {
    Get(u32),
    Put(u32, u64),
    Resize(usize),
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0u32..24).prop_map(Op::Get),
        8 => (0u32..24, 0u64..1000).prop_map(|(k, v)| Op::Put(k, v)),
        1 => (1usize..10).prop_map(Op::Resize),
        1 => Just(Op::Clear),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn same_as_lru_cache(capacity in 1usize..10, ops in prop::collection::vec(op(), 1..300)) {
        let mut ours = Recency::new(capacity);
        let mut theirs = LruCache::new(NonZeroUsize::new(capacity).unwrap());
        for (i, op) in ops.iter().enumerate() {
            match *op {
                Op::Get(k) => prop_assert_eq!(ours.get(k), theirs.get(&k).copied(), "op {} {:?}", i, op),
                Op::Put(k, v) => {
                    ours.put(k, v);
                    theirs.put(k, v);
                }
                Op::Resize(c) => {
                    ours.resize(c);
                    theirs.resize(NonZeroUsize::new(c).unwrap());
                }
                Op::Clear => {
                    ours.clear();
                    theirs.clear();
                }
            }
            prop_assert_eq!(ours.len(), theirs.len(), "op {} {:?}", i, op);
        }
        for k in 0..24 {
            prop_assert_eq!(ours.get(k), theirs.get(&k).copied(), "key {}", k);
        }
    }
}
