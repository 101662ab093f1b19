//! A lesson on screen, built for a projector: one step at a time, its text, its prediction, the
//! one control that matters, its goal with progress, the banner always in view, and only the
//! charts the step needs — two runs side by side on the same seed when the step compares. The
//! step's run starts where the engine's lesson says (run fast from zero), paused; keys drive it
//! (see [`keys`]).

mod index;
pub mod keys;
mod view;

pub use index::LessonIndex;

use crate::link::LessonLink;
use crate::playback::Playback;
use crate::sim::lessons::{Checker, Control, Lesson, Step};
use crate::sim::scenario::Scenario;
use crate::ui::browser::{self, KeyListener};
use crate::ui::controls::Drag;
use crate::ui::diagram::Dots;
use gloo_render::{AnimationFrame, request_animation_frame};
use keys::Key;
use std::rc::Rc;
use yew::prelude::*;

/// Simulated seconds per wall second a step plays at, unless the link says.
const LESSON_SPEED: f64 = 2.0;
/// Wall milliseconds between re-renders.
const RENDER_EVERY_MS: f64 = 66.0;

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    /// The lesson and step shown (a lesson is named).
    pub link: LessonLink,
    /// Simulated seconds per wall second (by default [`LESSON_SPEED`]).
    #[prop_or_default]
    pub speed: Option<f64>,
    /// Asks for another step of the lesson (from 0).
    pub on_step: Callback<usize>,
    pub projector: bool,
    pub on_projector: Callback<()>,
    /// Shown in a post (`embed=1`): no presenter buttons.
    #[prop_or_default]
    pub embedded: bool,
    #[prop_or_default]
    pub reduced_motion: bool,
}

pub enum LessonMsg {
    Frame(f64),
    Key(Key),
    /// A choice of the prediction was picked.
    Pick(usize),
    /// The picked choice is the learner's answer.
    Answer,
    /// The step's control moved: (path, value, released).
    Set(String, String, bool),
    /// The step's trigger was pressed.
    Fire,
}

/// One run of the step: its playback, the check followed on it, and its diagram's dots.
struct Side {
    playback: Playback,
    checker: Checker,
    dots: Dots,
}

pub struct LessonPlayer {
    lesson: &'static Lesson,
    step: usize,
    /// The step's run, and the variant beside it.
    runs: Vec<Side>,
    /// The settings in force in the step's run, for its control, and their version.
    scenario: Rc<Scenario>,
    scenario_version: Option<u64>,
    notes: Rc<Vec<(&'static str, String)>>,
    picked: Option<usize>,
    answer: Option<usize>,
    /// The slider being dragged, whose moves continue one change.
    drag: Drag,
    /// The end of the step's slider, set when the step starts so that it holds still while the
    /// slider moves.
    slider_max: Option<f64>,
    /// Said when the learner tries to play before answering.
    hint: Option<&'static str>,
    error: Option<String>,
    frame: Option<AnimationFrame>,
    last_render_ms: f64,
    /// A new step was loaded: its heading takes focus once drawn, which brings it into view.
    focus_step: bool,
    _keys: Option<KeyListener>,
}

impl LessonPlayer {
    fn step(&self) -> &'static Step {
        &self.lesson.steps[self.step]
    }

    /// Starts the step's run (and its variant) at the step's start, paused.
    fn load(&mut self, step: usize, speed: Option<f64>) {
        self.step = step.min(self.lesson.steps.len() - 1);
        self.drag.end();
        let step = self.step();
        let started = std::iter::once(Some(step.start()))
            .chain(std::iter::once(step.start_beside()))
            .flatten()
            .zip(std::iter::once(step.check).chain(step.beside.map(|b| b.check)));
        self.runs.clear();
        self.error = None;
        for (run, check) in started {
            match run {
                Ok(run) => {
                    let from_s = step.goal_from_s(run.sim().scenario());
                    let mut playback = Playback::from_run(run);
                    playback.set_speed(speed.unwrap_or(LESSON_SPEED));
                    playback.set_playing(false);
                    self.runs.push(Side { playback, checker: Checker::new(check, from_s), dots: Dots::default() });
                }
                Err(e) => self.error = Some(format!("this step cannot run: {e}")),
            }
        }
        (self.picked, self.answer, self.hint, self.scenario_version) = (None, None, None, None);
        self.sync_scenario();
        self.slider_max = match step.control {
            Control::Set { path, value } => view::slider_max(&self.scenario, path, value),
            _ => None,
        };
    }

    /// Shows the settings in force in the step's control when they have changed (a frame reads
    /// only the settings' version, not the settings).
    fn sync_scenario(&mut self) {
        if let Some(side) = self.runs.first() {
            let sim = side.playback.sim();
            if self.scenario_version != Some(sim.settings_version()) {
                self.scenario_version = Some(sim.settings_version());
                self.notes = crate::ui::controls::notes(sim.scenario());
                self.scenario = Rc::new(sim.scenario().clone());
            }
        }
    }

    /// The step's check is met.
    fn done(&self) -> bool {
        self.runs.first().is_some_and(|s| s.checker.done_at_s().is_some())
    }

