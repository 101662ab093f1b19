//! Metastable Playground: a live model of clients, a cache and a backend that tips into
//! metastable collapse and recovers, or not.
//!
//! [`sim`] is the engine, free of any web dependency.

pub mod sim;
