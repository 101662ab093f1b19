//! Scenario links: the whole scenario, the preset it came from, the speed and the embed settings,
//! written into a URL fragment and read back.
//!
//! The format is versioned and readable: `v=1&preset=retry-storm&load=650&retries=3&trigger=30:load_spike:3:20`.
//! Fields are written against the named preset's scenario (or the default scenario when there is
//! none) and those equal to it are left out; the preset's scheduled triggers stand unless the link
//! lists its own (`trigger=…`, repeatable) or `triggers=none`. Common fields have short names
//! (declared in the field table), every other field goes by its dotted path
//! (`retry.token_bucket.capacity`).
//! [`decode`] never fails: whatever it cannot use is reported in [`Decoded::notices`] and the rest
//! is kept; out-of-range values are clamped.
//!
//! Like the engine, this module has no web dependency, so links are tested natively.

mod decode;
mod encode;
pub mod names;

pub use decode::{MAX_CHARS, decode};
pub use encode::encode;

use crate::sim::lessons::{self, Lesson};
use crate::sim::metrics::Chart;
use crate::sim::scenario::Scenario;
use crate::sim::scenario::fields::number_text;
use crate::sim::sweep::Ramp;

/// The latest start time a link may give (`t=`), in simulated seconds.
pub const MAX_START_S: f64 = 3600.0;

/// Reads a start time in seconds (`90`): `None` for the start itself (0), an error that says what
/// a start time is for anything else.
pub fn start_time(text: &str) -> Result<Option<f64>, String> {
    match text.trim().parse::<f64>() {
        Ok(t) if (0.0..=MAX_START_S).contains(&t) => Ok(Some(t).filter(|t| *t > 0.0)),
        _ => Err(format!("not a start time from 0 to {MAX_START_S} s")),
    }
}

/// The format version this build writes. Every earlier version still decodes: version 1 read a
/// link that names no preset from the default settings; version 2 reads it from the landing preset
/// ([`crate::sim::presets::LANDING`]), the scenario the playground opens on.
pub const VERSION: u32 = 2;

/// Light, dark, or whatever the reader's system prefers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    /// The theme called `name` (`auto`, `light` or `dark`).
    pub fn from_name(name: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// How an embedded playground looks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Embed {
    /// The controls shown, by short name or dotted path, in order.
    pub controls: Vec<String>,
    /// Starts running without a click.
    pub autoplay: bool,
    pub theme: Theme,
    /// The charts shown, in order (empty: [`Embed::DEFAULT_CHARTS`]).
    pub charts: Vec<Chart>,
    /// The diagram is shown above the charts.
    pub diagram: bool,
}

impl Embed {
    /// The charts an embed shows unless it says.
    pub const DEFAULT_CHARTS: [Chart; 2] = [Chart::Throughput, Chart::Latency];
}

/// A stability map a link draws: its axes as written (`clients.load_rps=300..900:13`) and the
/// seeds of each cell (`mapx=…&mapy=…&seeds=3`), from the scenario's seed or from `first_seed`
/// (`mapseed=`, when a cell opened in the live view changed the scenario's seed).
#[derive(Clone, Debug, PartialEq)]
pub struct MapLink {
    pub x: String,
    pub y: Option<String>,
    pub seeds: u32,
    pub first_seed: Option<u64>,
}

/// Hysteresis loops a link draws: the ramp and the retry-admission policies, by name
/// (`loop=300..1300:10:20&policies=none,token_bucket`).
#[derive(Clone, Debug, PartialEq)]
pub struct LoopLink {
    pub ramp: Ramp,
    pub policies: Vec<String>,
}

impl LoopLink {
    /// The ramp as a link writes it: `FROM..TO:STEPS:HOLD_S`.
    pub fn ramp_text(&self) -> String {
        let r = &self.ramp;
        format!("{}..{}:{}:{}", number_text(r.from_rps), number_text(r.to_rps), r.steps, number_text(r.hold_s))
    }
}

/// A lesson a link opens: a lesson and its step (`lesson=retry-storm&step=2`, steps counted from 1
/// in the link, from 0 here), or the list of lessons (`lesson=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LessonLink {
    /// The lesson's name, one of [`lessons::all`]; `None` for the list of lessons.
    pub name: Option<&'static str>,
    pub step: usize,
}

impl LessonLink {
    /// The list of lessons.
    pub const INDEX: LessonLink = LessonLink { name: None, step: 0 };

    pub fn lesson(&self) -> Option<&'static Lesson> {
        self.name.and_then(lessons::find)
    }
}

/// Everything a link carries. By default: the landing scenario, which a link naming no preset is
/// written against, and nothing else.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub scenario: Scenario,
    /// The preset the scenario started from, shown in the presets menu.
    pub preset: Option<String>,
    /// Playback speed (simulated seconds per wall second).
    pub speed: Option<f64>,
    /// Simulated seconds the run is advanced to on opening (`t=90`), so what it shows is already on
    /// the charts.
    pub start_s: Option<f64>,
    /// Present when the page is an embed.
    pub embed: Option<Embed>,
    pub map: Option<MapLink>,
    pub loops: Option<LoopLink>,
    /// Present when the page shows a lesson (or the list of them) instead of the playground.
    pub lesson: Option<LessonLink>,
}

impl Default for Link {
    fn default() -> Self {
        Link {
            scenario: encode::baseline(None, VERSION),
            preset: None,
            speed: None,
            start_s: None,
            embed: None,
            map: None,
            loops: None,
            lesson: None,
        }
    }
}

/// A decoded link and what could not be used from it.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub link: Link,
    /// One line per field ignored or changed, naming it; empty for a clean link.
    pub notices: Vec<String>,
}
