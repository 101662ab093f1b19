//! The hysteresis panel: the load ramped up past capacity and back down by the timeline, once per
//! retry-admission policy chosen, each ramp in a Web Worker; goodput against offered load, the
//! way up solid and the way down dashed, so a policy whose way down stays low shows at a glance.

use super::pool::{self, Heard, Pool};
use crate::link::LoopLink;
use crate::sim::health::demand::{first_attempt_utilization, scenario_warm_hit_rate};
use crate::sim::scenario::fields::{self, FieldValue, number_text};
use crate::sim::scenario::{LoopMode, Scenario, path};
use crate::sim::sweep::wire::{FromWorker, ToWorker};
use crate::sim::sweep::{LoopPoint, Ramp, check_steps};
use crate::ui::browser;
use crate::ui::charts::{XyChart, XySeries};
use std::rc::Rc;
use yew::prelude::*;

/// Colours of the policies' lines, in order: green, orange, blue, purple and black (white when
/// dark), no two alike when projected.
const CLASSES: [&str; 5] = ["c-goodput", "c-attempts", "c-backend", "c-p99", "c-offered"];

/// The retry-admission policies: (name, label).
fn policies() -> &'static [(&'static str, &'static str)] {
    fields::find("retry.admission").map_or(&[], |f| f.choices())
}

pub enum Msg {
    From(String),
    To(String),
    Steps(String),
    Hold(String),
    Toggle(&'static str),
    Start,
    Cancel,
    Started(u64, Result<Pool, String>),
    Heard(u64, usize, Heard),
    Save,
}

/// Ramps being run, or run: one per policy.
struct Loops {
    id: u64,
    /// The chart's title: what it shows, of which scenario and seed.
    title: String,
    ramp: Ramp,
    base: Scenario,
    /// (name, label) of each policy, in the order run.
    policies: Vec<(&'static str, &'static str)>,
    points: Vec<Option<Vec<LoopPoint>>>,
    rows: Vec<Vec<String>>,
    /// Simulated seconds each ramp has reached.
    reached_s: Vec<f64>,
    started_ms: f64,
    next: usize,
    pool: Option<Pool>,
    finished: bool,
    cancelled: bool,
}

impl Loops {
    fn feed(&mut self, i: usize) {
        let Some(pool) = &self.pool else { return };
        if let Some(&(name, _)) = self.policies.get(self.next) {
            match path::set(&self.base, "retry.admission", name) {
                Ok(scenario) => pool.send(i, &ToWorker::Loop { id: self.next as u32, scenario, ramp: self.ramp }),
                Err(_) => return,
            }
            self.next += 1;
        }
    }

    fn done(&self) -> usize {
        self.points.iter().flatten().count()
    }

    /// Have the settings changed since these loops were started, other than in what the ramp and
    /// the policies set (the load, the timeline, its length and the windows kept, retry
    /// admission) and in the seed?
    fn stale(&self, now: &Scenario) -> bool {
        let base = &self.base;
        let mut now = now.clone();
        (now.triggers, now.changes) = (base.triggers.clone(), base.changes.clone());
        (now.clients.load_rps, now.duration_s, now.seed) = (base.clients.load_rps, base.duration_s, base.seed);
        (now.metrics.history_windows, now.retry.admission) = (base.metrics.history_windows, base.retry.admission);
        now != *base
    }

    /// Simulated seconds run, of all the ramps': (done, total).
    fn seconds(&self) -> (f64, f64) {
        let each = self.ramp.duration_s();
        (self.reached_s.iter().map(|s| s.min(each)).sum(), each * self.policies.len() as f64)
    }
}

#[derive(Properties, PartialEq)]
pub struct LoopPanelProps {
    /// The scenario the live run starts from: each ramp replaces its timeline.
    pub scenario: Rc<Scenario>,
    /// The preset `scenario` comes from, if any, and whether its settings were changed: for the
    /// chart's title, which its saved copies carry.
    #[prop_or_default]
    pub preset: Option<AttrValue>,
    #[prop_or_default]
    pub modified: bool,
    /// Loops to draw at once (from a link).
    #[prop_or_default]
    pub request: Option<LoopLink>,
    /// Hears of each set of loops started, for the link, and of `None` when one is cancelled.
    #[prop_or_default]
    pub on_drawn: Callback<Option<LoopLink>>,
    /// Only the chart, without the form (for embeds).
    #[prop_or_default]
    pub compact: bool,
}

pub struct LoopPanel {
    from: String,
    to: String,
    steps: String,
    hold: String,
    chosen: Vec<&'static str>,
    error: Option<String>,
    loops: Option<Loops>,
    next_id: u64,
    /// The loops last started, as a link gives them.
    drawn: Option<LoopLink>,
    /// The form has been edited, or filled from a link, since it was offered: a change of the
    /// scenario leaves it as it is (otherwise it offers the new scenario's ramp and policies).
    edited: bool,
}

/// The first ramp offered for `s`: from 30 % to 130 % of the load its settings carry in ten
/// steps, each held 20 s (or two windows, if longer). That load is where first attempts would ask
/// all of the busiest tier's workers: the load now ÷ its first-attempt utilisation, which counts
/// the cache's warm hits and the tiers behind (the backend's c ÷ S with no load to scale).
fn first_ramp(s: &Scenario) -> Ramp {
    let rho = first_attempt_utilization(s, scenario_warm_hit_rate(s)).filter(|&r| r > 0.0);
    let capacity = rho.map_or(s.backend_capacity_rps(), |r| s.clients.load_rps / r);
    let round = |x: f64| (x / 10.0).round() * 10.0;
    let window = s.metrics.window_s;
    Ramp {
        from_rps: round(0.3 * capacity),
        to_rps: round(1.3 * capacity),
        steps: 10,
        hold_s: (20.0f64 / window).ceil().max(2.0) * window,
    }
}

/// `text` as a sentence, as the map form's messages are (the engine's start in lower case).
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| first.to_ascii_uppercase().to_string() + chars.as_str())
}

