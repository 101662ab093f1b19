//! Playback: drives a simulation against wall-clock frames — play, pause, single step, speed —
//! with an event budget per frame so the page never freezes. No browser types: the caller passes
//! the frame's wall time, so this is tested natively.

use crate::sim::scenario::{Scenario, ScenarioError, s_to_ns};
use crate::sim::{Run, Simulation, Verdict};

/// Speeds offered, in simulated seconds per wall second.
pub const SPEEDS: [f64; 8] = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0];

/// Events the engine may process in one frame.
pub const FRAME_BUDGET: u64 = 60_000;

/// Longest wall gap a frame may account for (a hidden tab resumes without a jump).
const MAX_FRAME_GAP_MS: f64 = 100.0;

/// A simulation with a play head.
pub struct Playback {
    run: Run,
    playing: bool,
    speed: f64,
    /// Simulated time the play head aims at; the engine catches up within its budget.
    target_ns: u64,
    last_frame_ms: Option<f64>,
    /// Simulated seconds per wall second actually achieved, smoothed.
    effective_speed: f64,
}

/// What one frame did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub events: u64,
    /// The engine is behind the play head (it could not keep up this frame).
    pub behind: bool,
}

impl Playback {
    pub fn new(scenario: Scenario) -> Result<Self, ScenarioError> {
        Ok(Self::from_run(Run::new(scenario)?))
    }

    /// Plays `run` on from where it is (e.g. a lesson step's run, advanced to its start).
    pub fn from_run(run: Run) -> Self {
        let target_ns = run.sim().now_ns();
        Playback { run, playing: true, speed: 1.0, target_ns, last_frame_ms: None, effective_speed: 1.0 }
    }

    pub fn sim(&self) -> &Simulation {
        self.run.sim()
    }

    pub fn sim_mut(&mut self) -> &mut Simulation {
        self.run.sim_mut()
    }

    /// The run with its judge.
    pub fn run(&self) -> &Run {
        &self.run
    }

    /// The newest verdict.
    pub fn health(&self) -> Verdict {
        self.run.health()
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Simulated seconds per wall second actually achieved lately.
    pub fn effective_speed(&self) -> f64 {
        self.effective_speed
    }

    pub fn set_playing(&mut self, playing: bool) {
        self.playing = playing;
        self.last_frame_ms = None;
    }

    /// Sets the speed, clamped to the offered range.
    pub fn set_speed(&mut self, speed: f64) {
        self.speed = speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]);
    }

    /// Replaces the run with a fresh one of `scenario` (the same speed; playing).
    pub fn reset(&mut self, scenario: Scenario) -> Result<(), ScenarioError> {
        let speed = self.speed;
        *self = Playback::new(scenario)?;
        self.speed = speed;
        Ok(())
    }

    /// Pauses and moves the play head forward to `target_ns` (a link's start time); the following
    /// frames advance the engine there within their budgets, so the page never freezes.
    pub fn seek(&mut self, target_ns: u64) {
        self.playing = false;
        self.last_frame_ms = None;
        self.target_ns = self.target_ns.max(target_ns);
    }

    /// Pauses and moves the play head to the end of the current metrics window; the following
    /// frames advance the engine there within their budgets.
    pub fn step(&mut self) {
        self.playing = false;
        self.last_frame_ms = None;
        let window_ns = s_to_ns(self.run.sim().scenario().metrics.window_s).max(1);
        self.target_ns = (self.target_ns.max(self.run.sim().now_ns()) / window_ns + 1) * window_ns;
    }

    /// Paused with the engine at the play head and nothing left to judge: a step has arrived.
    pub fn at_rest(&self) -> bool {
        !self.playing && self.run.sim().now_ns() >= self.target_ns && !self.run.judging()
    }

    /// Where the play head is, in simulated nanoseconds.
    pub fn target_ns(&self) -> u64 {
        self.target_ns
    }

    /// Called once per animation frame with the frame's wall time in milliseconds.
    pub fn frame(&mut self, wall_ms: f64) -> Frame {
        let gap_ms = self.last_frame_ms.map_or(0.0, |last| (wall_ms - last).clamp(0.0, MAX_FRAME_GAP_MS));
        self.last_frame_ms = Some(wall_ms);
        if self.playing {
            self.target_ns = self.target_ns.max(self.run.sim().now_ns()) + s_to_ns(gap_ms / 1e3 * self.speed);
        }
        let before_ns = self.run.sim().now_ns();
        let progress = self.run.advance_to(self.target_ns, FRAME_BUDGET);
        if !progress.reached && self.playing {
            // Never let the play head run away from an engine that cannot keep up. (A step keeps
            // its target: the next frames finish it.)
            self.target_ns = self.run.sim().now_ns();
        }
        if self.playing && gap_ms > 0.0 {
            let achieved = (self.run.sim().now_ns() - before_ns) as f64 / 1e9 / (gap_ms / 1e3);
            self.effective_speed = 0.9 * self.effective_speed + 0.1 * achieved;
        }
        // Waiting for a fresh run is checking, and catching up while paused (a step, a start time)
        // is arriving: neither is falling behind.
        Frame { events: progress.events, behind: !progress.reached && !self.run.judging() && self.playing }
    }
}