    fn playing(&self) -> bool {
        self.runs.first().is_some_and(|s| s.playback.playing())
    }

    /// A prediction still waits for its answer.
    fn must_answer(&self) -> bool {
        self.step().predict.is_some() && self.answer.is_none()
    }

    fn set_playing(&mut self, playing: bool) {
        if playing && self.must_answer() {
            self.hint = Some("Answer the question first: the run shows the answer.");
            return;
        }
        self.hint = None;
        self.runs.iter_mut().for_each(|s| s.playback.set_playing(playing));
    }

    fn key(&mut self, ctx: &Context<Self>, key: Key) {
        let last = self.lesson.steps.len() - 1;
        match key {
            // The step's check unlocks the next one; a presenter can still jump with a step's number.
            Key::Next if self.step < last && !self.done() => {
                self.hint = Some("Reach the goal first: it unlocks the next step (a step's number jumps to it).")
            }
            Key::Next if self.step < last => ctx.props().on_step.emit(self.step + 1),
            // On the last step, → goes on to the next lesson once the goal is reached.
            Key::Next => match view::next_step(self) {
                view::After::Lesson(..) if !self.done() => {
                    self.hint = Some("Reach the goal first: it unlocks the next lesson.")
                }
                view::After::Lesson(_, href) => browser::go_to_fragment(&href),
                view::After::Step | view::After::End => {}
            },
            Key::Previous if self.step > 0 => ctx.props().on_step.emit(self.step - 1),
            Key::Jump(n) if n <= last && n != self.step => ctx.props().on_step.emit(n),
            Key::Previous | Key::Jump(_) => {}
            Key::TogglePlay => self.set_playing(!self.playing()),
            Key::Restart => self.load(self.step, ctx.props().speed),
            Key::FullScreen => browser::toggle_full_screen(),
            Key::Projector => ctx.props().on_projector.emit(()),
        }
    }

    /// Applies the learner's action to every run, so the two sides differ only in their settings.
    /// Returns whether it worked on every run.
    fn act(&mut self, action: impl Fn(&mut Playback) -> Result<(), String>) -> bool {
        let mut worked = true;
        for side in &mut self.runs {
            if let Err(e) = action(&mut side.playback) {
                self.error = Some(e);
                worked = false;
            }
        }
        self.sync_scenario();
        worked
    }

    fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |t| link.send_message(LessonMsg::Frame(t))));
    }
}

impl Component for LessonPlayer {
    type Message = LessonMsg;
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.props().link;
        let lesson = link.lesson().unwrap_or(crate::sim::lessons::all()[0]);
        let mut player = LessonPlayer {
            lesson,
            step: 0,
            runs: Vec::new(),
            scenario: Rc::new(Scenario::default()),
            scenario_version: None,
            notes: Rc::new(Vec::new()),
            picked: None,
            drag: Drag::default(),
            slider_max: None,
            answer: None,
            hint: None,
            error: None,
            frame: None,
            last_render_ms: f64::NEG_INFINITY,
            focus_step: false,
            _keys: keys::listen(ctx.link().callback(LessonMsg::Key), |_| true),
        };
        player.load(link.step, ctx.props().speed);
        player.schedule_frame(ctx);
        player
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let link = ctx.props().link;
        if link != old.link || ctx.props().speed != old.speed {
            self.lesson = link.lesson().unwrap_or(self.lesson);
            self.load(link.step, ctx.props().speed);
            self.focus_step = link != old.link;
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        if std::mem::take(&mut self.focus_step) {
            browser::focus_id("lesson-step");
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            LessonMsg::Frame(wall_ms) => {
                let diagram = self.step().diagram;
                for side in &mut self.runs {
                    side.playback.frame(wall_ms);
                    side.checker.observe(side.playback.run());
                    if diagram {
                        let speed = side.playback.speed();
                        side.dots.take(side.playback.sim_mut(), wall_ms, speed, ctx.props().reduced_motion);
                    }
                }
                self.sync_scenario();
                self.schedule_frame(ctx);
                let due = wall_ms - self.last_render_ms >= RENDER_EVERY_MS;
                if due {
                    self.last_render_ms = wall_ms;
                }
                due
            }
            LessonMsg::Key(key) => {
                self.key(ctx, key);
                true
            }
            LessonMsg::Pick(choice) => {
                self.picked = Some(choice);
                true
            }
            LessonMsg::Answer => {
                self.answer = self.picked;
                self.set_playing(true);
                true
            }
            LessonMsg::Set(path, value, released) => {
                let drag = std::mem::take(&mut self.drag);
                let wall_ms = browser::now_ms();
                let worked = self.act(|p| drag.set(p.sim_mut(), &path, &value, wall_ms).map_err(|e| e.to_string()));
                self.drag = drag;
                self.drag.moved(&path, worked, released, wall_ms);
                // Letting go of the control is the learner's move: the run goes on.
                if released {
                    self.set_playing(true);
                }
                true
            }
            LessonMsg::Fire => {
                let step = self.step();
                self.act(|p| step.act(p.sim_mut()).map_err(|e| e.to_string()));
                self.set_playing(true);
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        view::render(self, ctx)
    }
}
