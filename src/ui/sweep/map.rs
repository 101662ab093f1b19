//! The stability map: one square per cell, its colour the cell's most common outcome, and purple
//! laid over it as deep as the cell's odds of collapse (all seeds stuck: solid purple). The live
//! settings are ringed. A cell shows its numbers when hovered or focused and opens when clicked.
//!
//! Drawn in CSS pixels at the width it is given (like the charts), so its text keeps its size on a
//! phone and a projector; its title and legend are part of the drawing, so a saved copy reads alone.

use crate::sim::scenario::fields::number_text;
use crate::sim::sweep::{Outcome, Tally};
use crate::ui::browser;
use crate::ui::charts::measure::{dp1, text_width, title_text, use_measure};
use crate::ui::charts::{nice_ceiling, wrap_rows};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Most tick labels on an axis.
const MAX_TICKS: usize = 8;

#[derive(Properties, PartialEq)]
pub struct MapProps {
    pub x_values: Rc<Vec<f64>>,
    pub y_values: Option<Rc<Vec<f64>>>,
    pub title: String,
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

/// Position of `value` along `values` (rising), as a fraction of the cells: the middle of cell i
/// is (i + ½) ÷ n, and between two cells' values the position is in proportion, so a value between
/// the columns of a whole-number axis (whose values are rounded, so unevenly spaced) sits between
/// them. Half a cell beyond each end at most; None outside that.
fn place(values: &[f64], value: f64) -> Option<f64> {
    let (first, last, n) = (*values.first()?, *values.last()?, values.len());
    if n == 1 {
        return ((value - first).abs() <= 1e-9 * first.abs().max(1.0)).then_some(0.5);
    }
    let i = match values.windows(2).position(|w| value <= w[1]) {
        Some(k) => k as f64 + (value - values[k]) / (values[k + 1] - values[k]),
        None => (n - 1) as f64 + (value - last) / (last - values[n - 2]),
    };
    (-0.5..=n as f64 - 0.5).contains(&i).then_some((i + 0.5) / n as f64)
}

/// The cell an arrow key (or Home, End) moves to from cell `c` in a map of `nx` columns and `ny`
/// rows, x fastest and row 0 at the bottom; `None` for any other key or at the map's edge.
fn step(key: &str, c: usize, nx: usize, ny: usize) -> Option<usize> {
    let (i, j) = (c % nx, c / nx);
    let to = match key {
        "ArrowLeft" => c.checked_sub(1).filter(|_| i > 0)?,
        "ArrowRight" => (i + 1 < nx).then_some(c + 1)?,
        "ArrowUp" => (j + 1 < ny).then_some(c + nx)?,
        "ArrowDown" => c.checked_sub(nx)?,
        "Home" => c - i,
        "End" => c - i + nx - 1,
        _ => return None,
    };
    (to != c).then_some(to)
}

/// An axis value as the axis holds it, in full: the values between its ends are already rounded
/// to the step (see [`crate::sim::sweep::Axis::value`]), so neighbours never read the same.
pub fn axis_number(value: f64) -> String {
    number_text(value)
}

/// Labels for an axis whose cells hold `values` (ascending), at most `most` of them, each with its
/// place across the plot (0 to 1) as [`place`] puts it: round values between the first and the
/// last (steps of 1, 2 or 5 times a power of ten, whole ones on an axis of whole numbers) where
/// they fall between the cells, so that where the map changes can be read off the axis; or, when
/// they all fit and read as short, or too few round values fall in, the cells' own values.
fn round_ticks(values: &[f64], most: usize) -> Vec<(f64, String)> {
    let n = values.len();
    let own: Vec<(f64, String)> =
        values.iter().enumerate().map(|(i, v)| ((i as f64 + 0.5) / n as f64, axis_number(*v))).collect();
    let (Some(&lo), Some(&hi)) = (values.first(), values.last()) else {
        return own;
    };
    let mut step = nice_ceiling((hi - lo) / most.clamp(2, MAX_TICKS) as f64);
    if values.iter().all(|v| v.fract() == 0.0) {
        step = step.max(1.0);
    }
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let round: Vec<(f64, String)> = ((lo / step).ceil() as i64..=(hi / step).floor() as i64)
        .filter_map(|k| {
            let v = k as f64 * step;
            Some((place(values, v)?, format!("{v:.decimals$}")))
        })
        .collect();
    let longest = |ticks: &[(f64, String)]| ticks.iter().map(|(_, t)| t.len()).max();
    if round.len() < 2 {
        // The first and the last, so that the axis still has a scale.
        let mut own = own;
        own.drain(1..n.saturating_sub(1).max(1));
        own
    } else if n <= most.clamp(2, MAX_TICKS) && longest(&own) <= longest(&round) {
        own
    } else {
        round
    }
}

/// What a cell says in a map large enough: the seeds stuck out of those run when some are, else
/// the first letter of its commonest outcome; nothing before its first run.
fn cell_label(tally: &Tally) -> Option<String> {
    let (runs, stuck) = (tally.runs(), tally.count(Outcome::Metastable));
    match (runs, stuck) {
        (0, _) => None,
        (runs, stuck) if stuck > 0 && runs > 1 => Some(format!("{stuck}/{runs}")),
        _ => Some(tally.most().name()[..1].to_ascii_uppercase()),
    }
}

/// The legend's entries: (class, label), the ring last when the live settings are on the map.
/// Where cells carry labels, each outcome's name gives the letter its cells show, and where some
/// count their stuck seeds, a last entry reads one of those counts, `(stuck, runs)`, out.
fn legend_entries(ring: bool, labelled: bool, count: Option<(usize, usize)>) -> Vec<(&'static str, String)> {
    let mut entries: Vec<(&str, String)> = Outcome::ALL
        .into_iter()
        .map(|o| (outcome_class(o), if labelled { with_letter(o) } else { o.name() }.to_string()))
        .collect();
    if ring {
        entries.push(("ring", "live settings".to_string()));
    }
    if let Some((stuck, runs)) = count {
        entries.push(("count", format!("{stuck}/{runs}: {stuck} of {runs} seeds end stuck")));
    }
    entries
}

/// An outcome's name with the letter its cells show (see [`cell_label`]).
fn with_letter(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Healthy => "healthy (H)",
        Outcome::Recovered => "recovered (R)",
        Outcome::Metastable => "metastable (M)",
        Outcome::Overloaded => "overloaded (O)",
        Outcome::Unsettled => "unsettled (U)",
    }
}

