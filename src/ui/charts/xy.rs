//! A hand-drawn SVG x–y chart: one value against another rather than against time. Series are
//! told apart by colour, dash and a direct label at their last point; a fading series draws older
//! segments fainter (a trail), with a dot at its newest point.

use super::chart::{Frame, file_name, format_tick, tick_labels, wrap_rows};
use super::measure::{dp1, text_width, title_text, use_measure};
use crate::sim::metrics::export::csv_field;
use crate::ui::{browser, export};
use std::rc::Rc;
use yew::prelude::*;

/// Most points of a series drawn as dots.
const MAX_DOTS: usize = 60;

/// One line through points (x, y).
#[derive(Clone, PartialEq)]
pub struct XySeries {
    pub label: Rc<str>,
    /// CSS class giving the colour.
    pub class: &'static str,
    /// SVG stroke-dasharray ("" for solid).
    pub dash: &'static str,
    pub points: Rc<Vec<(f64, f64)>>,
    /// Older segments fainter, and a dot at the newest point.
    pub fade: bool,
    /// The simulated time of each point (a window's end), written in the CSV.
    pub times: Option<Rc<Vec<f64>>>,
}

#[derive(Properties, PartialEq)]
pub struct XyProps {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<XySeries>,
    /// Where the axes end at least (a queue's limit, the most attempts a call makes), so that
    /// places stay put; they reach further, rounded up, when the data do.
    #[prop_or_default]
    pub x_max: Option<f64>,
    #[prop_or_default]
    pub y_max: Option<f64>,
    /// Draws the line y = x (e.g. goodput equal to the load offered).
    #[prop_or_default]
    pub diagonal: Option<String>,
    /// Offers its points as CSV too (a chart whose numbers have no other export).
    #[prop_or_default]
    pub csv: bool,
}

/// The points of `series` as CSV: one row per point, under the axes' titles, after the series'
/// name when there are several and the point's time when points have times.
fn csv_text(x_label: &str, y_label: &str, series: &[XySeries]) -> String {
    let (named, timed) = (series.len() > 1, series.iter().any(|s| s.times.is_some()));
    let header = [named.then(|| "series".to_string()), timed.then(|| "t_s".to_string())]
        .into_iter()
        .flatten()
        .chain([csv_field(x_label), csv_field(y_label)]);
    let mut text = header.collect::<Vec<_>>().join(",") + "\n";
    for s in series {
        for (k, &(x, y)) in s.points.iter().enumerate() {
            let time = s.times.as_ref().and_then(|t| t.get(k)).map_or(String::new(), f64::to_string);
            let lead = [named.then(|| csv_field(&s.label)), timed.then_some(time)].into_iter().flatten();
            text += &lead.chain([x.to_string(), y.to_string()]).collect::<Vec<_>>().join(",");
            text.push('\n');
        }
    }
    text
}

/// Where an axis ends: at `least` when given and the data stay within it, else the data's
/// maximum rounded up.
fn axis_end(least: Option<f64>, data: f64) -> f64 {
    match least {
        Some(least) if data <= least => least,
        _ => ceiling(data * 1.05),
    }
}

/// 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × a power of ten, at least `x`: a finer step than the time
/// charts', so a loop fills its chart.
fn ceiling(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * magnitude)
}

/// Grid steps from 0 to `max` (a [`ceiling`]), so that each step is 1, 2 or 5 × a power of ten:
/// 1500 in three steps of 500, 2500 in five.
fn divisions(max: f64) -> usize {
    let magnitude = 10f64.powf(max.log10().floor());
    match (max / magnitude * 10.0).round() as u32 {
        15 | 30 | 60 => 3,
        20 | 40 | 80 => 4,
        _ => 5,
    }
}

