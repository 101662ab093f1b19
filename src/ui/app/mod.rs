//! The root component: owns the playback, advances it once per animation frame within an event
//! budget, and re-renders about fifteen times a second.

mod embed_view;
mod links;
mod share;
mod view;

use super::browser;
use super::controls::Drag;
use super::diagram::Dots;
use super::lesson::keys::{self, Key};
use super::lesson::{LessonIndex, LessonPlayer};
use super::share::ShareAction;
use super::transport::Command;
use crate::link::{self, Embed, LessonLink, Link, LoopLink, MapLink, Theme};
use crate::playback::Playback;
use crate::sim::engine::Scheduled;
use crate::sim::scenario::{Scenario, ScheduledChange, ScheduledTrigger, path, s_to_ns};
use crate::sim::{Trigger, presets};
use gloo_render::{AnimationFrame, request_animation_frame};
use links::{now_ms, open_link};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// Simulated seconds shown on the charts, at most and at least.
const VIEW_S: f64 = 120.0;
const MIN_VIEW_S: f64 = 10.0;
/// Wall milliseconds between re-renders.
const RENDER_EVERY_MS: f64 = 66.0;

pub enum Msg {
    Frame(f64),
    /// A control moved: (path, value, released). While recording, a slider applies on release
    /// only, so a drag is one recorded change.
    Set(String, String, bool),
    /// A trigger, now or at a simulated time.
    Fire(Trigger, Option<f64>),
    /// A change of a field to a value at a simulated time.
    Schedule(ScheduledChange),
    Unschedule(Scheduled),
    ToggleRecord,
    Command(Command),
    DismissError,
    DismissNotices,
    ToggleTheme,
    Share(ShareAction),
    LinkCopied(bool),
    CloseEmbedDialog,
    /// The page came into view (and its tab is shown), or left it.
    Visible(bool),
    /// The URL fragment was changed by hand or by a link to this page.
    HashChanged,
    /// A new number of tiers: the run restarts with tiers added (with their defaults) or removed.
    SetTiers(usize),
    /// Show the settings of a tier (0 for the first) in the controls.
    ShowTier(usize),
    /// Chart one tier (0 for the first), or every tier at once.
    ChartTier(Option<usize>),
    /// Run this scenario (a map's cell) in the live view.
    Open(Box<Scenario>),
    /// A map or loops were started, or a map cancelled (`None`): the link follows.
    MapDrawn(Option<MapLink>),
    LoopsDrawn(Option<LoopLink>),
    /// Show this step (from 0) of the lesson on screen.
    LessonStep(usize),
    /// Space was pressed on the page (not in a field or on a button).
    Space,
    ToggleProjector,
}

