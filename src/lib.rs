//! Metastable Playground: a live model of clients, a cache and a backend that tips into
//! metastable collapse and recovers, or not.
//!
//! [`sim`] is the engine and [`playback`] drives it against wall-clock frames; both are free of
//! any web dependency.

pub mod link;
pub mod playback;
pub mod sim;
#[cfg(feature = "web")]
pub mod ui;
