//! The Stability map panel: pick one or two axes and the seeds of each cell, and every cell runs
//! the scenario, timeline included, in Web Workers; cells fill in as they finish. A finished cell
//! shows its numbers when hovered or focused and opens in the live view when clicked.

mod loops;
mod map;
mod pool;

pub use loops::LoopPanel;

use crate::link::MapLink;
use crate::sim::scenario::Scenario;
use crate::sim::scenario::fields::format_number;
use crate::sim::sweep::wire::{FromWorker, ToWorker};
use crate::sim::sweep::{Axis, CellResult, Grid, MAX_MAP_SEEDS, Outcome, Tally, choices, rows};
use crate::ui::browser::now_ms;
use crate::ui::{browser, count, export, grouped};
use gloo_render::{AnimationFrame, request_animation_frame};
pub use map::{MapProps, StabilityMap};
use map::{axis_number, outcome_class};
use pool::{Heard, Pool};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
struct AxisForm {
    /// The target as an axis names it; empty for no axis (y only).
    target: String,
    from: String,
    to: String,
    steps: String,
}

impl AxisForm {
    fn new(s: &Scenario, target: &str, steps: u32) -> AxisForm {
        let (from, to) = choices::first_range(s, target).unwrap_or_default();
        AxisForm { target: target.to_string(), from, to, steps: steps.to_string() }
    }

    /// The form of an axis as written (`clients.load_rps=300..900:13`).
    fn from_text(text: &str) -> AxisForm {
        let (target, from, to, steps) = Axis::parts(text).unwrap_or((text, "", "", ""));
        AxisForm { target: target.to_string(), from: from.to_string(), to: to.to_string(), steps: steps.to_string() }
    }

    fn text(&self) -> Option<String> {
        (!self.target.is_empty())
            .then(|| format!("{}={}..{}:{}", self.target, self.from.trim(), self.to.trim(), self.steps.trim()))
    }
}

/// Which box of the form was edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Target,
    From,
    To,
    Steps,
}

pub enum Msg {
    Edit {
        y: bool,
        part: Part,
        value: String,
    },
    Seeds(String),
    /// Draw the map; `by_hand` from the form (a refusal then moves the focus to the part at fault),
    /// else from a link.
    Start {
        by_hand: bool,
    },
    Cancel,
    Started(u64, Result<Pool, String>),
    Heard(u64, usize, Heard),
    Show(Option<usize>),
    /// Open run `index` of the map in the live view.
    Open(usize),
    /// Open cell `c` in the live view, at its seed that ended worst.
    OpenCell(usize),
    /// Draw what came while drawing was held back.
    Redraw,
    Save(Format),
}

/// What the map is saved as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Svg,
    Png,
}

/// A map being made, or made.
struct Sweep {
    id: u64,
    base: Scenario,
    /// The preset `base` comes from, and whether its settings (but for the seed) differ.
    preset: Option<AttrValue>,
    modified: bool,
    grid: Grid,
    x: String,
    y: Option<String>,
    results: Vec<Option<CellResult>>,
    /// Each run's CSV row, as the worker wrote it.
    rows: Vec<Option<String>>,
    /// Wall milliseconds the workers spent on the runs, all together.
    worker_ms: f64,
    next: usize,
    /// When each run done so far came back, in order (as many as are done).
    done_ms: Vec<f64>,
    started_ms: f64,
    finished_ms: Option<f64>,
    pool: Option<Pool>,
    workers: usize,
    cancelled: bool,
}

impl Sweep {
    fn running(&self) -> bool {
        self.finished_ms.is_none() && !self.cancelled
    }

    fn cells(&self) -> usize {
        self.grid.len() / self.grid.seeds.len().max(1)
    }

    /// Runs done so far.
    fn done(&self) -> usize {
        self.done_ms.len()
    }

    /// The runs of cell `c`, done so far.
    fn runs(&self, c: usize) -> impl Iterator<Item = &CellResult> {
        let seeds = self.grid.seeds.len();
        self.results[c * seeds..(c + 1) * seeds].iter().flatten()
    }

    /// The run a click on cell `c` opens: its first seed that ended worst (the outcome its numbers
    /// name first), so that a cell some of whose seeds collapsed opens on a collapse.
    fn worst_run(&self, c: usize) -> usize {
        let seeds = self.grid.seeds.len();
        let rank = |o: Outcome| Outcome::ALL.iter().position(|&x| x == o).unwrap_or(0);
        let first = c * seeds;
        (first..first + seeds)
            .filter_map(|i| Some((i, self.results.get(i)?.as_ref()?)))
            .fold((first, None), |(best, worst), (i, r)| {
                if worst.is_none_or(|w| rank(r.outcome) > w) { (i, Some(rank(r.outcome))) } else { (best, worst) }
            })
            .0
    }

