//! The live diagram: clients → cache → backend, with the cache's hits and the backend's responses
//! returning to the clients, every arrow carrying its rate; sampled requests drawn as dots that
//! move to the stage they reached, coloured and shaped by outcome (a hit slides back from the
//! cache); the cache's fill, the queue's fill and the busy workers at a glance. The legend gives
//! each outcome's rate, so with reduced motion (no dots) the same story is told in numbers. In a
//! chain, the tiers behind the first follow in a second row, each with its queue and busy workers.

mod dots;
mod live;

pub use dots::Dots;
pub use live::{live, tier_boxes};

use crate::sim::Stage;
use yew::prelude::*;

/// A sampled request at its latest stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    pub request: u64,
    pub stage: Stage,
}

/// What became of requests in the newest window, per second (sampled dots show the same).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcomes {
    pub succeeded: f64,
    pub retried: f64,
    pub timed_out: f64,
    /// Backend completions whose caller had gone, at every tier of the chain.
    pub wasted: f64,
    pub errored: f64,
    /// Attempts answered by the cache, and by the backend.
    pub hits: f64,
    pub responses: f64,
    /// Logical requests in flight at the window's end (a count, not a rate).
    pub in_flight: u64,
}

/// One tier as the diagram shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TierBox {
    pub name: String,
    pub queue_len: u64,
    pub queue_limit: u64,
    pub busy: u64,
    pub workers: u64,
    /// Attempts its caller sent it, and those that reached its backend, per second in the newest
    /// window (none before the first closes).
    pub attempts_rps: Option<f64>,
    pub arrivals_rps: Option<f64>,
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub dots: Vec<Dot>,
    pub cache_fill: f64,
    pub cache_capacity: u64,
    /// The first tier's cache is switched on (with capacity 0 it still answers, always a miss).
    pub cache_enabled: bool,
    /// The newest window's offered load and outcomes: none before the first window closes.
    pub offered_rps: Option<f64>,
    pub outcomes: Option<Outcomes>,
    /// Every tier, the first first (at least one).
    pub tiers: Vec<TierBox>,
    /// Moving dots are off (prefers-reduced-motion).
    pub reduced_motion: bool,
}

/// Where a stage sits, and how the dot looks there.
fn place(stage: Stage, lane: f64) -> (f64, f64, &'static str) {
    match stage {
        Stage::Created => (115.0, 95.0 + lane * 0.6, "o-flight"),
        // On the way back: the dot slides home from the cache (see the style sheet).
        Stage::CacheHit => (200.0 + lane * 1.2, 166.0, "o-hit"),
        Stage::CacheMiss => (350.0, 95.0 + lane * 0.6, "o-flight"),
        Stage::Queued => (550.0 + lane * 2.0, 62.0, "o-flight"),
        Stage::Served => (550.0 + lane * 2.0, 82.0, "o-flight"),
        Stage::Succeeded => (40.0, 95.0 + lane * 0.6, "o-success"),
        Stage::TimedOut => (70.0, 160.0 + lane * 0.5, "o-timeout"),
        Stage::Errored | Stage::Failed => (40.0, 160.0 + lane * 0.5, "o-error"),
        Stage::Retried => (115.0, 160.0 + lane * 0.5, "o-retry"),
        Stage::Wasted => (550.0 + lane * 2.0, 102.0, "o-wasted"),
    }
}

fn shape(class: &'static str) -> Html {
    match class {
        "o-timeout" => html! { <path d="M-4,-4L4,4M4,-4L-4,4" /> },
        "o-wasted" => html! { <rect x="-4" y="-4" width="8" height="8" /> },
        "o-retry" => html! { <circle r="4.5" class="ring" /> },
        "o-error" => html! { <path d="M0,-5L5,4L-5,4Z" /> },
        "o-hit" => html! { <path d="M0,-5L5,0L0,5L-5,0Z" /> },
        _ => html! { <circle r="4" /> },
    }
}

fn bar(x: f64, y: f64, w: f64, fraction: f64, label: String) -> Html {
    let filled = w * fraction.clamp(0.0, 1.0);
    html! {
        <g class="bar">
            <rect class="bar-bg" x={x.to_string()} y={y.to_string()} width={w.to_string()} height="10" />
            <rect class="bar-fill" x={x.to_string()} y={y.to_string()} width={filled.to_string()} height="10" />
            <text x={x.to_string()} y={(y + 24.0).to_string()}>{ label }</text>
        </g>
    }
}

