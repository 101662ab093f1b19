//! Fragment text → link, keeping every usable field and reporting the rest.

use super::{Decoded, Embed, LessonLink, Link, LoopLink, MapLink, Theme, VERSION, start_time};
use crate::playback::SPEEDS;
use crate::sim::lessons;
use crate::sim::metrics::Chart;
use crate::sim::presets;
use crate::sim::scenario::fields::{Field, FieldValue, Kind};
use crate::sim::scenario::validate::valid_tier_name;
use crate::sim::scenario::{MAX_TIERS, Scenario, ScheduledChange, ScheduledTrigger, Tier, fields, path};
use crate::sim::sweep::{self, Ramp};
use percent_encoding::percent_decode_str;

/// Longest fragment read; the rest is ignored (and reported).
pub const MAX_CHARS: usize = 8192;
/// Most `key=value` pairs, scheduled triggers and embed controls read.
const MAX_PAIRS: usize = 400;
const MAX_TRIGGERS: usize = 64;
/// Most scheduled changes read (a recorded session can hold many).
const MAX_CHANGES: usize = 256;
const MAX_CONTROLS: usize = 40;
/// Longest value quoted back in a notice.
const QUOTE_CHARS: usize = 40;

/// Reads a fragment (with or without its leading `#`). Never fails: problems become notices.
pub fn decode(fragment: &str) -> Decoded {
    let mut notices = Vec::new();
    let mut text = fragment.strip_prefix('#').unwrap_or(fragment);
    if text.len() > MAX_CHARS {
        let mut end = MAX_CHARS;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text = &text[..end];
        notices.push(format!("the link is longer than {MAX_CHARS} characters; the rest was ignored"));
    }
    let mut reader = Reader { notices, ..Reader::default() };
    for (i, part) in text.split('&').filter(|p| !p.is_empty()).enumerate() {
        if i == MAX_PAIRS {
            reader.notices.push(format!("the link has more than {MAX_PAIRS} fields; the rest were ignored"));
            break;
        }
        reader.pair(part);
    }
    reader.finish()
}

#[derive(Default)]
struct Reader {
    version: Option<u32>,
    preset: Option<String>,
    speed: Option<f64>,
    start_s: Option<f64>,
    embed: Option<Embed>,
    /// (path, value) in link order.
    fields: Vec<(String, String)>,
    /// Scheduled triggers and changes, when the link gives them (else the preset's stand).
    triggers: Option<Vec<ScheduledTrigger>>,
    changes: Option<Vec<ScheduledChange>>,
    /// A map's axes and seeds, and a ramp with its policies, as written.
    map_x: Option<String>,
    map_y: Option<String>,
    seeds: Option<String>,
    map_seed: Option<String>,
    ramp: Option<String>,
    policies: Option<String>,
    /// A lesson's name and step, as written.
    lesson: Option<String>,
    step: Option<String>,
    /// Tiers in the chain and their names, when the link gives them.
    tiers: Option<usize>,
    names: Option<Vec<String>>,
    notices: Vec<String>,
}

fn quote(text: &str) -> String {
    let short: String = text.chars().take(QUOTE_CHARS).collect();
    if short.len() < text.len() { format!("{short:?}…") } else { format!("{short:?}") }
}

/// `text` percent-decoded; as written when that does not give UTF-8 (a truncated escape), so a
/// notice quotes what the link holds instead of a replacement character.
fn unescape(text: &str) -> String {
    let decoded = percent_decode_str(text).decode_utf8_lossy();
    if decoded.contains('\u{FFFD}') { text.to_string() } else { decoded.into_owned() }
}

