//! The scenario in the URL: read at start and when the fragment changes, written back once
//! changes settle.

use super::{App, preset_scenario, starts_paused};
use crate::link::{self, Link};
use crate::sim::presets;
use crate::ui::browser;
pub(super) use crate::ui::browser::now_ms;

/// Wall milliseconds without a change before the URL is rewritten.
const LINK_DEBOUNCE_MS: f64 = 400.0;

/// The link in `fragment` (the landing preset when there is none), with its embed controls as
/// dotted paths, and what could not be used from it.
pub(super) fn open_link(fragment: &str) -> (Link, Vec<String>) {
    if fragment.is_empty() {
        let scenario = preset_scenario(presets::LANDING);
        return (Link { scenario, preset: Some(presets::LANDING.into()), ..Link::default() }, Vec::new());
    }
    let link::Decoded { mut link, mut notices } = link::decode(fragment);
    if link.lesson.is_some() {
        // A lesson step has its own scenario and start, and shows its own charts.
        if link.start_s.take().is_some() {
            notices.push("t= does not apply to a lesson: each step starts where the lesson says".to_string());
        }
        if let Some(embed) = &mut link.embed
            && (!std::mem::take(&mut embed.charts).is_empty() || std::mem::take(&mut embed.diagram))
        {
            notices.push("charts= and diagram= do not apply to a lesson: each step shows what it needs".to_string());
        }
    }
    if let Some(embed) = &mut link.embed {
        for name in std::mem::take(&mut embed.controls) {
            let path = link::names::path_of(&name).to_string();
            if crate::ui::controls::find(&path).is_some() {
                embed.controls.push(path);
            } else {
                notices.push(format!("controls: {name:?} has no control in the playground; left out"));
            }
        }
    }
    (link, notices)
}

impl App {
    /// The scenario, preset, speed and embed settings as a link.
    pub(super) fn link(&self) -> Link {
        let scenario = self.start();
        Link {
            preset: (!self.preset.is_empty()).then(|| self.preset.clone()),
            speed: match self.lesson {
                Some(_) => self.lesson_speed,
                None => Some(self.playback.speed()).filter(|s| *s != 1.0),
            },
            start_s: self.start_s,
            embed: self.embed.clone(),
            // A map's first seed is said only when it is not the scenario's.
            map: self.map.clone().map(|mut map| {
                map.first_seed = map.first_seed.filter(|&first| first != scenario.seed);
                map
            }),
            loops: self.loops.clone(),
            lesson: self.lesson,
            scenario,
        }
    }

    /// Writes the link into the URL fragment: in place, or as a new history entry (which the page
    /// hears of as the link it already runs).
    pub(super) fn write_link(&self, new_entry: bool) {
        let fragment = link::encode(&self.link());
        match new_entry {
            true => browser::go_to_fragment(&fragment),
            false => browser::replace_fragment(&fragment),
        }
    }

    /// Rewrites the URL fragment once no change has come for [`LINK_DEBOUNCE_MS`].
    pub(super) fn write_link_when_settled(&mut self) {
        if self.link_changed_ms.is_some_and(|t| now_ms() - t >= LINK_DEBOUNCE_MS) {
            self.link_changed_ms = None;
            self.write_link(false);
        }
    }

    /// Loads the scenario in a fragment changed by navigation; false when it is the one running.
    pub(super) fn follow_fragment(&mut self) -> bool {
        let fragment = browser::fragment();
        if fragment == link::encode(&self.link()) {
            return false;
        }
        let (link, notices) = open_link(&fragment);
        self.notices = notices;
        self.preset = link.preset.unwrap_or_default();
        (self.map, self.loops, self.lesson, self.start_s) = (link.map, link.loops, link.lesson, link.start_s);
        self.lesson_speed = link.speed.filter(|_| self.lesson.is_some());
        self.space_plays.set(self.lesson.is_none());
        // As on opening: the link's speed, or 1×.
        self.playback.set_speed(link.speed.unwrap_or(1.0));
        self.embed = link.embed;
        self.restart(link.scenario);
        if starts_paused(self.embed.as_ref(), self.lesson.as_ref()) {
            self.playback.set_playing(false);
            self.play_at_start = false;
        }
        true
    }
}