pub struct App {
    playback: Playback,
    preset: String,
    /// The scenario in force, shared with the controls.
    scenario: Rc<Scenario>,
    /// The settings the run starts from (live changes land here when not recording); with the
    /// run's timeline (its own lists are not read), what links, exports and Reset replay.
    settings: Scenario,
    /// Live changes and fired triggers are written into the timeline.
    recording: bool,
    /// The slider being dragged, whose moves continue one change.
    drag: Drag,
    /// The tier whose settings the controls show (0 for the first).
    shown_tier: usize,
    /// The tier the charts show, or every tier at once.
    chart_tier: Option<usize>,
    /// Notes under the controls, computed when the settings change.
    notes: Rc<Vec<(&'static str, String)>>,
    dots: Dots,
    frame: Option<AnimationFrame>,
    last_render_ms: f64,
    behind: bool,
    reduced_motion: bool,
    dark: bool,
    error: Option<String>,
    /// Why the timeline's last Schedule was refused, shown beside its form.
    schedule_error: Option<String>,
    /// What a link could not use, shown until dismissed.
    notices: Vec<String>,
    /// Present when the page is an embed.
    embed: Option<Embed>,
    /// When (performance.now ms) the scenario last changed and the URL has yet to follow.
    link_changed_ms: Option<f64>,
    share_status: Option<String>,
    embed_dialog: bool,
    /// Playing was suspended because the embed left the screen.
    suspended: bool,
    /// An embed's "Open in playground" address: this scenario without the embed settings.
    full_url: String,
    /// The map and loops drawn (or a link's, to draw), for links and embeds.
    map: Option<MapLink>,
    loops: Option<LoopLink>,
    /// The preset the last map was drawn under, and the map unless it was cancelled: a cell
    /// opened from it is that preset's, even after another preset was chosen (the map then shows
    /// as stale).
    map_drawn: Option<(String, Option<MapLink>)>,
    /// Present when the page shows a lesson, or the list of them, instead of the playground.
    lesson: Option<LessonLink>,
    /// The high-contrast projector theme.
    projector: bool,
    /// The speed a lesson link gives (else lessons play at their own).
    lesson_speed: Option<f64>,
    /// Where runs start (`t=`): the run is advanced there, fast, on opening and on Reset.
    start_s: Option<f64>,
    /// Play once the run has reached its start.
    play_at_start: bool,
    _keys: Option<browser::KeyListener>,
    /// Space is the playground's (no lesson on screen), read by the key listener.
    space_plays: Rc<Cell<bool>>,
}

fn preset_scenario(name: &str) -> Scenario {
    presets::find(name).map(|p| (p.scenario)()).unwrap_or_default()
}

/// An embed waits for Play unless told to start; a lesson runs its own steps while the
/// playground waits behind it.
fn starts_paused(embed: Option<&Embed>, lesson: Option<&LessonLink>) -> bool {
    embed.is_some_and(|e| !e.autoplay) || lesson.is_some()
}

fn prefers(query: &str) -> bool {
    web_sys::window().and_then(|w| w.match_media(query).ok().flatten()).is_some_and(|m| m.matches())
}

/// Sets the page's theme (`data-theme` on the root element, read by the style sheet).
fn apply_theme(dark: bool) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

impl App {
    fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |t| link.send_message(Msg::Frame(t))));
    }

    /// Shows the settings in force in the controls (and their notes) when they have changed.
    fn sync_controls(&mut self) {
        let scenario = self.playback.sim().scenario();
        if *self.scenario != *scenario || self.notes.is_empty() {
            self.notes = crate::ui::controls::notes(scenario);
            self.scenario = Rc::new(scenario.clone());
        }
    }

    fn refresh_scenario(&mut self) {
        self.sync_controls();
        self.link_changed_ms = Some(now_ms());
        if self.embed.is_some() {
            self.full_url = browser::page_url(&link::encode(&Link { embed: None, ..self.link() }));
        }
    }

    /// The scenario to replay: the starting settings with the run's timeline (scheduled and
    /// recorded items).
    pub(super) fn start(&self) -> Scenario {
        let sim = self.playback.sim().scenario();
        Scenario { triggers: sim.triggers.clone(), changes: sim.changes.clone(), ..self.settings.clone() }
    }

    /// Has the scenario been changed from its preset's definition?
    pub(super) fn modified(&self) -> bool {
        presets::find(&self.preset).is_some_and(|p| (p.scenario)() != self.start())
    }

    /// Have settings other than the seed been changed from the preset's? (A map states its seeds.)
    pub(super) fn settings_modified(&self) -> bool {
        let start = self.start();
        presets::find(&self.preset).is_some_and(|p| Scenario { seed: start.seed, ..(p.scenario)() } != start)
    }

    fn restart(&mut self, scenario: Scenario) {
        match self.playback.reset(scenario.clone()) {
            Ok(()) => {
                self.error = None;
                self.seek_start(true);
                self.settings = scenario;
                self.dots.clear();
                self.drag.end();
                self.refresh_scenario();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Sends the run to its start time (`t=`), if any, to play from there when `then_play`.
    fn seek_start(&mut self, then_play: bool) {
        if let Some(start_s) = self.start_s {
            self.playback.seek(s_to_ns(start_s));
            self.play_at_start = then_play;
        }
    }

    fn command(&mut self, command: Command) {
        match command {
            // While the play head is on its way (a link's start time, a step), Play plays once it
            // has arrived, so that the run still starts where the link says.
            Command::TogglePlay if !self.playback.playing() && !self.playback.at_rest() => self.play_at_start = true,
            Command::TogglePlay => self.playback.set_playing(!self.playback.playing()),
            Command::Step => self.playback.step(),
            Command::Reset => self.restart(self.start()),
            Command::Speed(speed) => {
                self.playback.set_speed(speed);
                self.link_changed_ms = Some(now_ms());
            }
            Command::Seed(text) => match text.trim().parse::<u64>() {
                Ok(seed) => self.restart(Scenario { seed, ..self.start() }),
                Err(_) => self.error = Some(format!("seed: {text:?} is not a whole number from 0 to {}", u64::MAX)),
            },
            // Another scenario: a map or loops drawn for this one no longer go into its link.
            Command::Restore => {
                (self.map, self.loops, self.start_s) = (None, None, None);
                self.restart(preset_scenario(&self.preset));
            }
            Command::Preset(name) => {
                (self.map, self.loops, self.start_s) = (None, None, None);
                self.preset = name;
                self.restart(preset_scenario(&self.preset));
            }
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let (Link { scenario, preset, speed, start_s, embed, map, loops, lesson }, mut notices) =
            open_link(&browser::fragment());
        let mut playback = Playback::new(scenario).unwrap_or_else(|e| {
            notices.push(format!("the link's scenario cannot run ({e}); showing the default"));
            Playback::new(Scenario::default()).expect("the default scenario is valid")
        });
        if let Some(speed) = speed {
            playback.set_speed(speed);
        }
        // The run's own scenario: the link's, or the default when that cannot run.
        let settings = playback.sim().scenario().clone();
        if starts_paused(embed.as_ref(), lesson.as_ref()) {
            playback.set_playing(false);
        }
        let dark = match embed.as_ref().map_or(Theme::Auto, |e| e.theme) {
            Theme::Auto => prefers("(prefers-color-scheme: dark)"),
            Theme::Light => false,
            Theme::Dark => true,
        };
        let mut app = App {
            playback,
            preset: preset.unwrap_or_default(),
            scenario: Rc::new(Scenario::default()),
            settings,
            recording: false,
            drag: Drag::default(),
            shown_tier: 0,
            chart_tier: None,
            notes: Rc::new(Vec::new()),
            dots: Dots::default(),
            frame: None,
            last_render_ms: f64::NEG_INFINITY,
            behind: false,
            reduced_motion: prefers("(prefers-reduced-motion: reduce)"),
            dark,
            error: None,
            schedule_error: None,
            notices,
            embed,
            link_changed_ms: None,
            share_status: None,
            embed_dialog: false,
            suspended: false,
            full_url: String::new(),
            map,
            loops,
            map_drawn: None,
            lesson,
            projector: false,
            lesson_speed: speed.filter(|_| lesson.is_some()),
            start_s,
            play_at_start: false,
            _keys: None,
            space_plays: Rc::new(Cell::new(lesson.is_none())),
        };
        app.seek_start(app.playback.playing());
        app.refresh_scenario();
        // Opening a link rewrites it only once something changes.
        app.link_changed_ms = None;
        apply_theme(app.dark);
        browser::remove_poster();
        // Space plays and pauses the playground; a lesson on screen has its own keys.
        let playground = app.space_plays.clone();
        app._keys =
            keys::listen(ctx.link().callback(|_| Msg::Space), move |key| key == Key::TogglePlay && playground.get());
        browser::on_hash_change(ctx.link().callback(|_| Msg::HashChanged));
        if app.embed.is_some() {
            browser::watch_visibility(ctx.link().callback(Msg::Visible));
            if browser::framed() {
                browser::report_height();
            }
        }
        app.schedule_frame(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            Msg::Frame(wall_ms) => {
                self.write_link_when_settled();
                let version = self.playback.sim().settings_version();
                let frame = self.playback.frame(wall_ms);
                self.behind = frame.behind;
                if self.play_at_start && self.playback.at_rest() {
                    self.play_at_start = false;
                    self.playback.set_playing(true);
                }
                if self.playback.sim().settings_version() != version {
                    // A scheduled change took effect.
                    self.sync_controls();
                }
                let speed = self.playback.speed();
                self.dots.take(self.playback.sim_mut(), wall_ms, speed, self.reduced_motion);
                self.schedule_frame(ctx);
                let due = wall_ms - self.last_render_ms >= RENDER_EVERY_MS;
                if due {
                    self.last_render_ms = wall_ms;
                }
                due
            }
            Msg::Set(path, value, released) => {
                let unchanged = path::get(self.playback.sim().scenario(), &path)
                    .zip(path::field(&path).ok().and_then(|f| f.parse(&value).ok()))
                    .is_some_and(|(now, new)| now == new);
                // An error about this setting goes once a value of it is taken (or it is left as it was).
                let named = self.error.as_ref().is_some_and(|e| e.starts_with(&path));
                if named {
                    self.error = None;
                }
                if unchanged || (self.recording && !released) {
                    if released {
                        self.drag.let_go(&path, browser::now_ms());
                    }
                    return named;
                }
                if self.recording {
                    // A recorded change is one scheduled item: it continues no drag.
                    self.drag.end();
                }
                let wall_ms = browser::now_ms();
                let result = self.drag.set(self.playback.sim_mut(), &path, &value, wall_ms);
                self.drag.moved(&path, result.is_ok(), released, wall_ms);
                match result {
                    Ok(()) if self.recording => self.playback.sim_mut().record_newest_change(),
                    Ok(()) => match path::set(&self.settings, &path, &value) {
                        Ok(settings) => self.settings = settings,
                        Err(e) => {
                            self.error =
                                Some(format!("{e} (in the start settings; links and Reset keep the old value)"))
                        }
                    },
                    Err(e) => self.error = Some(e.to_string()),
                }
                self.refresh_scenario();
                true
            }
            Msg::Fire(trigger, at) => {
                let Trigger { kind, magnitude, duration_s, tier } = trigger;
                let sim = self.playback.sim_mut();
                let done = match at {
                    None => sim.fire(trigger).map(|()| {
                        if self.recording {
                            sim.record_trigger(trigger);
                        }
                    }),
                    Some(at_s) => sim.schedule_trigger(ScheduledTrigger { at_s, kind, magnitude, duration_s, tier }),
                };
                // An error shown for an earlier try goes once one is taken.
                // Named as the form shows them, not by their paths (triggers[2].duration_s).
                self.error = done.err().map(|e| {
                    let what = match e.field.rsplit('.').next().unwrap_or_default() {
                        "at_s" => "time",
                        "duration_s" => "duration",
                        other => other,
                    };
                    format!("{}: {what}: {}", kind.label(), e.message)
                });
                self.refresh_scenario();
                true
            }
            Msg::Schedule(change) => {
                self.schedule_error = self.playback.sim_mut().schedule_change(change).err().map(|e| e.message);
                self.refresh_scenario();
                true
            }
            Msg::Unschedule(item) => {
                self.playback.sim_mut().unschedule(item);
                self.refresh_scenario();
                true
            }
            Msg::ToggleRecord => {
                self.recording = !self.recording;
                true
            }

            Msg::Command(command) => {
                self.command(command);
                true
            }
            Msg::DismissError => {
                self.error = None;
                true
            }
            Msg::DismissNotices => {
                self.notices.clear();
                true
            }
            Msg::Share(action) => {
                self.share(ctx, action);
                true
            }
            Msg::LinkCopied(ok) => {
                self.share_status =
                    Some(if ok { "Link copied" } else { "Copy failed: copy the address bar instead" }.to_string());
                true
            }
            Msg::CloseEmbedDialog => {
                self.embed_dialog = false;
                true
            }
            Msg::HashChanged => self.follow_fragment(),
            Msg::Visible(visible) => {
                // A run still on its way to a link's start time plays on arrival: out of view, it
                // waits to be seen instead.
                if !visible && (self.playback.playing() || self.play_at_start) {
                    self.playback.set_playing(false);
                    (self.play_at_start, self.suspended) = (false, true);
                } else if visible && self.suspended {
                    (self.play_at_start, self.suspended) = (true, false);
                }
                true
            }
            Msg::SetTiers(count) => {
                self.restart(self.start().with_tier_count(count));
                let last = self.playback.sim().tier_count() - 1;
                self.shown_tier = self.shown_tier.min(last);
                self.chart_tier = self.chart_tier.filter(|&t| t <= last);
                true
            }
            Msg::ChartTier(tier) => {
                self.chart_tier = tier.filter(|&t| t < self.playback.sim().tier_count());
                true
            }
            Msg::ShowTier(tier) => {
                self.shown_tier = tier.min(self.playback.sim().tier_count() - 1);
                true
            }
            Msg::Open(scenario) => {
                // The cell opens as a page of its own: Back returns to the settings the map was
                // drawn from, with the map (not in an embed, whose reader's Back leaves the post).
                self.write_link(false);
                if let Some((preset, map)) = self.map_drawn.clone() {
                    // Loops drawn under another preset do not belong with this map's scenario.
                    if preset != self.preset {
                        self.loops = None;
                    }
                    (self.preset, self.map) = (preset, map);
                }
                self.start_s = None;
                self.restart(*scenario);
                self.write_link(self.embed.is_none());
                // The keyboard goes where the eyes do: to the live view, at the top of the page, or in
                // a narrow window's one column (style.css), below the header, to the diagram.
                browser::focus_id("playground");
                browser::scroll_to_top_or(".stage .diagram", "(max-width: 900px)");
                true
            }
            Msg::MapDrawn(map) => {
                self.map_drawn = match (&map, self.map_drawn.take()) {
                    (None, Some((preset, _))) => Some((preset, None)),
                    _ => Some((self.preset.clone(), map.clone())),
                };
                self.map = map;
                self.refresh_scenario();
                false
            }
            Msg::LoopsDrawn(loops) => {
                self.loops = loops;
                self.refresh_scenario();
                false
            }
            Msg::LessonStep(step) => {
                if let Some(lesson) = &mut self.lesson {
                    lesson.step = step;
                    // A step is a history entry, so Back returns to the step before.
                    self.write_link(self.embed.is_none());
                }
                true
            }
            Msg::Space => {
                self.command(Command::TogglePlay);
                true
            }
            Msg::ToggleProjector => {
                self.projector = !self.projector;
                browser::set_high_contrast(self.projector);
                true
            }
            Msg::ToggleTheme => {
                self.dark = !self.dark;
                apply_theme(self.dark);
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        // A lesson's page says what of its link it could not use, as the playground does.
        match (&self.lesson, &self.embed) {
            (Some(LessonLink { name: None, .. }), _) => html! { <>{ self.messages(ctx) }<LessonIndex /></> },
            (Some(lesson), _) => html! {
                <>
                    { self.messages(ctx) }
                    <LessonPlayer link={*lesson} speed={self.lesson_speed} embedded={self.embed.is_some()} reduced_motion={self.reduced_motion}
                        on_step={ctx.link().callback(Msg::LessonStep)}
                        projector={self.projector} on_projector={ctx.link().callback(|_| Msg::ToggleProjector)} />
                </>
            },
            (None, Some(embed)) => self.embed_view(ctx, embed),
            (None, None) => self.full_view(ctx),
        }
    }
}