fn first_policies(s: &Scenario) -> Vec<&'static str> {
    let now = match fields::find("retry.admission").map(|f| f.get(s)) {
        Some(FieldValue::Choice(name)) => Some(name),
        _ => None,
    };
    let mut chosen: Vec<&'static str> = now.into_iter().collect();
    for name in ["none", "token_bucket"] {
        if !chosen.contains(&name) && policies().iter().any(|(n, _)| *n == name) {
            chosen.push(name);
        }
    }
    chosen
}

impl LoopPanel {
    /// Fills the form with the ramp and policies first offered for `s`.
    fn offer_first_ramp(&mut self, s: &Scenario) {
        let ramp = first_ramp(s);
        (self.from, self.to) = (number_text(ramp.from_rps), number_text(ramp.to_rps));
        (self.steps, self.hold) = (ramp.steps.to_string(), number_text(ramp.hold_s));
        self.chosen = first_policies(s);
        self.edited = false;
    }

    /// Draws the loops a link asks for, unless they are the ones drawn.
    fn follow(&mut self, ctx: &Context<Self>) {
        let Some(request) = ctx.props().request.clone().filter(|r| Some(r) != self.drawn.as_ref()) else { return };
        let r = request.ramp;
        (self.from, self.to, self.steps, self.hold) =
            (number_text(r.from_rps), number_text(r.to_rps), r.steps.to_string(), number_text(r.hold_s));
        self.chosen = policies().iter().map(|(n, _)| *n).filter(|n| request.policies.iter().any(|p| p == n)).collect();
        self.edited = true;
        self.drawn = Some(request);
        ctx.link().send_message(Msg::Start);
    }

    fn start(&mut self, ctx: &Context<Self>) {
        let base = (*ctx.props().scenario).clone();
        let number = |text: &str, what: &str| {
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("{what}: {text:?} is not a number"))
        };
        let ramp = (|| {
            let steps = check_steps(number(&self.steps, "steps")?)?;
            let ramp = Ramp {
                from_rps: number(&self.from, "from")?,
                to_rps: number(&self.to, "to")?,
                steps,
                hold_s: number(&self.hold, "hold")?,
            };
            ramp.check(&base)?;
            Ok::<Ramp, String>(ramp)
        })();
        let ramp = match ramp {
            Ok(ramp) if !self.chosen.is_empty() => ramp,
            Ok(_) => return self.error = Some("choose at least one policy".to_string()),
            Err(e) => return self.error = Some(e),
        };
        self.error = None;
        self.next_id += 1;
        let drawn = LoopLink { ramp, policies: self.chosen.iter().map(|p| p.to_string()).collect() };
        ctx.props().on_drawn.emit(Some(drawn.clone()));
        self.drawn = Some(drawn);
        let id = self.next_id;
        let chosen: Vec<(&'static str, &'static str)> =
            policies().iter().copied().filter(|(n, _)| self.chosen.contains(n)).collect();
        let workers = pool::cores().min(chosen.len());
        let heard = ctx.link().callback(move |(i, h)| Msg::Heard(id, i, h));
        ctx.link().send_future(async move { Msg::Started(id, Pool::start(workers, heard).await) });
        let title = format!(
            "Goodput against offered load{}, seed {}",
            super::made_of(ctx.props().preset.as_deref(), ctx.props().modified),
            base.seed
        );
        self.loops = Some(Loops {
            id,
            title,
            ramp,
            base,
            points: vec![None; chosen.len()],
            rows: vec![Vec::new(); chosen.len()],
            reached_s: vec![0.0; chosen.len()],
            started_ms: browser::now_ms(),
            policies: chosen,
            next: 0,
            pool: None,
            finished: false,
            cancelled: false,
        });
    }

    fn heard(&mut self, i: usize, heard: Heard) {
        let Some(loops) = self.loops.as_mut().filter(|l| !l.finished && !l.cancelled) else { return };
        match heard {
            Heard::Answer(FromWorker::Ready) => loops.feed(i),
            Heard::Answer(FromWorker::Progress { id, at_s }) if (id as usize) < loops.points.len() => {
                loops.reached_s[id as usize] = at_s;
            }
            Heard::Answer(FromWorker::Looped { id, points, rows }) if (id as usize) < loops.points.len() => {
                loops.reached_s[id as usize] = f64::INFINITY;
                loops.points[id as usize] = Some(points);
                loops.rows[id as usize] = rows;
                loops.feed(i);
                if loops.done() == loops.policies.len() {
                    loops.finished = true;
                    loops.pool = None;
                }
            }
            Heard::Answer(FromWorker::Failed { message, .. }) | Heard::Broken(message) => {
                self.error = Some(format!("the loops stopped: {message}"));
                loops.cancelled = true;
                loops.pool = None;
            }
            Heard::Answer(_) => {}
        }
    }
}

