//! The live charts: throughput, latency against the timeout, queue, utilisation and hit rate,
//! retry amplification. Every value is read from the engine's windows.

mod chart;
mod marks;
pub(crate) mod measure;
mod overview;
mod xy;

pub use crate::sim::metrics::Chart;
pub(crate) use chart::wrap_rows;
pub use chart::{ChartProps, LineChart, Mark, Series, nice_ceiling};
pub use marks::{item_label, marks, timeout};
pub use overview::{OverviewProps, overview, whole_run};

use crate::link::Embed;
pub use xy::{XyChart, XyProps, XySeries};

use crate::sim::Window;
use crate::sim::metrics::TierWindow;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// Windows in view, oldest first.
    pub windows: Rc<Vec<Window>>,
    pub from_s: f64,
    pub to_s: f64,
    pub marks: Rc<Vec<Mark>>,
    /// The clients' timeout in ms over time (see [`timeout`]).
    pub timeout: Rc<Vec<(f64, Option<f64>)>>,
    /// Only throughput and latency, unless `only` says otherwise: for embeds.
    #[prop_or_default]
    pub compact: bool,
    /// The charts shown, in this order (by default all, or throughput and latency when compact).
    #[prop_or_default]
    pub only: Option<Rc<Vec<Chart>>>,
    /// Windows of a run shown beside this one: each chart's y axis reaches the larger maximum of
    /// the two, so the two sets share their axes.
    #[prop_or_default]
    pub peer: Option<Rc<Vec<Window>>>,
    /// In a chain: the tier the charts show (0 for the first), or `None` for every tier at once.
    #[prop_or_default]
    pub tier: Option<usize>,
    /// Drawn across the grid after the first two charts (the whole-run overview).
    #[prop_or_default]
    pub children: Html,
    /// The state space, drawn in its place when the charts shown include it.
    #[prop_or_default]
    pub last: Html,
    /// Charts taller for their width: a lesson's, projected.
    #[prop_or_default]
    pub tall: bool,
}

fn series(
    windows: &[Window],
    label: &str,
    class: &'static str,
    dash: &'static str,
    value: impl Fn(&Window) -> Option<f64>,
) -> Series {
    Series { label: label.into(), class, dash, points: Rc::new(windows.iter().map(|w| (w.end_s, value(w))).collect()) }
}

/// Colour and dash of each tier's line in the whole-chain charts.
const TIER_STYLES: [(&str, &str); 4] =
    [("c-attempts", ""), ("c-backend", "6 3"), ("c-wasted", "2 2"), ("c-amp", "8 2 2 2")];

/// One line per tier of `value` of that tier's window, labelled with the tier's name.
fn per_tier(windows: &[Window], value: fn(&TierWindow) -> Option<f64>) -> Vec<Series> {
    let names: Vec<String> = windows.last().map_or(Vec::new(), |w| w.tiers.iter().map(|t| t.name.clone()).collect());
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (class, dash) = TIER_STYLES[i % TIER_STYLES.len()];
            series(windows, name, class, dash, move |w| w.tiers.get(i).and_then(value))
        })
        .collect()
}

type ChartSpec = (&'static str, &'static str, Vec<Series>);

/// The queue, utilisation and amplification charts of a chain: every tier at once, or one.
fn chain_charts(w: &[Window], tier: Option<usize>) -> [ChartSpec; 3] {
    match tier {
        None => [
            ("Queue per tier", "requests", per_tier(w, |t| Some(t.queue_len as f64))),
            ("Busy workers per tier", "%", per_tier(w, |t| Some(t.utilization * 100.0))),
            ("Attempts reaching each tier", "÷ offered", per_tier(w, |t| t.retry_amplification)),
        ],
        Some(i) => {
            let at = move |f: fn(&TierWindow) -> Option<f64>| move |w: &Window| w.tiers.get(i).and_then(f);
            [
                ("Tier queue", "requests", vec![series(w, "queued", "c-queue", "", at(|t| Some(t.queue_len as f64)))]),
                (
                    "Tier utilisation and cache hit rate",
                    "%",
                    vec![
                        series(w, "utilisation", "c-util", "", at(|t| Some(t.utilization * 100.0))),
                        series(w, "hit rate", "c-hit", "6 3", at(|t| t.cache_hit_rate.map(|h| h * 100.0))),
                    ],
                ),
                (
                    "Tier retry amplification",
                    "attempts",
                    vec![
                        series(w, "per call", "c-amp", "", at(|t| t.attempts_per_call)),
                        series(w, "per request", "c-attempts", "6 3", at(|t| t.retry_amplification)),
                    ],
                ),
            ]
        }
    }
}