    fn tallies(&self) -> Vec<Tally> {
        (0..self.cells()).map(|c| Tally::of(self.runs(c))).collect()
    }

    /// Gives worker `i` the next run, if any is left.
    fn feed(&mut self, i: usize) {
        if let Some(pool) = &self.pool
            && self.next < self.grid.len()
        {
            let seeds = self.grid.seeds.len().max(1);
            pool.send(i, &ToWorker::Cell { index: run_at(self.next, self.cells(), seeds) });
            self.next += 1;
        }
    }
}

/// Milliseconds left for `total` runs on `workers` workers at `now_ms`, the runs done so far
/// having come back at `done_ms`: at the pace of the latest half of them (at least 12, and two
/// rounds of the workers). That follows a pace that changes as the map runs (a live view that
/// grows busier) better than the pace since the start, and stays steady where neighbouring runs
/// differ in cost a hundredfold (an overloaded cell settles at once), which the pace of the latest
/// few does not. Not a number until more than that many have come back: the pace of the first few
/// would count the workers' start, their first runs coming back together, and the luck of which
/// cells came first, and the estimate would leap about.
fn time_left_ms(done_ms: &[f64], now_ms: f64, total: usize, workers: usize) -> f64 {
    let done = done_ms.len();
    let recent = (done / 2).max(12).max(2 * workers);
    if recent >= done {
        return f64::NAN;
    }
    (now_ms - done_ms[done - recent - 1]) / recent as f64 * total.saturating_sub(done) as f64
}

/// The run given out `k`-th: the cells in a spread order, a cell's seeds one after another. The
/// runs done at any moment are then a fair sample of the whole map (whose cells cost more as the
/// load grows), so its shape shows early and the time left is estimated from a like mix.
fn run_at(k: usize, cells: usize, seeds: usize) -> usize {
    spread(k / seeds, cells) * seeds + k % seeds
}

/// The `k`-th of `0..n` taken in steps of about n × 0.618 (the golden ratio's fraction), each
/// once: the step shares no factor with n.
fn spread(k: usize, n: usize) -> usize {
    if n <= 2 {
        return k;
    }
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let step = (((n as f64) * 0.618).round() as usize..).find(|&s| gcd(s, n) == 1).unwrap_or(1);
    (k * step) % n
}

#[derive(Properties, PartialEq)]
pub struct MapPanelProps {
    /// The scenario the live run starts from, with its timeline: what every cell runs.
    pub scenario: Rc<Scenario>,
    /// The preset `scenario` comes from, if any.
    #[prop_or_default]
    pub preset: Option<AttrValue>,
    /// `scenario`'s settings, but for the seed, differ from the preset's.
    #[prop_or_default]
    pub modified: bool,
    /// The settings in force, ringed on the map.
    pub live: Rc<Scenario>,
    /// Opens a cell's scenario (with its seed) in the live view.
    pub on_open: Callback<Scenario>,
    /// A map to draw at once (from a link).
    #[prop_or_default]
    pub request: Option<MapLink>,
    /// Hears of each map started, for the link, and of `None` when one is cancelled: a map the
    /// link names is drawn whole.
    #[prop_or_default]
    pub on_drawn: Callback<Option<MapLink>>,
    /// Only the map, without the form (for embeds).
    #[prop_or_default]
    pub compact: bool,
}

/// Most cells a map draws: beyond this the page would spend its time drawing.
const MAX_CELLS: usize = 2_500;

/// Most runs a map starts in the page (some minutes on two cores).
const MAX_RUNS: usize = 10_000;

/// While a map runs, it is redrawn at most this often (ms): cells come faster than a big map
/// draws.
const REDRAW_MS: f64 = 250.0;

pub struct MapPanel {
    x: AxisForm,
    y: AxisForm,
    seeds: String,
    error: Option<String>,
    /// The part of the form the error is about (`map-x`, `map-y`, `map-seeds`), marked invalid.
    at_fault: Option<&'static str>,
    sweep: Option<Sweep>,
    shown: Option<usize>,
    next_id: u64,
    /// The map last started, as a link gives it.
    drawn: Option<MapLink>,
    /// The first seed of a link's map, when not the scenario's.
    first_seed: Option<u64>,
    /// When the map was last drawn.
    drawn_ms: f64,
    /// A frame asked for to draw what a skipped message brought.
    pending: Option<AnimationFrame>,
    /// The preset the form's axes were offered for.
    axes_for: Option<AttrValue>,
    /// The form was refused: a map on show is the one drawn before.
    refused: bool,
}

/// The axes a map of `s` starts with: the load across (or the first setting), and the first
/// trigger's size up when there is one.
fn first_axes(s: &Scenario) -> (AxisForm, AxisForm) {
    let choices = choices::choices(s);
    let has = |t: &str| choices.iter().any(|c| c.target == t);
    let x = if has("clients.load_rps") { "clients.load_rps" } else { choices.first().map_or("", |c| &c.target) };
    let y = if has("triggers[0].magnitude") { "triggers[0].magnitude" } else { "" };
    (AxisForm::new(s, x, 10), AxisForm::new(s, y, 8))
}

