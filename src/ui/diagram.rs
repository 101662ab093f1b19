//! The live diagram: clients → cache → backend, with sampled requests drawn as dots that move to
//! the stage they reached, coloured and shaped by outcome, and the cache's fill, the queue's fill
//! and the busy workers at a glance.

use crate::sim::Stage;
use yew::prelude::*;

/// A sampled request at its latest stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    pub request: u64,
    pub stage: Stage,
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub dots: Vec<Dot>,
    pub cache_fill: f64,
    pub cache_capacity: u64,
    pub queue_len: u64,
    pub queue_limit: u64,
    pub busy: u64,
    pub workers: u64,
    pub offered_rps: f64,
    /// Moving dots are off (prefers-reduced-motion).
    pub reduced_motion: bool,
}

/// Where a stage sits, and how the dot looks there.
fn place(stage: Stage, lane: f64) -> (f64, f64, &'static str) {
    match stage {
        Stage::Created => (110.0, 100.0 + lane * 0.6, "o-new"),
        Stage::CacheHit => (300.0, 95.0 + lane * 0.6, "o-hit"),
        Stage::CacheMiss => (350.0, 95.0 + lane * 0.6, "o-miss"),
        Stage::Queued => (550.0 + lane * 1.1, 98.0, "o-queued"),
        Stage::Served => (550.0 + lane * 1.1, 160.0, "o-served"),
        Stage::Succeeded => (45.0, 100.0 + lane * 0.6, "o-success"),
        Stage::TimedOut => (70.0, 150.0 + lane * 0.25, "o-timeout"),
        Stage::Errored | Stage::Failed => (45.0, 150.0 + lane * 0.25, "o-error"),
        Stage::Retried => (115.0, 150.0 + lane * 0.25, "o-retry"),
        Stage::Wasted => (610.0, 60.0 + lane * 0.25, "o-wasted"),
    }
}

fn shape(class: &'static str) -> Html {
    match class {
        "o-timeout" => html! { <path d="M-4,-4L4,4M4,-4L-4,4" /> },
        "o-wasted" => html! { <rect x="-4" y="-4" width="8" height="8" /> },
        "o-retry" => html! { <circle r="4.5" class="ring" /> },
        "o-error" => html! { <path d="M0,-5L5,4L-5,4Z" /> },
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
    let queue_fraction = if props.queue_limit == 0 { 0.0 } else { props.queue_len as f64 / props.queue_limit as f64 };
    let busy_fraction = if props.workers == 0 { 0.0 } else { props.busy as f64 / props.workers as f64 };
    let summary = format!(
        "{:.0} requests per second offered; cache {:.0} % full; backend queue {} of {}; {} of {} workers busy",
        props.offered_rps,
        props.cache_fill * 100.0,
        props.queue_len,
        props.queue_limit,
        props.busy,
        props.workers
    );
    html! {
        <figure class="diagram">
            <svg viewBox="0 0 640 210" role="img" aria-label={summary}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
                        <path d="M0,0L10,5L0,10z" class="arrowhead" />
                    </marker>
                </defs>
                <g class="node"><rect x="10" y="20" width="140" height="170" rx="10" /><text x="80" y="40">{ "Clients" }</text>
                    <text class="sub" x="80" y="56">{ format!("{:.0} req/s", props.offered_rps) }</text></g>
                <g class="node"><rect x="250" y="20" width="140" height="170" rx="10" /><text x="320" y="40">{ "Cache" }</text></g>
                <g class="node"><rect x="470" y="20" width="160" height="170" rx="10" /><text x="550" y="40">{ "Backend" }</text></g>
                <line class="arrow" x1="150" y1="105" x2="246" y2="105" marker-end="url(#arrow)" />
                <line class="arrow" x1="390" y1="105" x2="466" y2="105" marker-end="url(#arrow)" />
                if props.cache_capacity == 0 {
                    <text class="sub" x="320" y="172" text-anchor="middle">{ "no cache (hit rate 0)" }</text>
                } else {
                    { bar(262.0, 155.0, 116.0, props.cache_fill, format!("{:.0} % of {} keys", props.cache_fill * 100.0, props.cache_capacity)) }
                }
                { bar(482.0, 110.0, 136.0, queue_fraction, format!("queue {} / {}", props.queue_len, props.queue_limit)) }
                { bar(482.0, 155.0, 136.0, busy_fraction, format!("busy {} / {} workers", props.busy, props.workers)) }
                if !props.reduced_motion {
                    <g class="dots">{ for dots }</g>
                }
            </svg>
            <figcaption class="legend">
                { for [("o-success", "success"), ("o-retry", "retry"), ("o-timeout", "timeout"), ("o-wasted", "wasted"), ("o-error", "error")]
                    .iter().map(|(class, label)| html! {
                        <span class={classes!("key", *class)}>
                            <svg viewBox="-6 -6 12 12" aria-hidden="true">{ shape(class) }</svg>{ *label }
                        </span>
                    }) }
            </figcaption>
        </figure>
    }
}
