//! The simulation engine. No browser, no DOM, no I/O: a pure library driven by a small API and tested
//! natively. One folder per concept of the model (see MODEL.md):
//! `scenario` (settings), `clients` (arrivals, keys), `retry` (backoff, jitter, admission),
//! `cache`, `backend`, `faults` (triggers), `metrics`, `health`, `presets`, and `engine`, which
//! runs them as a discrete-event simulation; `run` drives the engine with the health judge beside it.

pub mod backend;
pub mod cache;
pub mod clients;
pub mod draws;
pub mod engine;
pub mod faults;
pub mod health;
pub mod lessons;
pub mod metrics;
pub mod prefetch;
pub mod presets;
pub mod retry;
pub mod run;
pub mod scenario;
pub mod sweep;

pub use engine::{ChangeMark, LifecycleEvent, Progress, Simulation, Stage};
pub use health::{HealthState, Verdict};
pub use metrics::{Totals, Window};
pub use run::Run;
pub use scenario::{Scenario, ScenarioError, Trigger, TriggerKind};