impl MapPanel {
    /// Opens run `index` of the map in the live view.
    fn open(&mut self, ctx: &Context<Self>, index: usize) {
        if let Some(sweep) = &self.sweep {
            match sweep.grid.scenario(&sweep.base, &sweep.grid.cell(index)) {
                Ok(scenario) => ctx.props().on_open.emit(scenario),
                Err(e) => (self.error, self.at_fault) = (Some(e.to_string()), None),
            }
        }
    }

    /// Refuses the form with `error`, about the part `at_fault`, and moves the focus there if the
    /// form was sent `by_hand`.
    fn refuse(&mut self, error: String, at_fault: Option<&'static str>, by_hand: bool) {
        self.error = Some(error);
        self.at_fault = at_fault;
        if let Some(id) = at_fault.filter(|_| by_hand) {
            // An axis's range when it shows one, else its setting.
            if !browser::focus_id(&format!("{id}-from")) {
                browser::focus_id(id);
            }
        }
    }

    /// Is the part of the form `id` the one the error is about?
    fn faulty(&self, id: &str) -> bool {
        self.error.is_some() && self.at_fault == Some(id)
    }

    fn start(&mut self, ctx: &Context<Self>, by_hand: bool) {
        self.at_fault = None;
        let base = (*ctx.props().scenario).clone();
        let seeds = match self.seeds.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_MAP_SEEDS).contains(&n) => n,
            _ => {
                // A number box holds "" for what is not a number (1e400 too).
                let given = match self.seeds.trim() {
                    "" => "give".to_string(),
                    seeds => format!("{seeds:?} is not"),
                };
                self.refuse(
                    format!("seeds per cell: {given} a whole number from 1 to {MAX_MAP_SEEDS}"),
                    Some("map-seeds"),
                    by_hand,
                );
                return;
            }
        };
        let Some(x) = self.x.text() else {
            self.refuse("pick a setting to go across".to_string(), Some("map-x"), by_hand);
            return;
        };
        let y = self.y.text();
        // Each axis read once; a problem with one is told in the form's words: which box, and the
        // setting by its label.
        let mut axes = Vec::new();
        let forms = [("Across", "map-x", &self.x), ("Up", "map-y", &self.y)]
            .map(|(side, id, form)| (side, id, form.text(), form.target.clone()));
        for (side, id, text, target) in forms {
            let Some(text) = text else { continue };
            match Axis::parse_typed(&text, &base) {
                Ok(axis) => axes.push(axis),
                Err(e) => {
                    let message = e.message.strip_prefix(&format!("{target}: ")).unwrap_or(&e.message);
                    let error = format!("{side}, {}: {message}", choices::label(&base, &target));
                    return self.refuse(error, Some(id), by_hand);
                }
            }
        }
        let mut axes = axes.into_iter();
        let (Some(x_axis), y_axis) = (axes.next(), axes.next()) else { return };
        // The page's own limits before the grid's, so that a grid too big for the page is refused
        // the same way however big.
        let cells = u64::from(x_axis.steps) * y_axis.as_ref().map_or(1, |y| u64::from(y.steps));
        if cells > MAX_CELLS as u64 || cells * u64::from(seeds) > MAX_RUNS as u64 {
            self.error = Some(format!(
                "{} cells × {} is too big to draw here: a map holds at most {} cells and {} runs (the command \
                 line's simulate sweep runs bigger grids)",
                grouped(cells),
                count(seeds as usize, "seed"),
                grouped(MAX_CELLS as u64),
                grouped(MAX_RUNS as u64)
            ));
            return;
        }
        if y_axis.as_ref().is_some_and(|y| y.target == x_axis.target) {
            let label = choices::label(&base, &self.x.target);
            self.refuse(
                format!("Across and Up both move {label}: pick another setting for one of them"),
                Some("map-y"),
                by_hand,
            );
            return;
        }
        let first_seed = self.first_seed.unwrap_or(base.seed);
        let grid = match Grid::new(&base, x_axis, y_axis, seeds, first_seed) {
            Ok(grid) => grid,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.error = None;
        self.shown = None;
        self.next_id += 1;
        // The first seed always, so that the link still draws this map once a cell opened in the
        // live view has changed the scenario's seed.
        let drawn = MapLink { x: x.clone(), y: y.clone(), seeds, first_seed: Some(first_seed) };
        ctx.props().on_drawn.emit(Some(drawn.clone()));
        self.drawn = Some(drawn);
        let id = self.next_id;
        let workers = pool::cores().min(grid.len());
        let heard = ctx.link().callback(move |(i, h)| Msg::Heard(id, i, h));
        ctx.link().send_future(async move { Msg::Started(id, Pool::start(workers, heard).await) });
        self.sweep = Some(Sweep {
            id,
            results: vec![None; grid.len()],
            rows: vec![None; grid.len()],
            worker_ms: 0.0,
            base,
            preset: ctx.props().preset.clone(),
            modified: ctx.props().modified,
            grid,
            x,
            y,
            next: 0,
            done_ms: Vec::new(),
            started_ms: now_ms(),
            finished_ms: None,
            pool: None,
            workers,
            cancelled: false,
        });
    }

    /// Draws now if the map has not been drawn for [`REDRAW_MS`] (or has stopped running);
    /// otherwise asks for a frame to try again, so nothing a message brought stays undrawn.
    fn draw_soon(&mut self, ctx: &Context<Self>) -> bool {
        let now = now_ms();
        if self.sweep.as_ref().is_some_and(Sweep::running) && now - self.drawn_ms < REDRAW_MS {
            if self.pending.is_none() {
                let link = ctx.link().clone();
                self.pending = Some(request_animation_frame(move |_| link.send_message(Msg::Redraw)));
            }
            return false;
        }
        self.drawn_ms = now;
        true
    }

    fn heard(&mut self, i: usize, heard: Heard) {
        let Some(sweep) = self.sweep.as_mut().filter(|s| s.running()) else { return };
        match heard {
            Heard::Answer(FromWorker::Ready) => {
                if let Some(pool) = &sweep.pool {
                    let seeds = sweep.grid.seeds.len() as u32;
                    let first_seed = sweep.grid.seeds.first().copied().unwrap_or(0);
                    let (scenario, x, y) = (sweep.base.clone(), sweep.x.clone(), sweep.y.clone());
                    pool.send(i, &ToWorker::Sweep { scenario, x, y, seeds, first_seed });
                }
                sweep.feed(i);
            }
            Heard::Answer(FromWorker::Done { index, result, row, ms }) if index < sweep.results.len() => {
                if sweep.results[index].is_none() {
                    sweep.done_ms.push(now_ms());
                    sweep.worker_ms += ms;
                }
                sweep.results[index] = Some(CellResult { cell: sweep.grid.cell(index), ..result });
                sweep.rows[index] = Some(row);
                sweep.feed(i);
                if sweep.done() == sweep.grid.len() {
                    sweep.finished_ms = Some(now_ms());
                    sweep.pool = None;
                }
            }
            Heard::Answer(FromWorker::Failed { message, .. }) | Heard::Broken(message) => {
                (self.error, self.at_fault) = (Some(format!("the map stopped: {message}")), None);
                sweep.cancelled = true;
                sweep.pool = None;
            }
            Heard::Answer(_) => {}
        }
    }

    fn edit(&mut self, s: &Scenario, y: bool, part: Part, value: String) {
        let form = if y { &mut self.y } else { &mut self.x };
        match part {
            Part::Target => {
                // The steps stay, unless they were one (an axis not used yet): a new range needs more.
                let steps = form.steps.clone();
                *form = AxisForm::new(s, &value, 8);
                if steps.trim().parse::<u32>().is_ok_and(|n| n >= 2) {
                    form.steps = steps;
                }
            }
            Part::From => form.from = value,
            Part::To => form.to = value,
            Part::Steps => form.steps = value,
        }
    }

    /// Draws the map a link asks for, unless it is the one drawn.
    fn follow(&mut self, ctx: &Context<Self>) {
        let Some(mut request) = ctx.props().request.clone() else { return };
        request.first_seed = request.first_seed.or(Some(ctx.props().scenario.seed));
        if Some(&request) == self.drawn.as_ref() {
            return;
        }
        self.x = AxisForm::from_text(&request.x);
        self.y = request.y.as_deref().map_or_else(|| AxisForm::new(&ctx.props().scenario, "", 8), AxisForm::from_text);
        self.seeds = request.seeds.to_string();
        self.first_seed = request.first_seed;
        self.drawn = Some(request);
        ctx.link().send_message(Msg::Start { by_hand: false });
    }

    /// Has the scenario changed since the map was made, other than along its axes and in its seed?
    fn stale(&self, sweep: &Sweep, now: &Scenario) -> bool {
        let mut moved = Scenario { seed: now.seed, ..sweep.base.clone() };
        let axes = std::iter::once(&sweep.grid.x).chain(sweep.grid.y.as_ref());
        for axis in axes {
            if let Some(value) = axis.read(now) {
                let _ = axis.apply(&mut moved, value);
            }
        }
        moved != *now
    }
}

