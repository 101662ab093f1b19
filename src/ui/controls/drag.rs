//! The slider being dragged: a drag is one change of settings, however many values it passes.

use crate::sim::engine::Simulation;
use crate::sim::scenario::ScenarioError;

#[derive(Default)]
pub struct Drag {
    /// The path of the slider held, after a change it made.
    held: Option<String>,
}

impl Drag {
    /// Sets `path` to `value` in `sim`: while the slider is held, continuing the drag's change
    /// (one mark, where the drag began). Each run a move reaches is set before [`Drag::moved`].
    pub fn set(&self, sim: &mut Simulation, path: &str, value: &str) -> Result<(), ScenarioError> {
        match self.held.as_deref() {
            Some(held) if held == path => sim.set_continuing(path, value),
            _ => sim.set(path, value),
        }
    }

    /// The slider `path` moved, its change made if `ok`; `released` lets go of it.
    pub fn moved(&mut self, path: &str, ok: bool, released: bool) {
        self.held = (ok && !released).then(|| path.to_string());
    }

    /// No slider is held any more.
    pub fn end(&mut self) {
        self.held = None;
    }
}