fn fraction(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// A rate per second, or a dash before there is one.
fn per_s(rps: Option<f64>) -> String {
    rps.map_or_else(|| "–".to_string(), |v| format!("{v:.0}/s"))
}

fn rate(x: f64, y: f64, what: &str, rps: Option<f64>) -> Html {
    html! { <text class="rate" x={x.to_string()} y={y.to_string()} text-anchor="middle">{ format!("{what}{}", per_s(rps)) }</text> }
}

/// The outcomes the legend names, with their shape's class and their rate.
fn legend(o: Option<&Outcomes>) -> [(&'static str, &'static str, String); 7] {
    let of = |f: fn(&Outcomes) -> f64| per_s(o.map(f));
    [
        ("o-flight", "in flight", o.map_or_else(|| "–".to_string(), |o| o.in_flight.to_string())),
        ("o-hit", "cache hit", of(|o| o.hits)),
        ("o-success", "success", of(|o| o.succeeded)),
        ("o-retry", "retry", of(|o| o.retried)),
        ("o-timeout", "timeout", of(|o| o.timed_out)),
        ("o-wasted", "wasted", of(|o| o.wasted)),
        ("o-error", "error", of(|o| o.errored)),
    ]
}

/// With reduced motion, in place of the dots: each outcome's rate written where its dots gather.
fn tallies(o: Option<&Outcomes>) -> Html {
    let of = |f: fn(&Outcomes) -> f64| per_s(o.map(f));
    let row = |x: f64, y: f64, class: &'static str, text: String| {
        html! {
            <g class={classes!("tally", class)}>
                <g transform={format!("translate({x} {})", y - 4.0)}>{ shape(class) }</g>
                <text x={(x + 10.0).to_string()} y={y.to_string()}>{ text }</text>
            </g>
        }
    };
    html! {
        <g class="tallies">
            { row(24.0, 82.0, "o-flight", format!("in flight {}", o.map_or_else(|| "–".to_string(), |o| o.in_flight.to_string()))) }
            { row(24.0, 102.0, "o-success", format!("success {}", of(|o| o.succeeded))) }
            { row(24.0, 122.0, "o-retry", format!("retry {}", of(|o| o.retried))) }
            { row(24.0, 142.0, "o-timeout", format!("timeout {}", of(|o| o.timed_out))) }
            { row(24.0, 162.0, "o-error", format!("error {}", of(|o| o.errored))) }
            { row(175.0, 170.0, "o-hit", of(|o| o.hits)) }
            { row(486.0, 78.0, "o-wasted", format!("wasted {}", of(|o| o.wasted))) }
        </g>
    }
}

/// Tiers behind the first start this far down.
const LATER_ROW: f64 = 270.0;

/// Tier `index` (≥ 1) in the second row, laid right to left under the first tier.
fn later_tier(index: usize, tier: &TierBox) -> Html {
    let x = 470.0 - 220.0 * (index - 1) as f64;
    let top = LATER_ROW;
    let (from_x, from_y, to_x, to_y) =
        if index == 1 { (605.0, 200.0, 605.0, top - 4.0) } else { (x + 220.0, top + 55.0, x + 164.0, top + 55.0) };
    let (label_x, label_y) = if index == 1 { (565.0, top - 12.0) } else { (x + 192.0, top + 48.0) };
    html! {
        <g class="later-tier">
            <line class="arrow" x1={from_x.to_string()} y1={from_y.to_string()} x2={to_x.to_string()} y2={to_y.to_string()} marker-end="url(#arrow)" />
            { rate(label_x, label_y, "", tier.attempts_rps) }
            <g class="node"><rect x={x.to_string()} y={top.to_string()} width="160" height="110" rx="10" />
                <text x={(x + 80.0).to_string()} y={(top + 20.0).to_string()}>{ format!("{} · {}", index + 1, tier.name) }</text></g>
            { bar(x + 12.0, top + 32.0, 136.0, fraction(tier.queue_len, tier.queue_limit), format!("queue {} / {}", tier.queue_len, tier.queue_limit)) }
            { bar(x + 12.0, top + 72.0, 136.0, fraction(tier.busy, tier.workers), format!("busy {} / {}", tier.busy, tier.workers)) }
        </g>
    }
}