impl Component for MapPanel {
    type Message = Msg;
    type Properties = MapPanelProps;

    fn create(ctx: &Context<Self>) -> Self {
        let (x, y) = first_axes(&ctx.props().scenario);
        let mut panel = MapPanel {
            x,
            y,
            seeds: "3".to_string(),
            error: None,
            at_fault: None,
            sweep: None,
            shown: None,
            next_id: 0,
            drawn: None,
            first_seed: None,
            drawn_ms: 0.0,
            pending: None,
            axes_for: ctx.props().preset.clone(),
            refused: false,
        };
        panel.follow(ctx);
        panel
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let new = ctx.props();
        // Callbacks are new at every render of the page: only the data matters.
        if (&new.scenario, &new.live, &new.request, new.compact)
            == (&old.scenario, &old.live, &old.request, old.compact)
        {
            return false;
        }
        // Another preset chosen: its own axes, unless a map drawn (or drawing) used the form's.
        if new.preset.is_some() && !new.modified && new.preset != self.axes_for {
            self.axes_for = new.preset.clone();
            if self.sweep.is_none() {
                (self.x, self.y) = first_axes(&new.scenario);
            }
        }
        // A new scenario may lack the items the axes named: start from its own axes then.
        let choices = choices::choices(&ctx.props().scenario);
        let has = |t: &str| t.is_empty() || choices.iter().any(|c| c.target == t);
        if !has(&self.x.target) || self.x.target.is_empty() || !has(&self.y.target) {
            (self.x, self.y) = first_axes(&ctx.props().scenario);
        }
        if ctx.props().request != old.request {
            self.follow(ctx);
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            // An edited map is the user's: its seeds start at the scenario's again, and a message
            // about what it was no longer applies.
            Msg::Edit { y, part, value } => {
                (self.first_seed, self.error, self.refused) = (None, None, false);
                self.edit(&ctx.props().scenario, y, part, value)
            }
            Msg::Seeds(value) => (self.first_seed, self.seeds, self.error, self.refused) = (None, value, None, false),
            Msg::Start { by_hand } => {
                self.start(ctx, by_hand);
                self.refused = self.error.is_some();
            }
            Msg::Cancel => {
                if let Some(sweep) = self.sweep.as_mut().filter(|s| s.running()) {
                    sweep.cancelled = true;
                    sweep.pool = None;
                    self.drawn = None;
                    ctx.props().on_drawn.emit(None);
                }
            }
            Msg::Started(id, started) => match (self.sweep.as_mut().filter(|s| s.id == id && s.running()), started) {
                (Some(sweep), Ok(pool)) => sweep.pool = Some(pool),
                (Some(sweep), Err(e)) => {
                    sweep.cancelled = true;
                    (self.error, self.at_fault) = (Some(e), None);
                }
                // A map cancelled while its workers were starting: dropping them stops them.
                (None, _) => {}
            },
            Msg::Heard(id, i, heard) => {
                if self.sweep.as_ref().is_some_and(|s| s.id == id) {
                    self.heard(i, heard);
                }
                return self.draw_soon(ctx);
            }
            Msg::Redraw => {
                self.pending = None;
                return self.draw_soon(ctx);
            }
            Msg::Show(cell) => self.shown = cell,
            Msg::Save(format) => {
                if let Some(sweep) = &self.sweep {
                    save(sweep, format);
                }
            }
            Msg::OpenCell(c) => {
                if let Some(index) = self.sweep.as_ref().map(|sweep| sweep.worst_run(c)) {
                    self.open(ctx, index);
                }
            }
            Msg::Open(index) => self.open(ctx, index),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let s = &ctx.props().scenario;
        let running = self.sweep.as_ref().is_some_and(Sweep::running);
        html! {
            <section class="map-panel" aria-labelledby="map-title">
                <h2 id="map-title">{ "Stability map" }</h2>
                if !ctx.props().compact {
                <p class="hint">{ format!("Every cell is a {} s run of this scenario, timeline included, judged at its end (a run overloaded by its settings alone stops as soon as that is certain). Recovered: healthy at the end after a disturbance (the live banner says Healthy). Purple: the share of seeds that end stuck (metastable).", format_number(s.duration_s)) }</p>
                <form class="map-form" novalidate=true onsubmit={link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::Start { by_hand: true } })}>
                    { self.axis_row(ctx, s, false) }
                    { self.axis_row(ctx, s, true) }
                    <label class="seeds">{ "Seeds per cell " }
                        <input id="map-seeds" aria-invalid={self.faulty("map-seeds").then_some("true")} aria-describedby={self.faulty("map-seeds").then_some("map-error")} type="number" min="1" max={MAX_MAP_SEEDS.to_string()} step="1" value={self.seeds.clone()}
                            oninput={link.callback(|e: InputEvent| Msg::Seeds(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))} />
                    </label>
                    // One button, so that it keeps the focus as it turns from one into the other.
                    if running {
                        <button key="go" type="button" id="map-cancel" onclick={link.callback(|e: MouseEvent| { e.prevent_default(); Msg::Cancel })}>{ "Cancel" }</button>
                    } else {
                        <button key="go" type="submit" id="map-start" class="primary">{ "Draw map" }</button>
                    }
                </form>
                }
                if let Some(error) = &self.error {
                    <p class="map-error" id="map-error" role="alert">{ error }</p>
                }
                if let Some(sweep) = &self.sweep {
                    { self.progress(sweep) }
                    if sweep.done() > 0 {
                        <div class="map-tools" role="group" aria-label="Save the map">
                            <button type="button" class="small" id="map-csv" onclick={link.callback(|_| Msg::Save(Format::Csv))}>{ "CSV" }</button>
                            <button type="button" class="small" id="map-svg" onclick={link.callback(|_| Msg::Save(Format::Svg))}>{ "SVG" }</button>
                            <button type="button" class="small" id="map-png" onclick={link.callback(|_| Msg::Save(Format::Png))}>{ "PNG" }</button>
                        </div>
                    }
                    if self.refused {
                        <p class="map-stale">{ "Not drawn: the map on show is the one drawn before." }</p>
                    }
                    if self.stale(sweep, s) {
                        <p class="map-stale">{ "The settings have changed since this map was drawn. Draw it again to see them." }</p>
                    }
                    { self.map(ctx, sweep) }
                    { self.details(ctx, sweep) }
                }
            </section>
        }
    }
}