fn flag(value: &str) -> Option<bool> {
    match value {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

impl Reader {
    fn ignore(&mut self, key: &str, value: &str, why: &str) {
        self.notices.push(format!("ignored {}={}: {why}", quote(key), quote(value)));
    }

    fn pair(&mut self, part: &str) {
        let Some((key, value)) = part.split_once('=') else {
            self.notices.push(format!("ignored {}: not key=value", quote(&unescape(part))));
            return;
        };
        let (key, value) = (unescape(key), unescape(value));
        match key.as_str() {
            "v" => match value.parse::<u32>() {
                Ok(v) if v >= 1 => self.version = Some(v),
                _ => self.ignore(&key, &value, "not a format version"),
            },
            "preset" => match presets::find(&value) {
                Some(p) => self.preset = Some(p.name.to_string()),
                None => self.ignore(&key, &value, "no such preset"),
            },
            "speed" => match value.parse::<f64>() {
                Ok(s) if s.is_finite() => {
                    let nearest = SPEEDS.iter().copied().min_by(|a, b| (a - s).abs().total_cmp(&(b - s).abs()));
                    let nearest = nearest.unwrap_or(1.0);
                    if nearest != s {
                        self.notices.push(format!("speed {s} is not offered; using {nearest}×"));
                    }
                    self.speed = Some(nearest);
                }
                _ => self.ignore(&key, &value, "not a number"),
            },
            "t" => match start_time(&value) {
                Ok(t) => self.start_s = t,
                Err(why) => self.ignore(&key, &value, &why),
            },
            "trigger" => self.trigger(&value),
            "at" => self.change(&value),
            "changes" if value == "none" => self.changes = Some(Vec::new()),
            "changes" => self.ignore(&key, &value, "only changes=none; give each as at=at_s:field=value"),
            "embed" => match flag(&value) {
                Some(true) => {
                    self.embed.get_or_insert_with(Embed::default);
                }
                Some(false) => {}
                None => self.ignore(&key, &value, "not 1 or 0"),
            },
            "controls" => self.controls(&value),
            "charts" => self.charts(&value),
            "diagram" => match flag(&value) {
                Some(on) => self.embed.get_or_insert_with(Embed::default).diagram = on,
                None => self.ignore(&key, &value, "not 1 or 0"),
            },
            "mapx" => self.map_x = Some(value),
            "mapy" => self.map_y = Some(value),
            "seeds" => self.seeds = Some(value),
            "mapseed" => self.map_seed = Some(value),
            "loop" => self.ramp = Some(value),
            "lesson" => self.lesson = Some(value),
            "step" => self.step = Some(value),
            "policies" => self.policies = Some(value),
            "autoplay" => match flag(&value) {
                Some(on) => self.embed.get_or_insert_with(Embed::default).autoplay = on,
                None => self.ignore(&key, &value, "not 1 or 0"),
            },
            "theme" => match Theme::from_name(&value) {
                Some(theme) => self.embed.get_or_insert_with(Embed::default).theme = theme,
                None => self.ignore(&key, &value, "not auto, light or dark"),
            },
            "tiers" => match value.parse::<usize>() {
                Ok(n) if (1..=MAX_TIERS).contains(&n) => self.tiers = Some(n),
                _ => self.ignore(&key, &value, &format!("not a number of tiers from 1 to {MAX_TIERS}")),
            },
            "names" => match value.split(',').map(str::to_string).collect::<Vec<_>>() {
                names if names.len() <= MAX_TIERS && names.iter().all(|n| valid_tier_name(n)) => {
                    self.names = Some(names)
                }
                _ => self.ignore(&key, &value, "not tier names (letters, digits, - or _) separated by commas"),
            },
            "triggers" if value == "none" => self.triggers = Some(Vec::new()),
            "triggers" => {
                self.ignore(&key, &value, "only triggers=none; give each as trigger=at_s:kind:magnitude:duration_s")
            }
            _ => self.fields.push((key, value)),
        }
    }

    fn trigger(&mut self, value: &str) {
        if self.triggers.as_ref().is_some_and(|t| t.len() == MAX_TRIGGERS) {
            return self.ignore("trigger", value, &format!("more than {MAX_TRIGGERS} triggers"));
        }
        match ScheduledTrigger::parse(value) {
            Ok(t) => self.triggers.get_or_insert_with(Vec::new).push(t),
            Err(_) => self.ignore("trigger", value, "not at_s:kind:magnitude:duration_s with a known kind"),
        }
    }

    fn change(&mut self, value: &str) {
        if self.changes.as_ref().is_some_and(|c| c.len() == MAX_CHANGES) {
            return self.ignore("at", value, &format!("more than {MAX_CHANGES} scheduled changes"));
        }
        match ScheduledChange::parse(value).map(|c| (c.resolve(0), c)) {
            Ok((Ok(_), c)) => self.changes.get_or_insert_with(Vec::new).push(c),
            Ok((Err(e), _)) => self.ignore("at", value, &e.message),
            Err(_) => self.ignore("at", value, "not at_s:field=value"),
        }
    }

    fn controls(&mut self, value: &str) {
        let mut kept = Vec::new();
        for name in value.split(',').filter(|n| !n.is_empty()).take(MAX_CONTROLS) {
            let known = fields::find(name).is_some();
            if known && !kept.iter().any(|k| k == name) {
                kept.push(name.to_string());
            } else if !known {
                self.ignore("controls", name, "no such control");
            }
        }
        self.embed.get_or_insert_with(Embed::default).controls = kept;
    }

    fn charts(&mut self, value: &str) {
        let (charts, unknown) = Chart::read_list(value);
        for name in unknown {
            self.ignore("charts", &name, &format!("no such chart; charts: {}", Chart::names()));
        }
        self.embed.get_or_insert_with(Embed::default).charts = charts;
    }

    fn finish(mut self) -> Decoded {
        match self.version {
            None if !self.fields.is_empty() || self.preset.is_some() => {
                self.notices.push(format!("the link has no version (v=); read as version {VERSION}"));
            }
            Some(v) if v > VERSION => self.notices.push(format!(
                "the link is from a newer version of the playground (v={v}); settings this version does not know were ignored"
            )),
            _ => {}
        }
        let base = super::encode::baseline(self.preset.as_deref(), self.version.unwrap_or(VERSION));
        let mut scenario = base.clone();
        if let Some(tiers) = self.tiers {
            scenario.tiers.resize(tiers - 1, Tier::default());
        }
        for (index, name) in self.names.take().unwrap_or_default().into_iter().enumerate() {
            let default = format!("tier{}", index + 1);
            match scenario.backend_mut(index) {
                Some(backend) => backend.name = (name != default).then_some(name),
                None => {
                    self.notices.push(format!("ignored the name {}: the chain has no tier {}", quote(&name), index + 1))
                }
            }
        }
        for (key, text) in std::mem::take(&mut self.fields) {
            self.field(&mut scenario, &key, &text);
        }
        scenario.triggers = self.triggers.take().unwrap_or(base.triggers);
        scenario.changes = self.changes.take().unwrap_or(base.changes);
        let (scenario, clamped) = scenario.clamped();
        for problem in clamped {
            self.notices.push(format!("{}: {}; clamped into range", problem.field, problem.message));
        }
        let map = self.map(&scenario);
        let loops = self.loops(&scenario);
        let lesson = self.lesson();
        let link = Link {
            scenario,
            preset: self.preset,
            speed: self.speed,
            start_s: self.start_s,
            embed: self.embed,
            map,
            loops,
            lesson,
        };
        Decoded { link, notices: self.notices }
    }

    /// The lesson step the link opens: an unknown lesson opens the list, a step that is not one of
    /// the lesson's opens step 1.
    fn lesson(&mut self) -> Option<LessonLink> {
        let Some(name) = self.lesson.take() else {
            if let Some(step) = self.step.take() {
                self.ignore("step", &step, "a step needs lesson=");
            }
            return None;
        };
        let step = self.step.take();
        if name.is_empty() {
            return Some(LessonLink::INDEX);
        }
        let Some(lesson) = lessons::find(&name) else {
            self.ignore("lesson", &name, "no such lesson; showing the list of lessons");
            // First, as it says why another page is shown: never folded under "and N more".
            self.notices.rotate_right(1);
            return Some(LessonLink::INDEX);
        };
        let last = lesson.steps.len();
        let step = match step.as_deref().map(str::parse::<usize>) {
            None => 1,
            Some(Ok(n)) if (1..=last).contains(&n) => n,
            Some(_) => {
                let text = step.unwrap_or_default();
                self.notices.push(format!(
                    "step={}: {} has steps 1 to {last}; showing step 1",
                    quote(&text),
                    lesson.name
                ));
                self.notices.rotate_right(1);
                1
            }
        };
        Some(LessonLink { name: Some(lesson.name), step: step - 1 })
    }

    /// The map the link draws, if it gives one that holds for `scenario`.
    fn map(&mut self, scenario: &Scenario) -> Option<MapLink> {
        let x = self.map_x.take();
        let (y, seeds, first) = (self.map_y.take(), self.seeds.take(), self.map_seed.take());
        let Some(x) = x else {
            let given: Vec<&str> = [(y.is_some(), "mapy="), (seeds.is_some(), "seeds="), (first.is_some(), "mapseed=")]
                .into_iter()
                .filter_map(|(given, name)| given.then_some(name))
                .collect();
            if let Some((last, before)) = given.split_last() {
                let names =
                    if before.is_empty() { last.to_string() } else { format!("{} and {last}", before.join(", ")) };
                self.notices.push(format!("ignored {names}: a map needs mapx="));
            }
            return None;
        };
        let seeds = seeds.as_deref().unwrap_or("1");
        let first_seed = match first.as_deref().map(str::parse::<u64>) {
            None => Ok(None),
            Some(Ok(seed)) => Ok(Some(seed)),
            Some(Err(_)) => Err(format!("mapseed={}: not a seed", quote(first.as_deref().unwrap_or_default()))),
        };
        let checked = first_seed.and_then(|first_seed| {
            let n = seeds.parse::<u32>().ok().filter(|n| (1..=sweep::MAX_MAP_SEEDS).contains(n)).ok_or_else(|| {
                format!("seeds={}: not a whole number from 1 to {}", quote(seeds), sweep::MAX_MAP_SEEDS)
            })?;
            sweep::wire::grid(scenario, &x, y.as_deref(), n, first_seed.unwrap_or(scenario.seed))?;
            Ok((n, first_seed))
        });
        match checked {
            Ok((seeds, first_seed)) => Some(MapLink { x, y, seeds, first_seed }),
            Err(e) => {
                self.notices.push(format!("the map is not drawn: {e}"));
                None
            }
        }
    }

    /// The loops the link draws, if it gives a ramp that holds for `scenario` and known policies.
    fn loops(&mut self, scenario: &Scenario) -> Option<LoopLink> {
        let Some(text) = self.ramp.take() else {
            if self.policies.take().is_some() {
                self.notices.push("ignored policies=: loops need loop=".to_string());
            }
            return None;
        };
        let policies = self.policies.take().unwrap_or_else(|| "none".to_string());
        let ramp = (|| {
            let (range, rest) = text.split_once(':')?;
            let (steps, hold) = rest.split_once(':')?;
            let (from, to) = range.split_once("..")?;
            Some(Ramp {
                from_rps: from.parse().ok()?,
                to_rps: to.parse().ok()?,
                steps: steps.parse().ok()?,
                hold_s: hold.parse().ok()?,
            })
        })();
        let Some(ramp) = ramp else {
            self.notices.push(format!("the loops are not drawn: loop={} is not FROM..TO:STEPS:HOLD_S", quote(&text)));
            return None;
        };
        if let Err(e) = ramp.check(scenario) {
            self.notices.push(format!("the loops are not drawn: {e}"));
            return None;
        }
        let admission = fields::find("retry.admission").map_or(&[][..], |f| f.choices());
        let known = |name: &str| admission.iter().any(|(n, _)| *n == name);
        let policies: Vec<String> = policies.split(',').map(str::to_string).collect();
        if let Some(unknown) = policies.iter().find(|p| !known(p)) {
            self.notices.push(format!("the loops are not drawn: {} is not a retry-admission policy", quote(unknown)));
            return None;
        }
        Some(LoopLink { ramp, policies })
    }

    /// Sets one field of `scenario`, or reports why not. Ranges are checked afterwards, by
    /// clamping.
    fn field(&mut self, scenario: &mut Scenario, key: &str, text: &str) {
        let field = match path::field(key) {
            Ok(field) => field,
            Err(e) if e.message.starts_with("is a group") => {
                return self.ignore(key, text, "a group of settings, not one");
            }
            Err(_) => return self.ignore(key, text, "no such setting"),
        };
        if let Some(tier) = field.tier.filter(|&t| t >= scenario.tier_count()) {
            let why = format!("there is no tier {} (give tiers={} first)", tier + 1, tier + 1);
            return self.ignore(key, text, &why);
        }
        if let Ok(value) = field.parse(text)
            && field.put(scenario, &value)
        {
            self.keep_in_control(scenario, field, key, text);
            return;
        }
        // A count given as a fraction, a negative or a huge number is brought to a whole number in
        // the setting's range, then into its slider's (one notice).
        if let Kind::Number { whole: true, min, max, .. } = field.kind
            && let Ok(x) = text.trim().parse::<f64>()
            && !x.is_nan()
        {
            let whole = FieldValue::whole(x.round().clamp(min, max) as u64);
            if field.put(scenario, &whole) {
                if !self.keep_in_control(scenario, field, key, text) {
                    let set_to = field.text(&field.get(scenario));
                    self.notices
                        .push(format!("{key}: {} is not a whole number in range; set to {set_to}", quote(text)));
                }
                return;
            }
        }
        self.ignore(key, text, "not a value this setting takes");
    }

    /// Brings a number the link set outside its slider's range to the nearer end, and says so: the
    /// control then shows the value the run uses. Links of version 1 open exactly as written then.
    /// Returns whether it moved the value.
    fn keep_in_control(&mut self, scenario: &mut Scenario, field: &Field, key: &str, text: &str) -> bool {
        let (Some(control), FieldValue::Number(x)) = (field.control, field.get(scenario)) else {
            return false;
        };
        if self.version.unwrap_or(VERSION) < 2 || control.max <= control.min || (control.min..=control.max).contains(&x)
        {
            return false;
        }
        let inside = FieldValue::Number(x.clamp(control.min, control.max));
        let moved = field.put(scenario, &inside);
        if moved {
            let (min, max) =
                (field.text(&FieldValue::Number(control.min)), field.text(&FieldValue::Number(control.max)));
            self.notices.push(format!(
                "{key}={}: outside the {} slider's range {min}–{max}; set to {}",
                quote(text),
                field.label,
                field.text(&inside)
            ));
        }
        moved
    }
}