impl Component for LoopPanel {
    type Message = Msg;
    type Properties = LoopPanelProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut panel = LoopPanel {
            from: String::new(),
            to: String::new(),
            steps: String::new(),
            hold: String::new(),
            chosen: Vec::new(),
            error: None,
            loops: None,
            next_id: 0,
            drawn: None,
            edited: false,
        };
        panel.offer_first_ramp(&ctx.props().scenario);
        panel.follow(ctx);
        panel
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let new = ctx.props();
        // Callbacks are new at every render of the page: only the data matters.
        if (&new.scenario, &new.request, new.compact) == (&old.scenario, &old.request, old.compact) {
            return false;
        }
        // Other settings: their own ramp and policies, unless the form was edited or came from a
        // link.
        if new.scenario != old.scenario && !self.edited {
            self.offer_first_ramp(&new.scenario);
        }
        if new.request != old.request {
            self.follow(ctx);
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            Msg::From(v) => (self.from, self.edited) = (v, true),
            Msg::To(v) => (self.to, self.edited) = (v, true),
            Msg::Steps(v) => (self.steps, self.edited) = (v, true),
            Msg::Hold(v) => (self.hold, self.edited) = (v, true),
            Msg::Toggle(name) => {
                self.edited = true;
                if let Some(i) = self.chosen.iter().position(|n| *n == name) {
                    self.chosen.remove(i);
                } else {
                    self.chosen.push(name);
                }
            }
            Msg::Start => self.start(ctx),
            Msg::Cancel => {
                if let Some(loops) = self.loops.as_mut().filter(|l| !l.finished) {
                    loops.cancelled = true;
                    loops.pool = None;
                    self.drawn = None;
                    ctx.props().on_drawn.emit(None);
                }
            }
            Msg::Started(id, started) => match (self.loops.as_mut().filter(|l| l.id == id && !l.cancelled), started) {
                (Some(loops), Ok(pool)) => {
                    // The time left counts from here: starting the workers is not part of the runs.
                    loops.started_ms = browser::now_ms();
                    loops.pool = Some(pool);
                }
                (Some(loops), Err(e)) => {
                    loops.cancelled = true;
                    self.error = Some(e);
                }
                (None, _) => {}
            },
            Msg::Heard(id, i, heard) => {
                if self.loops.as_ref().is_some_and(|l| l.id == id) {
                    self.heard(i, heard);
                }
            }
            Msg::Save => {
                if let Some(loops) = &self.loops {
                    let mut text = format!("policy,{}\n", LoopPoint::CSV_HEADER);
                    for ((name, _), rows) in loops.policies.iter().zip(&loops.rows) {
                        for row in rows {
                            text.push_str(&format!("{name},{row}\n"));
                        }
                    }
                    browser::download_text("hysteresis-loops.csv", "text/csv", &text);
                }
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let s = &ctx.props().scenario;
        let running = self.loops.as_ref().is_some_and(|l| !l.finished && !l.cancelled);
        // Each box in one label with the words before and after it, kept on one line.
        let text = |id: &'static str,
                    label: &'static str,
                    value: &String,
                    msg: fn(String) -> Msg,
                    after: &'static str| {
            html! {
                <label>{ label }<input id={id} type="text" inputmode="decimal" value={value.clone()}
                    oninput={link.callback(move |e: InputEvent| msg(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))} />{ after }</label>
            }
        };
        html! {
            <section class="map-panel loop-panel" aria-labelledby="loop-title">
                <h2 id="loop-title">{ "Hysteresis loop" }</h2>
                if !ctx.props().compact {
                <p class="hint">{ "The load steps up past capacity and back down; each step's goodput is read over the second half of its hold. A way down below the way up is a system that stays stuck after the load that tipped it has gone." }</p>
                if s.clients.mode != LoopMode::Open {
                    <p class="map-error">{ "A ramp of the load needs open-loop clients (Traffic → Client model: open loop)." }</p>
                }
                <form class="map-form" onsubmit={link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::Start })}>
                    <fieldset class="axis">
                        <legend>{ "Load (req/s)" }</legend>
                        { text("loop-from", "from ", &self.from, Msg::From, "") }
                        { text("loop-to", "to ", &self.to, Msg::To, "") }
                        { text("loop-steps", "in ", &self.steps, Msg::Steps, " steps,") }
                        { text("loop-hold", "each held ", &self.hold, Msg::Hold, " s") }
                    </fieldset>
                    <fieldset class="axis policies">
                        <legend>{ "Retry admission" }</legend>
                        { for policies().iter().map(|&(name, label)| html! {
                            <label><input type="checkbox" id={format!("loop-{name}")} checked={self.chosen.contains(&name)}
                                onchange={link.callback(move |_| Msg::Toggle(name))} />{ label }</label>
                        }) }
                    </fieldset>
                    // One button, so that it keeps the focus as it turns from one into the other.
                    if running {
                        <button key="go" type="button" id="loop-cancel" onclick={link.callback(|e: MouseEvent| { e.prevent_default(); Msg::Cancel })}>{ "Cancel" }</button>
                    } else {
                        <button key="go" type="submit" id="loop-start" class="primary">{ "Draw loops" }</button>
                    }
                </form>
                }
                if let Some(error) = &self.error {
                    <p class="map-error" role="alert">{ sentence(error) }</p>
                }
                if let Some(loops) = &self.loops {
                    { self.result(ctx, loops) }
                }
            </section>
        }
    }
}