#[component]
pub fn StabilityMap(props: &MapProps) -> Html {
    let svg_ref = use_node_ref();
    // One Tab stop for the whole map: the cell last focused; the arrows move between cells.
    let current = use_state(|| 0usize);
    // The cell a finger last tapped once.
    let armed = use_state(|| None::<usize>);
    let measure = use_measure(svg_ref.clone());
    let (width, em) = (measure.width.max(240.0), measure.font);
    let nx = props.x_values.len().max(1);
    let ny = props.y_values.as_ref().map_or(1, |y| y.len().max(1));
    // The y axis's title goes above the plot, under the map's, so it never runs off a short plot;
    // the left margin fits the longest y tick.
    let y_chars =
        props.y_values.as_ref().map_or(0, |ys| ys.iter().map(|v| axis_number(*v).chars().count()).max().unwrap_or(0));
    // The first and last x ticks are centred on their cells: room for half of each.
    let x_chars = |v: Option<&f64>| v.map_or(0, |v| axis_number(*v).chars().count()) as f64;
    let left = (if props.y_values.is_some() { 0.62 * em * y_chars as f64 + 0.9 * em } else { 0.5 * em })
        .max(0.31 * em * x_chars(props.x_values.first()) + 2.0);
    let right = (1.8 * em).max(0.31 * em * x_chars(props.x_values.last()) + 2.0);
    let (title, title_h) = title_text("map-title", &props.title, (0.0, 1.2 * em), width, 0.0, em);
    let top = title_h + if props.y_values.is_some() { 3.3 * em } else { 2.0 * em };
    let plot_w = width - left - right;
    let plot_h = if props.y_values.is_some() { (plot_w * 0.55).clamp(11.0 * em, 30.0 * em) } else { 4.5 * em };
    let (cw, ch) = (plot_w / nx as f64, plot_h / ny as f64);
    let cell_x = |i: usize| left + i as f64 * cw;
    // y grows upwards: row 0 at the bottom.
    let cell_y = |j: usize| top + plot_h - (j + 1) as f64 * ch;
    let labelled = cw >= 2.8 * em && ch >= 1.6 * em;
    let ring_r = if labelled { 1.4 * em } else { 0.7 * em };
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
        // A finger cannot hover: its first tap on a cell shows the cell's numbers, the next opens
        // it. A mouse's click, or a click with no pointer (a screen reader's), opens it at once.
        let on_click = {
            let (armed, show) = (armed.clone(), props.on_show.clone());
            move |e: MouseEvent| {
                let finger = e.dyn_ref::<PointerEvent>().is_some_and(|p| matches!(p.pointer_type().as_str(), "touch" | "pen"));
                match runs {
                    0 => {}
                    _ if finger && *armed != Some(c) => {
                        armed.set(Some(c));
                        show.emit(Some(c));
                    }
                    _ => {
                        armed.set(None);
                        on_open.emit(c);
                    }
                }
            }
        };
        // Only a mouse hovers: a finger's tap changes nothing as it lands (a page that changes
        // under a tap may take it for a hover and drop its click).
        let on_enter = move |e: PointerEvent| {
            if e.pointer_type() == "mouse" {
                on_show.emit(Some(c));
            }
        };
        let on_key = props.on_open.clone();
        let on_focus = {
            let (show, current) = (props.on_show.clone(), current.clone());
            move |_| {
                current.set(c);
                show.emit(Some(c));
            }
        };
        let svg = svg_ref.clone();
        let on_keydown = move |e: KeyboardEvent| {
            let key = e.key();
            if runs > 0 && (key == "Enter" || key == " ") {
                e.prevent_default();
                on_key.emit(c);
            } else if let Some(to) = step(&key, c, nx, ny) {
                e.prevent_default();
                browser::focus_within(&svg, &format!("[data-cell=\"{to}\"]"));
            }
        };
        let tab_stop = if c == *current % (nx * ny) { "0" } else { "-1" };
        let mut settings = format!("{} {}", props.x_label, axis_number(props.x_values.get(i).copied().unwrap_or(f64::NAN)));
        if let (Some(label), Some(ys)) = (&props.y_label, &props.y_values) {
            settings += &format!(" · {label} {}", axis_number(ys.get(j).copied().unwrap_or(f64::NAN)));
        }
        let title = format!("{settings}: {}", if runs == 0 { "not run".to_string() } else { tally.describe() });
        html! {
            <g class={classes!("cell", class, shown.then_some("shown"))} tabindex={tab_stop} role="button"
                data-cell={c.to_string()} data-runs={runs.to_string()} data-odds={format!("{odds}")}
                data-outcome={(runs > 0).then(|| tally.most().name())}
                aria-label={format!("cell {}: {title}", c + 1)}
                onpointerenter={on_enter} onfocus={on_focus}
                onclick={on_click} onkeydown={on_keydown}>
                <title>{ title }</title>
                <rect class="base" x={dp1(x)} y={dp1(y)} width={dp1((cw - 1.0).max(0.5))} height={dp1((ch - 1.0).max(0.5))} />
                if stuck > 0 {
                    <rect class="stuck" x={dp1(x)} y={dp1(y)} width={dp1((cw - 1.0).max(0.5))} height={dp1((ch - 1.0).max(0.5))}
                        fill-opacity={format!("{:.2}", 0.25 + 0.75 * odds)} />
                }
            </g>
        }
    });
    // Cells' labels go over the live settings' ring, each with a halo, so the ring never hides one.
    let labels = props.tallies.iter().enumerate().take(nx * ny).filter(|_| labelled).filter_map(|(c, tally)| {
        let text = cell_label(tally)?;
        let (x, y) = (cell_x(c % nx), cell_y(c / nx));
        Some(html! {
            <text data-cell-label={c.to_string()} x={dp1(x + cw / 2.0)} y={dp1(y + ch / 2.0 + 0.35 * em)} text-anchor="middle">{ text }</text>
        })
    });
    // Tick labels about 5 em apart across, 1.6 em apart up.
    let x_ticks = round_ticks(&props.x_values, (plot_w / (5.0 * em)) as usize).into_iter().map(|(f, text)| {
        html! { <text class="tick" x={dp1(left + f * plot_w)} y={dp1(top + plot_h + 1.3 * em)} text-anchor="middle">{ text }</text> }
    });
    let y_ticks = props.y_values.iter().flat_map(|ys| {
        round_ticks(ys, (plot_h / (1.6 * em)) as usize).into_iter().map(|(f, text)| {
            html! { <text class="tick" x={dp1(left - 0.4 * em)} y={dp1(top + plot_h - f * plot_h + 0.35 * em)} text-anchor="end">{ text }</text> }
        }).collect::<Vec<_>>()
    });
    let marker = props.marker.and_then(|(mx, my)| {
        let fx = place(&props.x_values, mx)?;
        let fy = match (&props.y_values, my) {
            (Some(ys), Some(my)) => place(ys, my)?,
            // The live settings lack what the map moves up (a trigger removed): no ring.
            (Some(_), None) => return None,
            (None, _) => 0.5,
        };
        Some((left + fx * plot_w, top + plot_h - fy * plot_h))
    });
    // The legend under the axis title, in rows as wide as the drawing allows; a swatch sits 1 px
    // in, so that its border is not cut at the drawing's edge.
    let legend_top = top + plot_h + 4.4 * em;
    let count = props
        .tallies
        .iter()
        .map(|t| (t.count(Outcome::Metastable), t.runs()))
        .find(|&(stuck, runs)| labelled && runs > 1 && stuck > 0);
    let entries = legend_entries(marker.is_some(), labelled, count);
    let widths = entries
        .iter()
        .map(|(class, label)| text_width(label, em) + if *class == "count" { 1.2 * em } else { 2.8 * em });
    let places = wrap_rows(widths, width);
    let legend = entries.iter().zip(&places).map(|((class, label), &(lx, row))| {
        let class = *class;
        let ly = legend_top + row as f64 * 1.5 * em;
        let swatch = if class == "ring" {
            html! { <circle class="ring" cx={dp1(lx + 0.5 * em)} cy={dp1(ly - 0.35 * em)} r={dp1(0.4 * em)} /> }
        } else if class == "count" {
            Html::default()
        } else {
            html! { <rect class="swatch" x={dp1(lx + 1.0)} y={dp1(ly - 0.85 * em)} width={dp1(em)} height={dp1(em)} /> }
        };
        html! {
            <g class={classes!("legend-item", (class != "ring").then_some(class))}>
                { swatch }
                <text x={dp1(if class == "count" { lx + 1.0 } else { lx + 1.4 * em })} y={dp1(ly)}>{ label }</text>
            </g>
        }
    });
    let ly = legend_top + places.last().map_or(0, |&(_, row)| row) as f64 * 1.5 * em;
    let height = ly + 0.8 * em;
    html! {
        <svg ref={svg_ref.clone()} class="map" viewBox={format!("0 0 {width:.1} {height:.1}")} role="group"
            aria-label={format!("{}: {} across{}", props.title, props.x_label, props.y_label.as_ref().map_or(String::new(), |y| format!(", {y} up")))}>
            { title }
            { for cells }
            { for x_ticks }
            { for y_ticks }
            <text class="axis-title" x={dp1(left + plot_w / 2.0)} y={dp1(top + plot_h + 2.7 * em)} text-anchor="middle">{ &props.x_label }</text>
            if let Some(y_label) = &props.y_label {
                <text class="axis-title" x="0" y={dp1(title_h + 2.6 * em)}>{ format!("↑ {y_label}") }</text>
            }
            if let Some((x, y)) = marker {
                // Haloed, so it shows on every colour; around a cell's label when cells have them.
                <g class="marker" aria-hidden="true">
                    <circle class="halo" cx={dp1(x)} cy={dp1(y)} r={dp1(ring_r)} />
                    <circle cx={dp1(x)} cy={dp1(y)} r={dp1(ring_r)} />
                    if !labelled {
                        <circle class="center" cx={dp1(x)} cy={dp1(y)} r="2.5" />
                    }
                </g>
            }
            <g class="cell-labels" aria-hidden="true">{ for labels }</g>
            <g class="legend" aria-hidden="true">{ for legend }</g>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::{Outcome, place, round_ticks, step, with_letter};

    #[test]
    fn the_legend_gives_each_outcome_the_letter_its_cells_show() {
        for outcome in Outcome::ALL {
            let name = outcome.name();
            assert_eq!(with_letter(outcome), format!("{name} ({})", name[..1].to_ascii_uppercase()));
        }
    }

    #[test]
    fn arrows_move_between_cells_and_stop_at_the_edges() {
        // 3 columns, 2 rows: cells 0 1 2 on the bottom row, 3 4 5 above them.
        assert_eq!(step("ArrowRight", 0, 3, 2), Some(1));
        assert_eq!(step("ArrowRight", 2, 3, 2), None);
        assert_eq!(step("ArrowLeft", 3, 3, 2), None);
        assert_eq!(step("ArrowLeft", 4, 3, 2), Some(3));
        assert_eq!(step("ArrowUp", 1, 3, 2), Some(4));
        assert_eq!(step("ArrowUp", 4, 3, 2), None);
        assert_eq!(step("ArrowDown", 4, 3, 2), Some(1));
        assert_eq!(step("ArrowDown", 1, 3, 2), None);
        assert_eq!(step("Home", 5, 3, 2), Some(3));
        assert_eq!(step("End", 3, 3, 2), Some(5));
        assert_eq!(step("End", 5, 3, 2), None);
        assert_eq!(step("PageDown", 0, 3, 2), None);
        // A map of one row.
        assert_eq!(step("ArrowUp", 0, 4, 1), None);
        assert_eq!(step("ArrowRight", 0, 4, 1), Some(1));
    }

    #[test]
    fn the_live_value_is_placed_between_the_columns_it_lies_between() {
        // Even values: the middle of each cell.
        assert_eq!(place(&[300.0, 600.0, 900.0], 600.0), Some(0.5));
        // Max attempts 1 to 8 in 5 values are 1, 3, 5, 6, 8: 4 sits on the line between 3 and 5.
        let attempts = [1.0, 3.0, 5.0, 6.0, 8.0];
        assert_eq!(place(&attempts, 4.0), Some(0.4));
        assert_eq!(place(&attempts, 5.5), Some(0.6));
        // Half a column beyond each end, and no further.
        assert_eq!(place(&attempts, 0.0), Some(0.0));
        assert_eq!(place(&attempts, 9.0), Some(1.0));
        assert_eq!(place(&attempts, 9.5), None);
        assert_eq!(place(&[7.0], 7.0), Some(0.5));
        assert_eq!(place(&[7.0], 8.0), None);
    }

    #[test]
    fn ticks_are_round_values_placed_where_they_fall_between_the_cells() {
        let text = |ticks: Vec<(f64, String)>| ticks.into_iter().map(|(_, t)| t).collect::<Vec<_>>();
        // Twenty loads from 531.6 to 1080.7, 28.9 apart: ticks every 100, not at the cells' odd values.
        let loads: Vec<f64> = (0..20).map(|i| 531.6 + 28.9 * f64::from(i)).collect();
        let ticks = round_ticks(&loads, 8);
        assert_eq!(text(ticks.clone()), ["600", "700", "800", "900", "1000"]);
        // 600 falls 2.37 cells in, of 20: its place is (2.37 + 0.5) / 20.
        assert!((ticks[0].0 - (2.0 + (600.0 - loads[2]) / 28.9 + 0.5) / 20.0).abs() < 1e-9, "{:?}", ticks[0]);
        // Where every cell's value fits and reads as short, each is written at its cell's middle.
        assert_eq!(round_ticks(&[1.0, 3.0], 6), [(0.25, "1".to_string()), (0.75, "3".to_string())]);
        assert_eq!(text(round_ticks(&[300.0, 600.0, 900.0], 7)), ["300", "600", "900"]);
        assert_eq!(text(round_ticks(&[300.0, 600.0, 900.0], 2)), ["300", "900"]);
        assert_eq!(text(round_ticks(&[7.0], 8)), ["7"]);
        // Eight rows of spikes from 1 to 3 fit, but 2.714 reads longer than 2.5.
        let rows: Vec<f64> =
            (0..8).map(|i| 1.0 + 2.0 * f64::from(i) / 7.0).map(|v| (v * 1000.0).round() / 1000.0).collect();
        assert_eq!(text(round_ticks(&rows, 8)), ["1.0", "1.5", "2.0", "2.5", "3.0"]);
        // Decimals as fine as the step; whole numbers only on an axis of whole numbers.
        let spikes: Vec<f64> = (0..41).map(|i| 1.0 + 0.05 * f64::from(i)).collect();
        assert_eq!(text(round_ticks(&spikes, 5)), ["1.0", "1.5", "2.0", "2.5", "3.0"]);
        let attempts: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(text(round_ticks(&attempts, 4)), ["5", "10", "15", "20"]);
        // Only round values the axis holds between its ends: no 0 on an axis of 1 to 20 workers.
        assert_eq!(text(round_ticks(&[1.0, 10.0, 20.0], 2)), ["10", "20"]);
        // Where fewer than two round values fall in, the first and the last cells' own.
        let few: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(text(round_ticks(&few, 2)), ["1", "9"]);
        let wide: Vec<f64> = (0..20).map(|i| 1000.0 + 8000.0 * f64::from(i) / 19.0).map(f64::round).collect();
        assert_eq!(text(round_ticks(&wide, 3)), ["1000", "9000"]);
        assert_eq!(text(round_ticks(&wide, 6)), ["2000", "4000", "6000", "8000"]);
    }
}