impl MapPanel {
    fn axis_row(&self, ctx: &Context<Self>, s: &Scenario, y: bool) -> Html {
        let form = if y { &self.y } else { &self.x };
        let link = ctx.link();
        let edit = move |part: Part| {
            link.callback(move |e: InputEvent| Msg::Edit {
                y,
                part,
                value: e.target_unchecked_into::<web_sys::HtmlInputElement>().value(),
            })
        };
        let on_target = link.callback(move |e: Event| Msg::Edit {
            y,
            part: Part::Target,
            value: e.target_unchecked_into::<web_sys::HtmlSelectElement>().value(),
        });
        let id = if y { "map-y" } else { "map-x" };
        let invalid = self.faulty(id).then_some("true");
        let described = invalid.map(|_| "map-error");
        html! {
            <fieldset class="axis">
                <legend>{ if y { "Up" } else { "Across" } }</legend>
                <select id={id.to_string()} aria-invalid={invalid} aria-describedby={described} aria-label={if y { "Setting up the map" } else { "Setting across the map" }} onchange={on_target}>
                    if y {
                        <option value="" selected={form.target.is_empty()}>{ "nothing (one row)" }</option>
                    }
                    { for choices::choices(s).into_iter().map(|c| html! {
                        <option value={c.target.clone()} selected={c.target == form.target}>{ c.label }</option>
                    }) }
                </select>
                if !form.target.is_empty() {
                    <span class="range">
                        <label>{ "from " }<input id={format!("{id}-from")} aria-invalid={invalid} aria-describedby={described} type="text" inputmode="decimal" value={form.from.clone()} oninput={edit(Part::From)} /></label>
                        <label>{ "to " }<input id={format!("{id}-to")} aria-invalid={invalid} aria-describedby={described} type="text" inputmode="decimal" value={form.to.clone()} oninput={edit(Part::To)} /></label>
                        <label>{ "in " }<input id={format!("{id}-steps")} aria-invalid={invalid} aria-describedby={described} type="number" min="1" max="200" value={form.steps.clone()} oninput={edit(Part::Steps)} />{ if y { " rows" } else { " columns" } }</label>
                    </span>
                }
            </fieldset>
        }
    }