#[component]
pub fn XyChart(props: &XyProps) -> Html {
    let svg_ref = use_node_ref();
    let frame = Frame::new(use_measure(svg_ref.clone()), None, 7.0, false);
    let em = frame.em;
    // Squarer than a time chart, with room for the axis titles.
    // Direct labels need room beside the plot, and few enough series that their ends do not
    // crowd (loops of several policies all end at the low load); otherwise a legend under it
    // names the series instead: (series, x, row) of each entry.
    let drawn = props.series.iter().filter(|s| !s.points.is_empty()).count();
    let direct = frame.width >= 34.0 * em && drawn <= 4;
    let mut legend: Vec<(usize, f64, usize)> = Vec::new();
    if !direct {
        // Each series with points, then the diagonal's own line (named by `usize::MAX`).
        let named: Vec<(usize, &str)> = props
            .series
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.points.is_empty())
            .map(|(i, s)| (i, &*s.label))
            .chain(props.diagonal.as_deref().map(|label| (usize::MAX, label)))
            .collect();
        // A line's sample and gap, then its label in semibold, about 0.75 em a character in the
        // widest of the page's fonts (DejaVu Sans).
        let widths = named.iter().map(|(_, label)| 3.8 * em + 0.75 * em * label.chars().count() as f64);
        legend = named.iter().zip(wrap_rows(widths, frame.width)).map(|(&(i, _), (x, row))| (i, x, row)).collect();
    }
    let legend_h = legend.last().map_or(0.0, |&(_, _, rows)| (rows + 1) as f64 * 1.5 * em);
    let plot_h = (frame.width * 0.6).clamp(14.0 * em, 26.0 * em) - frame.top - 3.0 * em;
    // The y axis's title goes up the left side when it fits there, else on a row of its own above
    // the plot (a phone's short chart).
    let y_title_above = text_width(&props.y_label, em) > plot_h;
    // The first line stays clear of the SVG and PNG buttons (and CSV) over the chart's top right;
    // in a narrow window they go above the chart (see the style sheet).
    let buttons = if browser::matches("(max-width: 560px)") {
        0.0
    } else if props.csv {
        3.0
    } else {
        2.0
    };
    let (title, title_h) =
        title_text("chart-title", &props.title, (4.0, 1.3 * em), frame.width - 8.0, 46.0 * buttons, em);
    let above = title_h + if y_title_above { 1.4 * em } else { 0.0 };
    let all = props.series.iter().flat_map(|s| s.points.iter());
    let (data_x, data_y) = all.fold((0.0f64, 0.0f64), |(mx, my), &(x, y)| (mx.max(x), my.max(y)));
    let (x_max, y_max) = (axis_end(props.x_max, data_x), axis_end(props.y_max, data_y));
    let grid = |end: f64| -> Vec<(f64, String)> {
        let values: Vec<f64> = (0..=divisions(end)).map(|i| end * i as f64 / divisions(end) as f64).collect();
        let labels = tick_labels(&values);
        values.into_iter().zip(labels).collect()
    };
    let y_ticks = grid(y_max);
    // Room for the widest y tick label and, left of it, the axis's title turned up the side.
    let widest_y = y_ticks.iter().map(|(_, label)| text_width(label, em)).fold(0.0, f64::max);
    let f = Frame {
        height: frame.top + above + plot_h + 3.0 * em + legend_h,
        left: (4.2 * em).max(widest_y + 9.0 + if y_title_above { 0.4 * em } else { 1.6 * em }),
        top: frame.top + above,
        bottom: 3.0 * em + legend_h,
        right: if direct { frame.right } else { 1.5 * em },
        ..frame
    };
    let (width, height, left, top) = (f.width, f.height, f.left, f.top);
    // Least distance between two direct labels' baselines, and the width within which two may touch.
    let (label_gap, label_width) = (1.1 * em, 9.0 * em);
    let (plot_w, plot_h) = (f.plot_w(), f.plot_h());
    let px = move |x: f64| left + (x / x_max).clamp(0.0, 1.0) * plot_w;
    let py = move |y: f64| top + plot_h - (y / y_max).clamp(0.0, 1.0) * plot_h;
    // The y ticks' labels stand 9 px off the axis: clear of the trail's head (6 px) on it.
    let y_grid = y_ticks.into_iter().map(|(value, label)| {
        let y = py(value);
        html! {
            <g class="tick">
                <line x1={dp1(left)} x2={dp1(left + plot_w)} y1={dp1(y)} y2={dp1(y)} />
                <text x={dp1(left - 9.0)} y={dp1(y + 0.35 * em)} text-anchor="end">{ label }</text>
            </g>
        }
    });
    let x_grid = grid(x_max).into_iter().map(|(value, label)| {
        let x = px(value);
        html! {
            <g class="tick">
                <line x1={dp1(x)} x2={dp1(x)} y1={dp1(top)} y2={dp1(top + plot_h)} />
                <text x={dp1(x)} y={dp1(top + plot_h + 1.2 * em)} text-anchor="middle">{ label }</text>
            </g>
        }
    });
    let diagonal = props.diagonal.as_ref().map(|label| {
        let end = x_max.min(y_max);
        // Its label three quarters of the way along, clear of the chart's title, or further along,
        // up to nine tenths, so as not to reach back over the y axis's numbers (a load axis much
        // longer than the goodput's).
        let clear_x = (6.0 + 4.0 + text_width(label, em)) / plot_w * x_max;
        let at = (0.75 * end).max(clear_x).min(0.9 * end);
        html! {
            <g class="diagonal">
                <line x1={dp1(px(0.0))} y1={dp1(py(0.0))} x2={dp1(px(end))} y2={dp1(py(end))} />
                if direct {
                    <text x={dp1(px(at) - 6.0)} y={dp1(py(at) - 6.0)} text-anchor="end">{ label }</text>
                }
            </g>
        }
    });
    // Direct labels at each series' last point, kept inside the plot (clear of the ticks, the axis
    // titles and the chart's title) and pushed apart so that none overlaps another. A line's label
    // goes on the side the line does not come from (a way down ends at its left end), where it
    // fits; a fading trail's stays on the right, so that it does not hop as the head jitters.
    let mut labels: Vec<(usize, f64, f64, bool)> = props
        .series
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let &(x, y) = s.points.last()?;
            let w = text_width(&s.label, em);
            let from_right = !s.fade && s.points.iter().rev().nth(1).is_some_and(|p| p.0 > x);
            let (start, before) = match px(x) - 8.0 - w {
                before if from_right && before >= left + 4.0 => (before, true),
                _ => ((px(x) + 8.0).min(width - w - 2.0).max(left + 4.0), false),
            };
            Some((i, start, (py(y) + 0.35 * em).clamp(top + 1.0 * em, top + plot_h - 0.4 * em), before))
        })
        .collect();
    labels.sort_by(|a, b| a.2.total_cmp(&b.2));
    for k in 1..labels.len() {
        // Below every earlier label it would touch (labels are sorted top to bottom).
        for j in 0..k {
            let (above, here) = (labels[j], labels[k]);
            if (here.1 - above.1).abs() < label_width && here.2 - above.2 < label_gap {
                labels[k].2 = above.2 + label_gap;
            }
        }
    }
    // Then up from the bottom, so that none is pushed out of the plot.
    let bottom = top + plot_h - 0.4 * em;
    for k in (0..labels.len()).rev() {
        let below = labels[k + 1..].iter().filter(|l| (l.1 - labels[k].1).abs() < label_width).map(|l| l.2 - label_gap);
        labels[k].2 = labels[k].2.min(below.fold(bottom, f64::min));
    }
    // A label before its point ends there, however wide its letters turn out.
    let label_at = |i: usize, w: f64| {
        labels.iter().find(|l| l.0 == i).map_or((0.0, 0.0, "start"), |l| match l.3 {
            true => (l.1 + w, l.2, "end"),
            false => (l.1, l.2, "start"),
        })
    };
    // Colours in order of first use: a series' colour is its group (a policy's ways up and down).
    let mut groups: Vec<&str> = Vec::new();
    for s in props.series.iter() {
        if !groups.contains(&s.class) {
            groups.push(s.class);
        }
    }
    let lines = props.series.iter().filter(|s| !s.points.is_empty()).map(|s| {
        let path = |points: &[(f64, f64)]| {
            points
                .iter()
                .enumerate()
                .map(|(i, &(x, y))| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, px(x), py(y)))
                .collect::<String>()
        };
        let n = s.points.len();
        let body = if s.fade {
            let segments = s.points.windows(2).enumerate().map(|(i, pair)| {
                html! { <path class="series" d={path(pair)} stroke-opacity={format!("{:.2}", 0.1 + 0.9 * (i + 1) as f64 / n as f64)} /> }
            });
            html! { <>{ for segments }</> }
        } else {
            // Earlier colours are drawn wider, so that a later one lying on top of one (two policies
            // with the same way up) leaves a band of it showing on each side: 2.5 px for the last,
            // each colour before it 4 px wider than the next (less beyond three colours, so that the
            // first is at most 11.5 px).
            let group = groups.iter().position(|&c| c == s.class).unwrap_or(0);
            let later = (groups.len() - 1 - group) as f64;
            let width = 2.5 + later * (9.0 / (groups.len() - 1).max(1) as f64).min(4.0);
            // Each point is dotted while the dots stay apart; many more merge into a band.
            let dotted = if n <= MAX_DOTS { &s.points[..] } else { &[] };
            let dots = dotted.iter().map(|&(x, y)| html! { <circle class="point" cx={dp1(px(x))} cy={dp1(py(y))} r={dp1(width / 2.0 + 2.0)} /> });
            html! { <><path class="series" d={path(&s.points)} stroke-dasharray={s.dash} stroke-width={dp1(width)} />{ for dots }</> }
        };
        let (lx, ly) = s.points[n - 1];
        html! {
            <g class={s.class}>
                { body }
                if s.fade {
                    <circle class="head" cx={dp1(px(lx))} cy={dp1(py(ly))} r="6" />
                }
            </g>
        }
    });
    let legend_top = height - legend_h;
    let legend = legend.into_iter().map(|(i, x, row)| {
        let y = legend_top + (row + 1) as f64 * 1.5 * em - 0.3 * em;
        let Some(s) = props.series.get(i) else {
            return html! {
                <g class="diagonal">
                    <line x1={dp1(x)} x2={dp1(x + 2.2 * em)} y1={dp1(y - 0.35 * em)} y2={dp1(y - 0.35 * em)} />
                    <text x={dp1(x + 2.6 * em)} y={dp1(y)}>{ props.diagonal.clone().unwrap_or_default() }</text>
                </g>
            };
        };
        html! {
            <g class={s.class}>
                <path class="series" d={format!("M{x:.1},{:.1}h{:.1}", y - 0.35 * em, 2.2 * em)} stroke-dasharray={s.dash} stroke-width="2.5" />
                // A trail's sample ends in its head, as on the chart.
                if s.fade {
                    <circle class="head" cx={dp1(x + 2.0 * em)} cy={dp1(y - 0.35 * em)} r="6" />
                }
                <g class="direct-label"><text x={dp1(x + 2.6 * em)} y={dp1(y)}>{ s.label.to_string() }</text></g>
            </g>
        }
    });
    // Drawn over every line and point, so no marker hides a label.
    let direct_labels = props.series.iter().enumerate().filter(|(_, s)| direct && !s.points.is_empty()).map(|(i, s)| {
        let (tx, ty, anchor) = label_at(i, text_width(&s.label, em));
        html! {
            <g class={s.class}>
                <g class="direct-label"><text x={dp1(tx)} y={dp1(ty)} text-anchor={anchor}>{ s.label.to_string() }</text></g>
            </g>
        }
    });
    let summary: Vec<String> = props
        .series
        .iter()
        .filter_map(|s| {
            s.points.last().map(|&(x, y)| format!("{} at {} → {}", s.label, format_tick(x), format_tick(y)))
        })
        .collect();
    let name = file_name(&props.title);
    let saved = svg_ref.clone();
    let save = move |as_png: bool| {
        let (svg, name) = (saved.clone(), name.clone());
        move |_: MouseEvent| {
            if let Some(svg) = svg.cast::<web_sys::Element>() {
                if as_png { export::save_png(&svg, &name) } else { export::save_svg(&svg, &name) }
            }
        }
    };
    let save_csv = {
        // Written when asked for, not at every frame the chart is drawn.
        let (name, x_label, y_label, series) =
            (file_name(&props.title), props.x_label.clone(), props.y_label.clone(), props.series.clone());
        move |_: MouseEvent| {
            browser::download_text(&format!("{name}.csv"), "text/csv", &csv_text(&x_label, &y_label, &series))
        }
    };
    html! {
        <figure class="chart xy">
            <figcaption class="chart-tools">
                if props.csv {
                    <button type="button" class="small" onclick={save_csv} aria-label={format!("Save {} as CSV", props.title)}>{ "CSV" }</button>
                }
                <button type="button" class="small" onclick={save(false)} aria-label={format!("Save {} as SVG", props.title)}>{ "SVG" }</button>
                <button type="button" class="small" onclick={save(true)} aria-label={format!("Save {} as PNG", props.title)}>{ "PNG" }</button>
            </figcaption>
            <svg ref={svg_ref} viewBox={format!("0 0 {width:.1} {height:.1}")} role="img"
                aria-label={format!("{}: {}", props.title, if summary.is_empty() { "no data yet".to_string() } else { summary.join("; ") })}>
                { title }
                { for y_grid }
                { for x_grid }
                { for diagonal }
                { for lines }
                { for direct_labels }
                <text class="axis" x={dp1(left + plot_w / 2.0)} y={dp1(legend_top - 0.45 * em)} text-anchor="middle">{ &props.x_label }</text>
                <g class="legend">{ for legend }</g>
                if y_title_above {
                    <text class="axis" x="4" y={dp1(top - 0.7 * em)}>{ format!("↑ {}", props.y_label) }</text>
                } else {
                    <text class="axis" transform={format!("translate({:.1} {:.1}) rotate(-90)", 1.0 * em, top + plot_h / 2.0)} text-anchor="middle">{ &props.y_label }</text>
                }
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::{XySeries, axis_end, csv_text};
    use std::rc::Rc;

    #[test]
    fn an_axis_keeps_its_least_end_until_the_data_pass_it() {
        assert_eq!(axis_end(Some(4.0), 3.7), 4.0);
        assert_eq!(axis_end(Some(4.0), 4.0), 4.0);
        // Amplification 6.2 in a window after a spike: the axis reaches past it, not cut at 4.
        assert_eq!(axis_end(Some(4.0), 6.2), 8.0);
        assert_eq!(axis_end(None, 950.0), 1000.0);
    }

    #[test]
    fn csv_names_series_only_when_several_and_times_points_that_have_times() {
        let series = |label: &str, times: Option<Vec<f64>>| XySeries {
            label: label.into(),
            class: "c",
            dash: "",
            points: Rc::new(vec![(1.5, 2.0), (3.0, 4.25)]),
            fade: false,
            times: times.map(Rc::new),
        };
        assert_eq!(
            csv_text("queue", "amp", &[series("now", Some(vec![59.0, 60.0]))]),
            "t_s,queue,amp\n59,1.5,2\n60,3,4.25\n"
        );
        assert_eq!(
            csv_text("offered", "goodput", &[series("a up", None), series("a down", None)]),
            "series,offered,goodput\na up,1.5,2\na up,3,4.25\na down,1.5,2\na down,3,4.25\n"
        );
    }
}
