//! The whole run at a glance, under the first two charts of the sliding window: offered load and
//! goodput from time zero, every trigger and setting change, and the part the other charts show shaded, so nothing
//! that happened scrolls out of reach.

use super::{LineChart, Mark, Series};
use crate::sim::Window;
use std::rc::Rc;
use yew::prelude::*;

/// At most this many points per line: windows are averaged in runs of equal length beyond it.
const MOST_POINTS: usize = 360;

#[derive(PartialEq)]
pub struct OverviewProps {
    /// Offered load and goodput, from [`whole_run`].
    pub lines: Vec<Series>,
    pub from_s: f64,
    pub now_s: f64,
    /// The part of the time axis the other charts show.
    pub window: (f64, f64),
    pub marks: Rc<Vec<Mark>>,
}

/// The overview's lines over `windows` (every window kept, oldest first): means over runs of
/// windows of equal length, so there are never more than [`MOST_POINTS`].
pub fn whole_run<'a>(windows: impl Iterator<Item = &'a Window>) -> Vec<Series> {
    let rows: Vec<(f64, f64, f64)> = windows.map(|w| (w.end_s, w.offered_rps, w.goodput_rps)).collect();
    let step = rows.len().div_ceil(MOST_POINTS).max(1);
    let means = |value: fn(&(f64, f64, f64)) -> f64| {
        let runs = rows
            .chunks(step)
            .map(|run| (run[run.len() - 1].0, Some(run.iter().map(value).sum::<f64>() / run.len() as f64)));
        Rc::new(runs.collect::<Vec<_>>())
    };
    let line = |label: &str, class, points| Series { label: label.into(), class, dash: "", points };
    vec![line("offered", "c-offered", means(|r| r.1)), line("goodput", "c-goodput", means(|r| r.2))]
}

/// The overview: a line chart, which is drawn again only when its lines or marks change.
pub fn overview(props: &OverviewProps) -> Html {
    html! {
        <div class="overview">
            <LineChart title="Whole run" unit="req/s" series={props.lines.clone()} from_s={props.from_s}
                to_s={props.now_s.max(props.from_s + 1.0)} marks={props.marks.clone()} window={Some(props.window)}
                lines={Some(4.0)} />
        </div>
    }
}