    fn progress(&self, sweep: &Sweep) -> Html {
        let total = sweep.grid.len();
        let elapsed_s = (sweep.finished_ms.unwrap_or_else(now_ms) - sweep.started_ms) / 1e3;
        let status = if let Some(done_ms) = sweep.finished_ms {
            let seconds = (done_ms - sweep.started_ms) / 1e3;
            format!("{} in {seconds:.1} s on {}", count(total, "run"), count(sweep.workers, "worker"))
        } else if sweep.cancelled {
            format!("Stopped {}", how_far(sweep))
        } else if sweep.done() == 0 {
            format!("Starting {} for {}…", count(sweep.workers, "worker"), count(total, "run"))
        } else {
            match time_left_ms(&sweep.done_ms, now_ms(), total, sweep.workers) / 1e3 {
                left_s if left_s.is_nan() => format!("{} of {total} runs · timing them…", sweep.done()),
                left_s => format!("{} of {total} runs · about {:.0} s left", sweep.done(), left_s.ceil()),
            }
        };
        html! {
            <div class="map-progress" data-done={sweep.done().to_string()} data-total={total.to_string()}
                data-finished={sweep.finished_ms.is_some().to_string()} data-wall-ms={format!("{:.0}", elapsed_s * 1e3)}
                data-worker-ms={format!("{:.0}", sweep.worker_ms)} data-workers={sweep.workers.to_string()}
                data-events={sweep.results.iter().flatten().map(|r| r.events).sum::<u64>().to_string()}
                data-fresh-events={sweep.results.iter().flatten().map(|r| r.fresh_events).sum::<u64>().to_string()}>
                <progress max={total.to_string()} value={sweep.done().to_string()} aria-label="Runs done"></progress>
                <span role="status">{ status }</span>
            </div>
        }
    }

