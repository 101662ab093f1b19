//! Short names for the fields people change most (declared in the field table), used in links and
//! in an embed's `controls=` list.

use crate::sim::scenario::fields::{find, first_tier};

/// Every short name, in field order.
pub fn short_names() -> impl Iterator<Item = &'static str> {
    first_tier().filter_map(|f| f.short)
}

/// The dotted path a link key stands for: a short name's field, or the key itself.
pub fn path_of(key: &str) -> &str {
    find(key).map_or(key, |f| f.path)
}

/// The key a field is written under: its short name if it has one, else its dotted path.
pub fn key_of(path: &str) -> String {
    find(path).map_or_else(|| path.to_string(), |f| f.link_key())
}
