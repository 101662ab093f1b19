//! The browser app: a thin view of the engine. Components render; the engine decides. Every
//! number on screen is read from the engine's windows, totals or scenario.

mod app;
mod banner;
mod charts;
mod controls;
mod diagram;
mod transport;
mod triggers;

pub use app::App;