/// Every chart of `w` with what it shows: the throughput, latency, queue, utilisation and
/// amplification charts, of the chain's tier `tier` (or every tier) when there are several.
fn specs(w: &[Window], tier: Option<usize>) -> [(Chart, ChartSpec); 5] {
    let chain = w.last().is_some_and(|w| w.tiers.len() > 1);
    let throughput = match tier.filter(|_| chain) {
        Some(i) => {
            let at = move |f: fn(&TierWindow) -> f64| move |w: &Window| w.tiers.get(i).map(f);
            (
                "Tier throughput",
                "req/s",
                vec![
                    series(w, "calls", "c-offered", "", at(|t| t.calls_rps)),
                    series(w, "attempts", "c-attempts", "6 3", at(|t| t.attempts_rps)),
                    series(w, "goodput", "c-goodput", "", at(|t| t.goodput_rps)),
                    series(w, "backend", "c-backend", "2 2", at(|t| t.backend_completions_rps)),
                    series(w, "wasted", "c-wasted", "8 2 2 2", at(|t| t.wasted_rps)),
                ],
            )
        }
        // A chain's backend and wasted lines are its first tier's (each tier's are in its own charts).
        None => (
            if chain { "Throughput, backend of tier 1" } else { "Throughput" },
            "req/s",
            vec![
                series(w, "offered", "c-offered", "", |w| Some(w.offered_rps)),
                series(w, "attempts", "c-attempts", "6 3", |w| Some(w.attempts_rps)),
                series(w, "goodput", "c-goodput", "", |w| Some(w.goodput_rps)),
                series(w, "backend", "c-backend", "2 2", |w| Some(w.backend_completions_rps)),
                series(w, "wasted", "c-wasted", "8 2 2 2", |w| Some(w.wasted_rps)),
            ],
        ),
    };
    let latency = (
        "Latency of successes",
        "ms",
        vec![
            series(w, "p50", "c-p50", "2 2", |w| w.p50_ms),
            series(w, "p99", "c-p99", "", |w| w.p99_ms),
            series(w, "e2e p99", "c-e2e", "6 3", |w| w.e2e_p99_ms),
        ],
    );
    let queue = ("Backend queue", "requests", vec![series(w, "queued", "c-queue", "", |w| Some(w.queue_len as f64))]);
    let ratios = (
        "Utilisation and cache hit rate",
        "%",
        vec![
            series(w, "utilisation", "c-util", "", |w| Some(w.utilization * 100.0)),
            series(w, "hit rate", "c-hit", "6 3", |w| w.cache_hit_rate.map(|h| h * 100.0)),
        ],
    );
    let amplification = (
        "Retry amplification",
        "attempts ÷ offered",
        vec![series(w, "per request", "c-amp", "", |w| w.retry_amplification)],
    );
    let [queue, ratios, amplification] = if chain { chain_charts(w, tier) } else { [queue, ratios, amplification] };
    [
        (Chart::Throughput, throughput),
        (Chart::Latency, latency),
        (Chart::Queue, queue),
        (Chart::Utilization, ratios),
        (Chart::Amplification, amplification),
    ]
}

/// The largest value of `series` from `from_s` on.
fn data_max(series: &[Series], from_s: f64) -> f64 {
    series
        .iter()
        .flat_map(|s| s.points.iter().filter(|(t, _)| *t >= from_s).filter_map(|(_, v)| *v))
        .fold(0.0, f64::max)
}

#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let shown: Vec<Chart> = match &props.only {
        Some(only) => only.to_vec(),
        None if props.compact => Embed::DEFAULT_CHARTS.to_vec(),
        None => Chart::ALL.to_vec(),
    };
    let mine = specs(&props.windows, props.tier);
    let peer = props.peer.as_ref().map(|p| specs(p, props.tier));
    // One right margin for every chart shown, so their time axes line up.
    let label_chars = shown
        .iter()
        .filter_map(|kind| mine.iter().find(|(c, _)| c == kind))
        .map(|(_, (_, _, series))| chart::longest_label(series))
        .max();
    let charts = shown.iter().filter_map(|kind| {
        if *kind == Chart::StateSpace {
            return Some(props.last.clone());
        }
        let index = mine.iter().position(|(c, _)| c == kind)?;
        let (_, (title, unit, mut series)) = mine[index].clone();
        // The timeout in view, up to the newest window, with a step where it changed: from the value
        // in force at the chart's start (earlier ones neither drawn nor counted in its scale).
        if *kind == Chart::Latency {
            let end_s = props.windows.last().map_or(props.to_s, |w| w.end_s);
            let mut points = Vec::new();
            for &(t, v) in props.timeout.iter() {
                if t <= props.from_s {
                    points.clear();
                }
                points.push((t.clamp(props.from_s, end_s), v));
            }
            if points.iter().any(|p| p.1.is_some()) {
                series.push(Series {
                    label: "timeout".into(),
                    class: "c-timeout",
                    dash: "10 4",
                    points: Rc::new(points),
                });
            }
        }
        let y_max = match (kind, &peer) {
            (Chart::Utilization, _) => Some(100.0),
            (_, Some(peer)) => {
                let top = data_max(&series, props.from_s).max(data_max(&peer[index].1.2, props.from_s));
                Some(nice_ceiling(top * 1.05))
            }
            _ => None,
        };
        Some(html! {
            <LineChart {title} {unit} {series} from_s={props.from_s} to_s={props.to_s} {y_max}
                marks={props.marks.clone()} {label_chars} tall={props.tall} />
        })
    });
    let mut charts: Vec<Html> = charts.collect();
    charts.insert(charts.len().min(2), html! { <div class="across">{ props.children.clone() }</div> });
    html! {
        <section class="charts" aria-label="Charts">
            { for charts }
        </section>
    }
}