impl LoopPanel {
    fn result(&self, ctx: &Context<Self>, loops: &Loops) -> Html {
        let (done, total) = (loops.done(), loops.policies.len());
        let (run_s, total_s) = loops.seconds();
        let status = if loops.finished {
            // Policies that never act on this ramp (a cache that stays cold, say) draw one loop.
            let same = total > 1 && loops.points.windows(2).all(|w| w[0] == w[1]);
            let note = if same { ", every one the same: admission changes nothing here" } else { "" };
            format!("{}, {} levels each{note}", crate::ui::count(total, "loop"), loops.ramp.levels().len())
        } else if loops.cancelled {
            format!("Stopped after {done} of {total} loops")
        } else if run_s > 0.0 {
            let elapsed_s = (browser::now_ms() - loops.started_ms) / 1e3;
            let left_s = elapsed_s / run_s * (total_s - run_s);
            format!(
                "{done} of {total} loops · {:.0} % run · about {:.0} s left",
                100.0 * run_s / total_s,
                left_s.ceil()
            )
        } else {
            format!("{done} of {total} loops…")
        };
        let mut series = Vec::new();
        for (k, ((_, label), points)) in loops.policies.iter().zip(&loops.points).enumerate() {
            let Some(points) = points else { continue };
            let class = CLASSES[k % CLASSES.len()];
            for (rising, dash, way) in [(true, "", "up"), (false, "6 4", "down")] {
                // The way down starts from the top level, the way up's last point.
                let top = points.iter().rfind(|p| p.rising).filter(|_| !rising);
                let branch: Vec<(f64, f64)> = top
                    .into_iter()
                    .chain(points.iter().filter(|p| p.rising == rising))
                    .map(|p| (p.offered_rps, p.goodput_rps))
                    .collect();
                series.push(XySeries {
                    label: format!("{label} {way}").into(),
                    class,
                    dash,
                    points: Rc::new(branch),
                    fade: false,
                    times: None,
                });
            }
        }
        html! {
            <>
                <div class="map-progress" data-done={done.to_string()} data-total={total.to_string()} data-finished={loops.finished.to_string()}>
                    <progress max={format!("{total_s}")} value={format!("{run_s}")} aria-label="Loops run"></progress>
                    <span role="status">{ status }</span>
                    if done > 0 {
                        <button type="button" class="small" id="loop-csv" onclick={ctx.link().callback(|_| Msg::Save)}>{ "CSV" }</button>
                    }
                </div>
                if loops.stale(&ctx.props().scenario) {
                    <p class="map-stale">{ "The settings have changed since these loops were drawn. Draw them again to see them." }</p>
                }
                if done > 0 {
                    <XyChart title={loops.title.clone()} x_label="Offered load (req/s)" y_label="Goodput (req/s)"
                        {series} diagonal={Some("goodput = offered".to_string())} />
                }
            </>
        }
    }
}
