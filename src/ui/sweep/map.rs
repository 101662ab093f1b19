//! The stability map: one square per cell, its colour the cell's most common outcome, and purple
//! laid over it as deep as the cell's odds of collapse (all seeds stuck: solid purple). The live
//! settings are ringed. A cell shows its numbers when hovered or focused and opens when clicked.

use crate::sim::scenario::fields::format_number;
use crate::sim::sweep::{Outcome, Tally};
use std::rc::Rc;
use yew::prelude::*;

const WIDTH: f64 = 760.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 54.0;
/// Height of the plot: a map with a y axis, and a strip with none.
const MAP_H: f64 = 380.0;
const STRIP_H: f64 = 64.0;
/// Most tick labels on an axis.
const MAX_TICKS: usize = 8;

#[derive(Properties, PartialEq)]
pub struct MapProps {
    pub x_values: Rc<Vec<f64>>,
    pub y_values: Option<Rc<Vec<f64>>>,
    pub x_label: String,
    pub y_label: Option<String>,
    /// Each cell's tally (x fastest, then y); no runs yet for a cell still to come.
    pub tallies: Rc<Vec<Tally>>,
    /// The live settings' values on the axes, when within the map.
    pub marker: Option<(f64, Option<f64>)>,
    pub shown: Option<usize>,
    pub on_show: Callback<Option<usize>>,
    pub on_open: Callback<usize>,
}

/// The CSS class of an outcome's colour.
pub fn outcome_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Healthy => "run-healthy",
        Outcome::Recovered => "run-recovered",
        Outcome::Metastable => "run-metastable",
        Outcome::Overloaded => "run-overloaded",
        Outcome::Unsettled => "run-unsettled",
    }
}

/// Position of `value` along `values` (evenly spread), as a fraction of the cells: the middle of
/// cell i is (i + ½) ÷ n. None outside the range.
fn place(values: &[f64], value: f64) -> Option<f64> {
    let (first, last, n) = (*values.first()?, *values.last()?, values.len() as f64);
    if values.len() == 1 {
        return ((value - first).abs() <= 1e-9 * first.abs().max(1.0)).then_some(0.5);
    }
    let i = (value - first) / (last - first) * (n - 1.0);
    (-0.5..=n - 0.5).contains(&i).then_some((i + 0.5) / n)
}

/// Which values get a tick label: every k-th, so at most [`MAX_TICKS`].
fn ticked(n: usize) -> usize {
    n.div_ceil(MAX_TICKS).max(1)
}

