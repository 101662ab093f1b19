//! The browser app: a thin view of the engine. Components render; the engine decides. Every
//! number on screen is read from the engine's windows, totals or scenario.

mod app;
pub mod banner;
mod browser;
pub mod chain;
pub mod charts;
pub mod controls;
pub mod diagram;
pub mod embed_dialog;
mod export;
mod icons;
pub mod lesson;
mod share;
pub mod sweep;
pub mod timeline;
pub mod transport;
pub mod triggers;

pub use app::App;

/// `n` and a noun that takes an s for more than one: "1 run", "12 runs".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
