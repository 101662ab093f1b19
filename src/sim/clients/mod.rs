//! The callers: when new logical requests are created and which key each asks for.

mod arrivals;
mod keys;

pub use arrivals::Arrivals;
pub use keys::{KeySampler, KeyStream, top_keys_mass};
