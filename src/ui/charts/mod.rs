//! The live charts: throughput, latency against the timeout, queue, utilisation and hit rate,
//! retry amplification. Every value is read from the engine's windows.

mod chart;
mod export;

pub use chart::{ChartProps, LineChart, Mark, Series};

use crate::sim::Window;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// Windows in view, oldest first.
    pub windows: Rc<Vec<Window>>,
    pub from_s: f64,
    pub to_s: f64,
    pub marks: Rc<Vec<Mark>>,
    pub timeout_ms: Option<f64>,
    /// Only throughput and latency, for embeds.
    #[prop_or_default]
    pub compact: bool,
}

fn series(
    windows: &[Window],
    label: &'static str,
    class: &'static str,
    dash: &'static str,
    value: impl Fn(&Window) -> Option<f64>,
) -> Series {
    Series { label, class, dash, points: Rc::new(windows.iter().map(|w| (w.end_s, value(w))).collect()) }
}

#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let w = &props.windows[..];
    let throughput = (
        "Throughput",
        "req/s",
        vec![
            series(w, "offered", "c-offered", "", |w| Some(w.offered_rps)),
            series(w, "attempts", "c-attempts", "6 3", |w| Some(w.attempts_rps)),
            series(w, "goodput", "c-goodput", "", |w| Some(w.goodput_rps)),
            series(w, "backend", "c-backend", "2 2", |w| Some(w.backend_completions_rps)),
            series(w, "wasted", "c-wasted", "8 2 2 2", |w| Some(w.wasted_rps)),
        ],
    );
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
        vec![series(w, "amplification", "c-amp", "", |w| w.retry_amplification)],
    );
    let threshold = props.timeout_ms.map(|t| (t, format!("timeout {t:.0} ms")));
    let chart = |(title, unit, series): (&'static str, &'static str, Vec<Series>),
                 y_max: Option<f64>,
                 threshold: Option<(f64, String)>| {
        html! {
            <LineChart {title} {unit} {series} from_s={props.from_s} to_s={props.to_s} {y_max}
                marks={props.marks.clone()} {threshold} narrow={props.compact} />
        }
    };
    html! {
        <section class="charts" aria-label="Charts">
            { chart(throughput, None, None) }
            { chart(latency, None, threshold) }
            if !props.compact {
                { chart(queue, None, None) }
                { chart(ratios, Some(100.0), None) }
                { chart(amplification, None, None) }
            }
        </section>
    }
}
