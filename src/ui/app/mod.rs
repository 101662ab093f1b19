//! The root component: owns the playback, advances it once per animation frame within an event
//! budget, and re-renders about fifteen times a second.

mod embed_view;
mod share;

use super::banner::Banner;
use super::browser;
use super::charts::{Charts, Mark};
use super::controls::ControlPanel;
use super::diagram::{Diagram, Dot};
use super::embed_dialog::EmbedDialog;
use super::share::{ShareAction, ShareBar};
use super::transport::{Command, Transport};
use super::triggers::Triggers;
use crate::link::{self, Embed, Link, Theme};
use crate::playback::Playback;
use crate::sim::scenario::Scenario;
use crate::sim::{Stage, Trigger, presets};
use gloo_render::{AnimationFrame, request_animation_frame};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// Simulated seconds shown on the charts, at most and at least.
const VIEW_S: f64 = 120.0;
const MIN_VIEW_S: f64 = 10.0;
/// Wall milliseconds between re-renders.
const RENDER_EVERY_MS: f64 = 66.0;
/// Sampled requests drawn at once, how long (wall time) a finished one stays, and how long
/// (simulated time) one that has not moved stays: its next step may have left the bounded stream.
const DOTS_KEPT: usize = 90;
const DOT_LINGER_MS: f64 = 900.0;
const DOT_STALE_NS: u64 = 5_000_000_000;
/// New dots per wall second the sampling aims at.
const DOTS_PER_S: f64 = 40.0;
const FIRST_PRESET: &str = "retry-storm";
/// Wall milliseconds without a change before the URL is rewritten.
const LINK_DEBOUNCE_MS: f64 = 400.0;

pub enum Msg {
    Frame(f64),
    Set(String, String),
    Fire(Trigger),
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
}

pub struct App {
    playback: Playback,
    preset: String,
    scenario_json: Rc<Value>,
    /// Each dot with the wall time (ms) and simulated time (ns) of its latest step.
    dots: Vec<(Dot, f64, u64)>,
    frame: Option<AnimationFrame>,
    last_render_ms: f64,
    behind: bool,
    reduced_motion: bool,
    dark: bool,
    error: Option<String>,
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
}

fn preset_scenario(name: &str) -> Scenario {
    presets::find(name).map(|p| (p.scenario)()).unwrap_or_default()
}

