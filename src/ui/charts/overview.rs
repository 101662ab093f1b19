//! The whole run at a glance, above the charts' sliding window: offered load and goodput from time
//! zero, every trigger and setting change, and the part the other charts show shaded, so nothing
//! that happened scrolls out of reach.

use super::{LineChart, Mark, Series};
use crate::sim::Window;
use std::rc::Rc;
use yew::prelude::*;

/// At most this many points per line: windows are averaged in runs of equal length beyond it.
const MOST_POINTS: usize = 360;

#[derive(Properties, PartialEq)]
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
pub fn whole_run<'a>(windows: impl ExactSizeIterator<Item = &'a Window>) -> Vec<Series> {
    let step = windows.len().div_ceil(MOST_POINTS).max(1);
    let (mut offered, mut goodput) = (Vec::new(), Vec::new());
    let mut run = (0usize, 0.0, 0.0);
    let mut windows_end = 0.0;
    for w in windows {
        windows_end = w.end_s;
        run = (run.0 + 1, run.1 + w.offered_rps, run.2 + w.goodput_rps);
        if run.0 == step {
            offered.push((w.end_s, Some(run.1 / step as f64)));
            goodput.push((w.end_s, Some(run.2 / step as f64)));
            run = (0, 0.0, 0.0);
        }
    }
    if run.0 > 0 {
        let end = windows_end;
        offered.push((end, Some(run.1 / run.0 as f64)));
        goodput.push((end, Some(run.2 / run.0 as f64)));
    }
    let line = |label: &str, class, points| Series { label: label.into(), class, dash: "", points: Rc::new(points) };
    vec![line("offered", "c-offered", offered), line("goodput", "c-goodput", goodput)]
}

#[component]
pub fn Overview(props: &OverviewProps) -> Html {
    html! {
        <div class="overview">
            <LineChart title="Whole run" unit="req/s" series={props.lines.clone()} from_s={props.from_s}
                to_s={props.now_s.max(props.from_s + 1.0)} marks={props.marks.clone()} window={Some(props.window)}
                lines={Some(4.0)} />
        </div>
    }
}