#[component]
pub fn Diagram(props: &DiagramProps) -> Html {
    let dots = props.dots.iter().map(|d| {
        let lane = (d.request.wrapping_mul(2_654_435_761) % 60) as f64 - 30.0;
        let (x, y, class) = place(d.stage, lane);
        html! {
            <g key={d.request.to_string()} class={classes!("dot", class)} style={format!("transform: translate({x:.1}px, {y:.1}px)")}>
                { shape(class) }
            </g>
        }
    });
    let Some(first) = props.tiers.first() else {
        return Html::default();
    };
    let chain = props.tiers.len() > 1;
    let tiers_summary: Vec<String> = props
        .tiers
        .iter()
        .map(|t| {
            format!("{}: queue {} of {}, {} of {} workers busy", t.name, t.queue_len, t.queue_limit, t.busy, t.workers)
        })
        .collect();
    let summary = format!(
        "{} requests per second offered; cache {:.0} % full; {}",
        props.offered_rps.map_or_else(|| "–".to_string(), |v| format!("{v:.0}")),
        props.cache_fill * 100.0,
        tiers_summary.join("; ")
    );
    let height = if chain { LATER_ROW + 120.0 } else { 240.0 };
    let backend_title = if chain { format!("1 · {}", first.name) } else { "Backend".to_string() };
    html! {
        <figure class="diagram">
            // On a narrow screen the drawing keeps its size (text stays readable) and scrolls sideways.
            <p class="scroll-hint" aria-hidden="true">{ "Scroll the diagram sideways for the cache and backend →" }</p>
            <div class="diagram-scroll" tabindex="0" role="region" aria-label="Diagram (scrolls sideways on a narrow screen)">
            <svg class={chain.then_some("two-rows")} viewBox={format!("0 0 640 {height}")} role="img" aria-label={summary}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
                        <path d="M0,0L10,5L0,10z" class="arrowhead" />
                    </marker>
                </defs>
                <g class="node"><rect x="10" y="20" width="140" height="180" rx="10" /><text x="80" y="40">{ "Clients" }</text>
                    <text class="sub" x="80" y="56">{ props.offered_rps.map_or_else(|| "– req/s".to_string(), |v| format!("{v:.0} req/s")) }</text></g>
                <g class="node"><rect x="250" y="20" width="140" height="180" rx="10" /><text x="320" y="40">{ "Cache" }</text></g>
                <g class="node"><rect x="470" y="20" width="160" height="180" rx="10" /><text x="550" y="40">{ backend_title }</text></g>
                // Out: attempts to the cache, misses to the backend.
                <line class="arrow" x1="150" y1="90" x2="246" y2="90" marker-end="url(#arrow)" />
                <line class="arrow" x1="390" y1="90" x2="466" y2="90" marker-end="url(#arrow)" />
                // Back: hits from the cache, responses from the backend (below the boxes).
                <line class="arrow back" x1="250" y1="148" x2="154" y2="148" marker-end="url(#arrow)" />
                <polyline class="arrow back" points="500,200 500,222 80,222 80,204" fill="none" marker-end="url(#arrow)" />
                { for props.tiers.iter().enumerate().skip(1).map(|(i, t)| later_tier(i, t)) }
                if !props.cache_enabled {
                    <text class="sub" x="320" y="180" text-anchor="middle">{ "off: calls pass by" }</text>
                } else if props.cache_capacity == 0 {
                    <text class="sub" x="320" y="180" text-anchor="middle">{ "holds no keys: all miss" }</text>
                } else {
                    { bar(262.0, 160.0, 116.0, props.cache_fill, format!("{:.0} % of {} keys", props.cache_fill * 100.0, props.cache_capacity)) }
                }
                { bar(482.0, 118.0, 136.0, fraction(first.queue_len, first.queue_limit), format!("queue {} / {}", first.queue_len, first.queue_limit)) }
                { bar(482.0, 160.0, 136.0, fraction(first.busy, first.workers), format!("busy {} / {} workers", first.busy, first.workers)) }
                if props.reduced_motion {
                    { tallies(props.outcomes.as_ref()) }
                } else {
                    <g class="dots">{ for dots }</g>
                }
                // The arrows' rates over the dots that pass them.
                { rate(198.0, 82.0, "", first.attempts_rps) }
                { rate(428.0, 82.0, "", first.arrivals_rps) }
                { rate(200.0, 140.0, "hits ", props.outcomes.map(|o| o.hits)) }
                { rate(290.0, 236.0, "responses ", props.outcomes.map(|o| o.responses)) }
            </svg>
            </div>
            <figcaption class="legend">
                { for legend(props.outcomes.as_ref()).into_iter().map(|(class, label, value)| html! {
                    <span class={classes!("key", class)}>
                        <svg viewBox="-6 -6 12 12" aria-hidden="true">{ shape(class) }</svg>{ label }
                        <span class="value">{ value }</span>
                    </span>
                }) }
            </figcaption>
        </figure>
    }
}
