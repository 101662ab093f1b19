//! The slider being moved: a drag is one change of settings, however many values it passes, and so
//! are presses of its arrow keys in quick succession.

use crate::sim::engine::Simulation;
use crate::sim::scenario::ScenarioError;

/// How soon after a slider is let go (wall milliseconds) a move of it continues its change: the
/// next arrow-key press, each of which lets go at once.
const PRESSES_MS: f64 = 1500.0;

#[derive(Default)]
pub struct Drag {
    /// The slider that made the last change, and when it was let go (wall milliseconds; `None`
    /// while it is held).
    last: Option<(String, Option<f64>)>,
}

impl Drag {
    /// Sets `path` to `value` in `sim` at wall time `now_ms`: while the slider is held, or soon
    /// after it was let go, continuing its change (one mark, where the change began). Each run a
    /// move reaches is set before [`Drag::moved`].
    pub fn set(&self, sim: &mut Simulation, path: &str, value: &str, now_ms: f64) -> Result<(), ScenarioError> {
        match &self.last {
            Some((p, let_go)) if p == path && let_go.is_none_or(|at| now_ms - at <= PRESSES_MS) => {
                sim.set_continuing(path, value)
            }
            _ => sim.set(path, value),
        }
    }

    /// The slider `path` moved at `now_ms`, its change made if `ok`; `released` lets go of it.
    pub fn moved(&mut self, path: &str, ok: bool, released: bool, now_ms: f64) {
        self.last = ok.then(|| (path.to_string(), released.then_some(now_ms)));
    }

    /// The slider `path` is let go at `now_ms` with no change of its own (its value is the one it
    /// last set): a change it is making stays open to the next press.
    pub fn let_go(&mut self, path: &str, now_ms: f64) {
        match &mut self.last {
            Some((p, let_go @ None)) if p == path => *let_go = Some(now_ms),
            _ => self.last = None,
        }
    }

    /// No slider is held any more, and the next move starts a change of its own.
    pub fn end(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::Drag;
    use crate::sim::{Scenario, Simulation};

    /// One arrow-key press at `at_ms`: the slider's input, then its change, which lets go. The
    /// lesson sets the value again when it lets go; the playground, which skips a value already
    /// in force, lets go alone (`alone`).
    fn press(drag: &mut Drag, sim: &mut Simulation, path: &str, value: &str, at_ms: f64, alone: bool) {
        let ok = drag.set(sim, path, value, at_ms).is_ok();
        drag.moved(path, ok, false, at_ms);
        if alone {
            drag.let_go(path, at_ms);
        } else {
            let ok = drag.set(sim, path, value, at_ms).is_ok();
            drag.moved(path, ok, true, at_ms);
        }
    }

    #[test]
    fn presses_in_quick_succession_are_one_change_and_a_pause_or_another_field_starts_the_next() {
        for alone in [false, true] {
            let mut sim = Simulation::new(Scenario::default()).expect("valid");
            let mut drag = Drag::default();
            let load = "clients.load_rps";
            for (i, value) in ["2550", "2600", "2650"].into_iter().enumerate() {
                sim.run_until((i as u64 + 1) * 1_000_000_000);
                press(&mut drag, &mut sim, load, value, 300.0 * i as f64, alone);
            }
            press(&mut drag, &mut sim, "backend.workers", "30", 900.0, alone);
            press(&mut drag, &mut sim, load, "2700", 1000.0, alone);
            // More than 1.5 s after the last press: a change of its own.
            press(&mut drag, &mut sim, load, "2750", 2600.0, alone);
            let marks: Vec<(f64, String)> =
                sim.change_marks().map(|m| (m.t_s, format!("{} {:?}", m.field.path, m.to))).collect();
            assert_eq!(marks.len(), 4, "{alone}: {marks:?}");
            assert_eq!(
                marks[0],
                (1.0, "clients.load_rps Number(2650.0)".to_string()),
                "at the first press, the last value"
            );
            assert_eq!(marks[1].1, "backend.workers Number(30.0)");
            assert_eq!(marks[2].1, "clients.load_rps Number(2700.0)");
            assert_eq!(marks[3].1, "clients.load_rps Number(2750.0)");
            drag.end();
            press(&mut drag, &mut sim, load, "2800", 2700.0, alone);
            assert_eq!(sim.change_marks().count(), 5, "after an end, a press starts a change");
        }
    }

    #[test]
    fn letting_go_of_a_slider_that_made_no_change_leaves_older_changes_alone() {
        let mut sim = Simulation::new(Scenario::default()).expect("valid");
        let mut drag = Drag::default();
        sim.set("clients.load_rps", "3000").expect("valid");
        // Clicked and let go at its own value: no change is open, so the next press starts one.
        drag.let_go("clients.load_rps", 0.0);
        sim.run_until(5_000_000_000);
        press(&mut drag, &mut sim, "clients.load_rps", "3050", 100.0, true);
        let values: Vec<String> = sim.change_marks().map(|m| format!("{:?}", m.to)).collect();
        assert_eq!(values, ["Number(3000.0)", "Number(3050.0)"]);
    }
}