    fn map(&self, ctx: &Context<Self>, sweep: &Sweep) -> Html {
        let s = &sweep.base;
        let live = &ctx.props().live;
        let marker = sweep.grid.x.read(live).map(|x| (x, sweep.grid.y.as_ref().and_then(|y| y.read(live))));
        html! {
            <>
                <div class="map-scroll" tabindex="-1">
                    <StabilityMap key={sweep.id.to_string()} title={map_title(s, sweep)} x_values={Rc::new(sweep.grid.x.values())} y_values={sweep.grid.y.as_ref().map(|y| Rc::new(y.values()))}
                        x_label={choices::label(s, &sweep.grid.x.name())} y_label={sweep.grid.y.as_ref().map(|y| choices::label(s, &y.name()))}
                        tallies={Rc::new(sweep.tallies())} {marker} shown={self.shown}
                        on_show={ctx.link().callback(Msg::Show)} on_open={ctx.link().callback(move |c: usize| Msg::OpenCell(c))} />
                </div>
            </>
        }
    }

    /// The numbers of the cell hovered or focused, seed by seed, each with a button to open it.
    fn details(&self, ctx: &Context<Self>, sweep: &Sweep) -> Html {
        let Some(c) = self.shown.filter(|&c| c < sweep.cells()) else {
            return html! { <p class="map-details hint">{ "Hover over, focus or tap a cell for its numbers; click it, or tap it again, to open it in the live view (at its seed that ended worst)." }</p> };
        };
        let seeds = sweep.grid.seeds.len();
        let cell = sweep.grid.cell(c * seeds);
        let s = &sweep.base;
        let mut place = format!("{} {}", choices::label(s, &sweep.grid.x.name()), axis_number(cell.x));
        if let (Some(axis), Some(y)) = (&sweep.grid.y, cell.y) {
            place += &format!(" · {} {}", choices::label(s, &axis.name()), axis_number(y));
        }
        let tally = Tally::of(sweep.runs(c));
        let percent = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{:.0} %", x * 100.0));
        let rows = (0..seeds).filter_map(|k| {
            let index = c * seeds + k;
            let r = sweep.results[index].as_ref()?;
            let open = ctx.link().callback(move |_| Msg::Open(index));
            Some(html! {
                <tr>
                    <td>{ r.cell.seed }</td>
                    <td><button type="button" onclick={open}>{ "Open" }</button></td>
                    <td class={outcome_class(r.outcome)}>{ r.outcome.name() }</td>
                    <td>{ r.goodput_rps.map_or("–".to_string(), |g| format!("{g:.0}")) }</td>
                    <td>{ percent(r.success_ratio) }</td>
                    <td>{ r.amplification.map_or("–".to_string(), |a| format!("{a:.2}×")) }</td>
                    <td>{ r.e2e_p99_ms.map_or("–".to_string(), |p| format!("{:.0} ms", p)) }</td>
                    <td>{ if r.goodput_rps.is_none() { format!("certain at {:.0} s", r.end_s) } else { format!("{:.0} s", r.end_s) } }</td>
                </tr>
            })
        });
        html! {
            <>
                <p class="map-details" aria-live="polite"><strong>{ place }</strong>{ ": " }{ if tally.runs() == 0 { "not run".to_string() } else { tally.describe() } }
                    if seeds > 1 && tally.runs() > 0 { { format!("; opening it runs seed {}", sweep.grid.cell(sweep.worst_run(c)).seed) } }</p>
                if tally.runs() > 0 {
                    // Scrolls sideways by itself on a phone, the Open buttons first.
                    <div class="map-runs">
                    <table>
                        <thead><tr><th>{ "Seed" }</th><th></th><th>{ "Outcome" }</th><th>{ "Goodput (req/s)" }</th><th>{ "Success" }</th><th>{ "Amplification" }</th><th>{ "e2e p99" }</th><th title="The figures are those of the run's last span">{ "Read at" }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                    </div>
                }
            </>
        }
    }
}

/// The map's title, which its saved copies carry: the preset its runs start from (and whether its
/// settings were changed), the seeds each cell ran, and how far a stopped map got.
fn map_title(s: &Scenario, sweep: &Sweep) -> String {
    let from = sweep.grid.seeds.first().copied().unwrap_or(s.seed);
    let to = sweep.grid.seeds.last().copied().unwrap_or(from);
    let seeds = if from == to { format!("seed {from}") } else { format!("seeds {from}–{to}") };
    let of = made_of(sweep.preset.as_deref(), sweep.modified);
    let stopped = if sweep.cancelled { format!(", stopped {}", how_far(sweep)) } else { String::new() };
    format!("Stability map{of}, {seeds}{stopped}")
}

