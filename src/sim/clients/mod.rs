//! The callers: when new logical requests are created and which key each asks for.

mod arrivals;
mod keys;

pub use arrivals::{Arrivals, exponential};
pub use keys::{KeySampler, top_keys_mass};