/// The link in `fragment` (the first preset when there is none), with its embed controls as
/// dotted paths, and what could not be used from it.
fn open_link(fragment: &str) -> (Link, Vec<String>) {
    if fragment.is_empty() {
        let scenario = preset_scenario(FIRST_PRESET);
        return (Link { scenario, preset: Some(FIRST_PRESET.into()), ..Link::default() }, Vec::new());
    }
    let link::Decoded { mut link, mut notices } = link::decode(fragment);
    if let Some(embed) = &mut link.embed {
        for name in std::mem::take(&mut embed.controls) {
            let path = link::names::path_of(&name).to_string();
            if super::controls::find(&path).is_some() {
                embed.controls.push(path);
            } else {
                notices.push(format!("controls: {name:?} has no control in the playground; left out"));
            }
        }
    }
    (link, notices)
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
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

fn finished(stage: Stage) -> bool {
    matches!(stage, Stage::Succeeded | Stage::Failed | Stage::Wasted | Stage::TimedOut | Stage::Errored)
}

impl App {
    fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |t| link.send_message(Msg::Frame(t))));
    }

    fn refresh_scenario(&mut self) {
        self.scenario_json = Rc::new(serde_json::to_value(self.playback.sim().scenario()).unwrap_or(Value::Null));
        self.link_changed_ms = Some(now_ms());
    }

    /// The scenario, preset, speed and embed settings as a link.
    fn link(&self) -> Link {
        Link {
            scenario: self.playback.sim().scenario().clone(),
            preset: (!self.preset.is_empty()).then(|| self.preset.clone()),
            speed: Some(self.playback.speed()).filter(|s| *s != 1.0),
            embed: self.embed.clone(),
        }
    }

    fn restart(&mut self, scenario: Scenario) {
        match self.playback.reset(scenario) {
            Ok(()) => {
                self.dots.clear();
                self.refresh_scenario();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn take_lifecycle(&mut self, wall_ms: f64) {
        let rate = self.playback.sim().windows().last().map_or(0.0, |w| w.offered_rps) * self.playback.speed();
        let every = (rate / DOTS_PER_S).ceil().max(1.0) as u64;
        let sim = self.playback.sim_mut();
        sim.set_lifecycle_sampling(if self.reduced_motion { 0 } else { every });
        let now_ns = sim.now_ns();
        for event in sim.drain_lifecycle() {
            let dot = Dot { request: event.request, stage: event.stage };
            match self.dots.iter_mut().find(|(d, _, _)| d.request == event.request) {
                Some(slot) => *slot = (dot, wall_ms, event.t_ns),
                None => self.dots.push((dot, wall_ms, event.t_ns)),
            }
        }
        self.dots.retain(
            |(d, wall, t_ns)| {
                if finished(d.stage) { wall_ms - wall < DOT_LINGER_MS } else { now_ns - t_ns < DOT_STALE_NS }
            },
        );
        let excess = self.dots.len().saturating_sub(DOTS_KEPT);
        self.dots.drain(..excess);
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::TogglePlay => self.playback.set_playing(!self.playback.playing()),
            Command::Step => self.playback.step(),
            Command::Reset => self.restart(self.playback.sim().scenario().clone()),
            Command::Speed(speed) => {
                self.playback.set_speed(speed);
                self.link_changed_ms = Some(now_ms());
            }
            Command::Seed(text) => match text.trim().parse::<u64>() {
                Ok(seed) => self.restart(Scenario { seed, ..self.playback.sim().scenario().clone() }),
                Err(_) => {
                    self.error = Some(format!("seed: {text:?} is not a whole number from 0 to 18446744073709551615"))
                }
            },
            Command::Preset(name) => {
                self.preset = name;
                self.restart(preset_scenario(&self.preset));
            }
        }
    }

    fn marks(&self) -> Rc<Vec<Mark>> {
        let sim = self.playback.sim();
        let triggers = sim.trigger_marks().map(|m| Mark::Span { start_s: m.start_s, end_s: m.end_s, label: m.label() });
        let changes = sim.change_marks().map(|c| Mark::Change { t_s: c.t_s, label: format!("changed {}", c.field) });
        Rc::new(triggers.chain(changes).collect())
    }

    fn notes(&self) -> Rc<Vec<(&'static str, String)>> {
        let sim = self.playback.sim();
        let scenario = sim.scenario();
        Rc::new(vec![
            (
                "clients.load_rps",
                format!("implied backend utilisation {:.0} %", scenario.implied_utilization() * 100.0),
            ),
            ("cache.target_hit_rate", format!("capacity {} keys", sim.cache_capacity())),
            ("backend.workers", format!("capacity {:.0} req/s", scenario.backend_capacity_rps())),
        ])
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let (Link { scenario, preset, speed, embed }, mut notices) = open_link(&browser::fragment());
        let mut playback = Playback::new(scenario).unwrap_or_else(|e| {
            notices.push(format!("the link's scenario cannot run ({e}); showing the default"));
            Playback::new(Scenario::default()).expect("the default scenario is valid")
        });
        if let Some(speed) = speed {
            playback.set_speed(speed);
        }
        if embed.as_ref().is_some_and(|e| !e.autoplay) {
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
            scenario_json: Rc::new(Value::Null),
            dots: Vec::new(),
            frame: None,
            last_render_ms: f64::NEG_INFINITY,
            behind: false,
            reduced_motion: prefers("(prefers-reduced-motion: reduce)"),
            dark,
            error: None,
            notices,
            embed,
            link_changed_ms: None,
            share_status: None,
            embed_dialog: false,
            suspended: false,
        };
        app.refresh_scenario();
        // Opening a link rewrites it only once something changes.
        app.link_changed_ms = None;
        apply_theme(app.dark);
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
                if self.link_changed_ms.is_some_and(|t| now_ms() - t >= LINK_DEBOUNCE_MS) {
                    self.link_changed_ms = None;
                    browser::replace_fragment(&link::encode(&self.link()));
                }
                let frame = self.playback.frame(wall_ms);
                self.behind = frame.behind;
                self.take_lifecycle(wall_ms);
                self.schedule_frame(ctx);
                let due = wall_ms - self.last_render_ms >= RENDER_EVERY_MS;
                if due {
                    self.last_render_ms = wall_ms;
                }
                due
            }
            Msg::Set(path, value) => {
                match self.playback.sim_mut().set(&path, &value) {
                    Ok(()) => self.refresh_scenario(),
                    Err(e) => self.error = Some(e.to_string()),
                }
                true
            }
            Msg::Fire(trigger) => {
                if let Err(e) = self.playback.sim_mut().fire(trigger) {
                    self.error = Some(format!("{}: {e}", trigger.kind.label()));
                }
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
            Msg::HashChanged => {
                let fragment = browser::fragment();
                if fragment == link::encode(&self.link()) {
                    return false;
                }
                let (link, notices) = open_link(&fragment);
                self.notices = notices;
                self.preset = link.preset.unwrap_or_default();
                if let Some(speed) = link.speed {
                    self.playback.set_speed(speed);
                }
                self.restart(link.scenario);
                true
            }
            Msg::Visible(visible) => {
                if !visible && self.playback.playing() {
                    self.playback.set_playing(false);
                    self.suspended = true;
                } else if visible && self.suspended {
                    self.playback.set_playing(true);
                    self.suspended = false;
                }
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
        if let Some(embed) = &self.embed {
            return self.embed_view(ctx, embed);
        }
        let link = ctx.link();
        let sim = self.playback.sim();
        let scenario = sim.scenario();
        let now_s = sim.now_s();
        // The time axis ends at the clock at every render, so the charts move smoothly: it stretches
        // over the first two minutes, then slides.
        let to_s = now_s.max(MIN_VIEW_S);
        let from_s = (to_s - VIEW_S).max(0.0);
        let windows: Rc<Vec<_>> = Rc::new(sim.windows().filter(|w| w.end_s >= from_s).cloned().collect());
        let latest = windows.last();
        let (state, reason) = sim.health();
        let dots: Vec<Dot> = self.dots.iter().map(|(d, _, _)| *d).collect();
        html! {
            <div class="app">
                <header class="top">
                    <h1>{ "Metastable Playground" }</h1>
                    <Banner {state} reason={reason.to_string()} judging={sim.judging_health()} />
                    <button type="button" class="theme" onclick={link.callback(|_| Msg::ToggleTheme)} aria-label="Switch light or dark theme">
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z" /></svg>
                    </button>
                </header>
                { self.messages(ctx) }
                <Transport playing={self.playback.playing()} speed={self.playback.speed()}
                    effective_speed={self.playback.effective_speed()} behind={self.behind} seed={scenario.seed}
                    {now_s} preset={self.preset.clone()} on_command={link.callback(Msg::Command)} />
                <ShareBar on_action={link.callback(Msg::Share)} status={self.share_status.clone()} />
                if self.embed_dialog {
                    <EmbedDialog link={Link { embed: None, ..self.link() }} title={self.title()}
                        on_close={link.callback(|_| Msg::CloseEmbedDialog)} />
                }
                <main class="layout">
                    <aside class="side">
                        <ControlPanel scenario={self.scenario_json.clone()} notes={self.notes()}
                            on_change={link.callback(|(path, value)| Msg::Set(path, value))} />
                        <Triggers on_fire={link.callback(Msg::Fire)} />
                    </aside>
                    <div class="stage">
                        <Diagram {dots} cache_fill={sim.cache_len() as f64 / sim.cache_capacity().max(1) as f64}
                            cache_capacity={sim.cache_capacity()} queue_len={sim.queue_len()}
                            queue_limit={u64::from(scenario.backend.queue_limit)} busy={sim.in_service()}
                            workers={u64::from(sim.workers_available())} offered_rps={latest.map_or(0.0, |w| w.offered_rps)}
                            reduced_motion={self.reduced_motion} />
                        <Charts windows={windows.clone()} {from_s} {to_s} marks={self.marks()}
                            timeout_ms={scenario.clients.timeout_s.map(|t| t * 1e3)} />
                    </div>
                </main>
            </div>
        }
    }
}