/// What a study's title says it was drawn from: " of retry-storm", " of retry-storm, modified",
/// or nothing for a scenario of no preset.
pub fn made_of(preset: Option<&str>, modified: bool) -> String {
    let changed = if modified { ", modified" } else { "" };
    preset.map(|p| format!(" of {p}{changed}")).unwrap_or_default()
}

/// How far a cancelled map got: "after 47 of 240 runs".
fn how_far(sweep: &Sweep) -> String {
    format!("after {} of {} runs", sweep.done(), sweep.grid.len())
}

/// Saves the map: its runs done so far as CSV (one row per cell and seed, as `simulate sweep`
/// writes them), or its picture.
fn save(sweep: &Sweep, format: Format) {
    let axes = std::iter::once(&sweep.grid.x).chain(&sweep.grid.y);
    let name = axes.fold("stability-map".to_string(), |name, a| name + "-" + &a.name().replace(['[', ']', '.'], "-"));
    match format {
        Format::Csv => {
            let mut text = rows::csv_header(&sweep.grid);
            for row in sweep.rows.iter().flatten() {
                text.push('\n');
                text.push_str(row);
            }
            text.push('\n');
            browser::download_text(&format!("{name}.csv"), "text/csv", &text);
        }
        Format::Svg | Format::Png => {
            let svg = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(".map-panel svg.map").ok().flatten());
            if let Some(svg) = svg {
                if format == Format::Png { export::save_png(&svg, &name) } else { export::save_svg(&svg, &name) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{run_at, spread, time_left_ms};

    #[test]
    fn time_left_follows_the_pace_of_the_latest_runs() {
        // Up to 12 done there is no estimate; from 13 on, the pace since the first came back.
        let steady: Vec<f64> = (1..=13).map(|k| k as f64 * 1_000.0).collect();
        assert!((1..=12).all(|n| time_left_ms(&steady[..n], steady[n - 1], 40, 2).is_nan()));
        assert_eq!(time_left_ms(&steady, 13_000.0, 40, 2), 27_000.0);
        // Sixteen workers whose first runs come back together, a second apart each round: no
        // estimate until two rounds are back, then the pace of those rounds (16 runs a second).
        let rounds: Vec<f64> = (1..=3).flat_map(|r| [r as f64 * 1_000.0; 16]).collect();
        assert!((1..=32).all(|n| time_left_ms(&rounds[..n], rounds[n - 1], 160, 16).is_nan()));
        assert_eq!(time_left_ms(&rounds[..33], 3_000.0, 160, 16), 127_000.0 / 16.0);
        // 12 runs a second for 1 s, then 12 at one a second: the latter pace, 8 s for 8 left.
        let done: Vec<f64> =
            (1..=12).map(|k| k as f64 * 1_000.0 / 12.0).chain((1..=12).map(|k| 1_000.0 + k as f64 * 1_000.0)).collect();
        assert_eq!(time_left_ms(&done, 13_000.0, 32, 2), 8_000.0);
        // Bursts of twelve runs that settle at once (1 ms) and twelve that run (200 ms): the
        // estimate holds within a twentieth from one burst to the next.
        let mut at = 0.0;
        let done: Vec<f64> = (0..2_000)
            .map(|k| {
                at += if (k / 12) % 2 == 0 { 1.0 } else { 200.0 };
                at
            })
            .collect();
        let left = |n: usize| time_left_ms(&done[..n], done[n - 1], 4_000, 2);
        for n in [600, 612, 1_000, 1_012, 1_500, 1_512] {
            let steady = 100.5 * (4_000 - n) as f64;
            assert!((left(n) / steady - 1.0).abs() < 0.05, "{n} done: {} against {steady}", left(n));
        }
    }

    #[test]
    fn every_run_is_given_out_once_spread_over_the_map() {
        for (cells, seeds) in [(1, 1), (2, 3), (10, 1), (400, 1), (30, 3), (2500, 4)] {
            let mut order: Vec<usize> = (0..cells * seeds).map(|k| run_at(k, cells, seeds)).collect();
            // A cell's seeds go out together.
            assert!(order.chunks(seeds).all(|c| c.windows(2).all(|w| w[1] == w[0] + 1)));
            order.sort_unstable();
            assert_eq!(order, (0..cells * seeds).collect::<Vec<_>>(), "{cells} cells × {seeds} seeds");
        }
        // The first few of a 10-column map already span it.
        let first: Vec<usize> = (0..4).map(|k| spread(k, 10)).collect();
        assert_eq!(first, vec![0, 7, 4, 1]);
    }
}