#[component]
pub fn StabilityMap(props: &MapProps) -> Html {
    let nx = props.x_values.len().max(1);
    let ny = props.y_values.as_ref().map_or(1, |y| y.len().max(1));
    let plot_h = if props.y_values.is_some() { MAP_H } else { STRIP_H };
    let plot_w = WIDTH - LEFT - RIGHT;
    let (cw, ch) = (plot_w / nx as f64, plot_h / ny as f64);
    let height = TOP + plot_h + BOTTOM;
    let cell_x = |i: usize| LEFT + i as f64 * cw;
    // y grows upwards: row 0 at the bottom.
    let cell_y = |j: usize| TOP + plot_h - (j + 1) as f64 * ch;
    let labelled = cw >= 30.0 && ch >= 20.0;
    let cells = props.tallies.iter().enumerate().take(nx * ny).map(|(c, tally)| {
        let (i, j) = (c % nx, c / nx);
        let (x, y) = (cell_x(i), cell_y(j));
        let runs = tally.runs();
        let stuck = tally.count(Outcome::Metastable);
        let class = if runs == 0 { "cell pending" } else { outcome_class(tally.most()) };
        let odds = tally.odds();
        let shown = props.shown == Some(c);
        let on_show = props.on_show.clone();
        let on_open = props.on_open.clone();
        let on_key = props.on_open.clone();
        let title = if runs == 0 { "not run yet".to_string() } else { tally.describe() };
        let text = match (runs, stuck) {
            (0, _) => String::new(),
            (runs, stuck) if stuck > 0 && runs > 1 => format!("{stuck}/{runs}"),
            _ => tally.most().name()[..1].to_uppercase(),
        };
        html! {
            <g class={classes!("cell", class, shown.then_some("shown"))} tabindex="0" role="button"
                data-cell={c.to_string()} data-runs={runs.to_string()} data-odds={format!("{odds}")}
                data-outcome={(runs > 0).then(|| tally.most().name())}
                aria-label={format!("cell {}: {title}", c + 1)}
                onmouseenter={move |_| on_show.emit(Some(c))} onfocus={let s = props.on_show.clone(); move |_| s.emit(Some(c))}
                onclick={move |_| if runs > 0 { on_open.emit(c) }}
                onkeydown={move |e: KeyboardEvent| if runs > 0 && (e.key() == "Enter" || e.key() == " ") { e.prevent_default(); on_key.emit(c) }}>
                <title>{ title }</title>
                <rect class="base" x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", cw - 1.0)} height={format!("{:.1}", ch - 1.0)} />
                if stuck > 0 {
                    <rect class="stuck" x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", cw - 1.0)} height={format!("{:.1}", ch - 1.0)}
                        fill-opacity={format!("{:.2}", 0.25 + 0.75 * odds)} />
                }
                if labelled && !text.is_empty() {
                    <text x={format!("{:.1}", x + cw / 2.0)} y={format!("{:.1}", y + ch / 2.0 + 5.0)} text-anchor="middle">{ text }</text>
                }
            </g>
        }
    });
    let x_every = ticked(nx);
    let x_ticks = props.x_values.iter().enumerate().filter(|(i, _)| i % x_every == 0 || *i + 1 == nx).map(|(i, v)| {
        html! { <text class="tick" x={format!("{:.1}", cell_x(i) + cw / 2.0)} y={format!("{:.1}", TOP + plot_h + 18.0)} text-anchor="middle">{ format_number(*v) }</text> }
    });
    let y_ticks = props.y_values.iter().flat_map(|ys| {
        let every = ticked(ny);
        ys.iter().enumerate().filter(move |(j, _)| j % every == 0 || *j + 1 == ny).map(|(j, v)| {
            html! { <text class="tick" x={format!("{:.1}", LEFT - 6.0)} y={format!("{:.1}", cell_y(j) + ch / 2.0 + 5.0)} text-anchor="end">{ format_number(*v) }</text> }
        }).collect::<Vec<_>>()
    });
    let marker = props.marker.and_then(|(mx, my)| {
        let fx = place(&props.x_values, mx)?;
        let fy = match (&props.y_values, my) {
            (Some(ys), Some(my)) => place(ys, my)?,
            _ => 0.5,
        };
        let (x, y) = (LEFT + fx * plot_w, TOP + plot_h - fy * plot_h);
        Some(html! {
            <g class="marker" aria-hidden="true">
                <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="9" />
                <circle class="center" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="2.5" />
            </g>
        })
    });
    html! {
        <svg class="map" viewBox={format!("0 0 {WIDTH} {height:.0}")} role="group"
            aria-label={format!("Stability map: {} across{}", props.x_label, props.y_label.as_ref().map_or(String::new(), |y| format!(", {y} up")))}>
            { for cells }
            { for x_ticks }
            { for y_ticks }
            <text class="axis-title" x={format!("{:.1}", LEFT + plot_w / 2.0)} y={format!("{:.1}", height - 8.0)} text-anchor="middle">{ &props.x_label }</text>
            if let Some(y_label) = &props.y_label {
                <text class="axis-title" transform={format!("translate(16 {:.1}) rotate(-90)", TOP + plot_h / 2.0)} text-anchor="middle">{ y_label }</text>
            }
            { for marker }
        </svg>
    }
}
