//! A hand-drawn SVG line chart over a span of simulated time: series told apart by dash pattern
//! and a direct label as well as colour, trigger spans and setting changes on the time axis. Drawn
//! in CSS pixels (see [`super::measure`]).

use super::measure::{Measure, text_width, use_measure};
use crate::ui::export;
use std::rc::Rc;
use yew::prelude::*;

/// Where things go in a chart of a given measure, in CSS pixels: everything in proportion to the
/// text size, the plot taking what is left.
#[derive(Clone, Copy)]
pub(super) struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// The text size.
    pub em: f64,
}

impl Frame {
    /// A frame `m.width` wide, `lines` text lines tall (or, if `None`, about 0.4 of its width, or
    /// 0.55 when `tall`), with `right` ems and the labels' line for the direct labels (at most 0.4
    /// of the width).
    pub(super) fn new(m: Measure, lines: Option<f64>, right: f64, tall: bool) -> Frame {
        let em = m.font.max(1.0);
        let width = m.width.max(16.0 * em);
        let (top, bottom) = (2.2 * em, 1.7 * em);
        let height = match lines {
            Some(lines) => top + bottom + lines * em,
            None if tall => (width * 0.55).clamp(11.0 * em, 24.0 * em),
            None => (width * 0.4).clamp(11.0 * em, 17.0 * em),
        };
        Frame { width, height, left: 3.4 * em, right: (right * em + 20.0).min(width * 0.4), top, bottom, em }
    }

    pub(super) fn plot_w(&self) -> f64 {
        self.width - self.left - self.right
    }

    pub(super) fn plot_h(&self) -> f64 {
        self.height - self.top - self.bottom
    }

    /// The highest a direct label goes: below the title row and the SVG and PNG buttons over the
    /// chart's top right (26 px tall).
    fn labels_from(&self) -> f64 {
        (self.top + self.em).max(28.0 + 0.75 * self.em)
    }
}

/// One line: points (time s, value), `None` where the value does not exist.
#[derive(Clone, PartialEq)]
pub struct Series {
    pub label: Rc<str>,
    /// CSS class giving the colour.
    pub class: &'static str,
    /// SVG stroke-dasharray ("" for solid).
    pub dash: &'static str,
    pub points: Rc<Vec<(f64, Option<f64>)>>,
}

/// Something on the time axis.
#[derive(Clone, PartialEq)]
pub enum Mark {
    /// A trigger from `start_s` to `end_s` (now, for one still active).
    Span { start_s: f64, end_s: f64, label: String },
    /// A setting changed at `t_s`.
    Change { t_s: f64, label: String },
    /// A scheduled item still to come, `in_s` simulated seconds from now.
    Upcoming { in_s: f64, label: String },
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub title: &'static str,
    pub unit: &'static str,
    pub series: Vec<Series>,
    pub from_s: f64,
    pub to_s: f64,
    /// Fixed top of the y axis; by default the data's maximum, rounded up.
    #[prop_or_default]
    pub y_max: Option<f64>,
    pub marks: Rc<Vec<Mark>>,
    /// The part of the time axis shown in the other charts, shaded: for a whole-run overview.
    #[prop_or_default]
    pub window: Option<(f64, f64)>,
    /// How many text lines tall the plot is; by default in proportion to the width.
    #[prop_or_default]
    pub lines: Option<f64>,
    /// Room for direct labels of this many characters (and their values), so that charts drawn
    /// together share their time axis; by default this chart's longest label.
    #[prop_or_default]
    pub label_chars: Option<usize>,
    /// Taller for its width (a lesson's charts, read from the back of a room).
    #[prop_or_default]
    pub tall: bool,
}

/// 1, 2 or 5 × a power of ten, at least `x`.
pub fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|v| *v >= x).unwrap_or(10.0 * magnitude)
}

pub(super) fn format_tick(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if v >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Labels for one axis's ticks, as [`format_tick`] writes them, but without a decimal below 10
/// when every tick of the axis is a whole number ("0 5 10", not "0 5.0 10"), and in thousands from
/// 1000 up when the axis reaches 10 000 ("0 5k 10k", not "0 5000 10k").
pub(super) fn tick_labels(values: &[f64]) -> Vec<String> {
    let whole = values.iter().all(|v| v.fract() == 0.0);
    let kilo = values.iter().any(|&v| v >= 10_000.0);
    values
        .iter()
        .map(|&v| match v / 1000.0 {
            k if kilo && k >= 1.0 && k.fract() == 0.0 => format!("{k:.0}k"),
            k if kilo && k >= 1.0 => format!("{k:.1}k"),
            _ if whole && v < 10.0 => format!("{v:.0}"),
            _ => format_tick(v),
        })
        .collect()
}

/// A file name for a chart: its title's ASCII words in lower case, joined by dashes.
pub(super) fn file_name(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// Lays entries of the given widths left to right in rows no wider than `width`: each entry's x
/// and row, for legends under a figure.
pub(crate) fn wrap_rows(widths: impl IntoIterator<Item = f64>, width: f64) -> Vec<(f64, usize)> {
    let (mut x, mut row) = (0.0, 0);
    widths
        .into_iter()
        .map(|w| {
            if x > 0.0 && x + w > width {
                (x, row) = (0.0, row + 1);
            }
            x += w;
            (x - w, row)
        })
        .collect()
}

/// The number of characters in the longest of `series`' labels.
pub(super) fn longest_label(series: &[Series]) -> usize {
    series.iter().map(|s| s.label.chars().count()).max().unwrap_or(0)
}

/// Time ticks between the ends of an axis from `from_s` to `to_s` drawn `plot_w` px wide: every
/// 1, 2 or 5 × 10ⁿ whole seconds, one to about every 6 em of plot, none that would touch an end's
/// own label (the start's drawn from the left edge, the end's up to the right one) with half an em
/// between. When that leaves none, the next finer step, while ticks stay 3.5 em apart.
pub(super) fn time_ticks(from_s: f64, to_s: f64, plot_w: f64, em: f64) -> Vec<f64> {
    let span = (to_s - from_s).max(1e-9);
    let x = |t: f64| (t - from_s) / span * plot_w;
    let end_label = |t: f64| text_width(&format!("{t:.0} s"), em);
    let (start_w, end_w) = (end_label(from_s), end_label(to_s));
    let within = |step: f64| -> Vec<f64> {
        ((from_s / step).floor() as i64 + 1..)
            .map(|k| k as f64 * step)
            .take_while(|t| *t < to_s)
            .filter(|t| {
                let half = text_width(&format!("{t:.0}"), em) / 2.0 + 0.5 * em;
                x(*t) > start_w + half && plot_w - x(*t) > end_w + half
            })
            .collect()
    };
    let mut step = nice_ceiling(span / (plot_w / (6.0 * em)).floor().max(1.0)).max(1.0);
    loop {
        let ticks = within(step);
        let finer = nice_ceiling(step / 2.5).max(1.0);
        if !ticks.is_empty() || finer >= step || finer / span * plot_w < 3.5 * em {
            return ticks;
        }
        step = finer;
    }
}

#[component]
pub fn LineChart(props: &ChartProps) -> Html {
    let svg_ref = use_node_ref();
    // Room at the right for the longest direct label ("utilisation 100"), at about 0.65 em a
    // character of semibold text; a value takes at most four characters ("1500", "12k", "2.5").
    // Where that would take more than 0.4 of the width, the labels go without their values.
    let measure = use_measure(svg_ref.clone());
    let longest = props.label_chars.unwrap_or_else(|| longest_label(&props.series)) as f64;
    let with_values = (0.65 * (longest + 5.0) + 0.3) * measure.font + 20.0 <= 0.4 * measure.width;
    let right_ems = 0.65 * (longest + if with_values { 5.0 } else { 0.0 }) + 0.3;
    let f = Frame::new(measure, props.lines, right_ems, props.tall);
    // A series' value in the newest window: none when it has none (no request succeeded, so no
    // latency), not an older window's. The labels and the summary both give it.
    let newest = |s: &Series, none: &str| s.points.last().and_then(|(_, v)| *v).map_or(none.into(), format_tick);
    let label_text = |s: &Series| match with_values {
        false => s.label.to_string(),
        true => format!("{} {}", s.label, newest(s, "–")),
    };
    let (width, height, em) = (f.width, f.height, f.em);
    let (left, right, top) = (f.left, f.right, f.top);
    let span = (props.to_s - props.from_s).max(1e-9);
    let data_max = props
        .series
        .iter()
        .flat_map(|s| s.points.iter().filter(|(t, _)| *t >= props.from_s).filter_map(|(_, v)| *v))
        .fold(0.0, f64::max);
    let y_max = props.y_max.unwrap_or_else(|| nice_ceiling(data_max * 1.05));
    let (plot_w, plot_h) = (f.plot_w(), f.plot_h());
    let x = |t: f64| left + (t - props.from_s) / span * plot_w;
    let y = |v: f64| top + plot_h - (v / y_max).clamp(0.0, 1.05) * plot_h;

    let paths = props.series.iter().map(|s| {
        let mut d = String::new();
        let mut pen_down = false;
        for (t, v) in s.points.iter().filter(|(t, _)| *t >= props.from_s) {
            match v {
                Some(v) => {
                    d.push_str(&format!("{}{:.1},{:.1}", if pen_down { " L" } else { " M" }, x(*t), y(*v)));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        html! { <path class={classes!("series", s.class)} d={d} stroke-dasharray={s.dash} /> }
    });

    // Direct labels at the right edge, at each series' newest value, nudged apart so they never
    // overlap and never leave the plot.
    let mut labels: Vec<(f64, &Series, Option<f64>)> = props
        .series
        .iter()
        .map(|s| {
            let last = s.points.last().and_then(|(_, v)| *v);
            (last.map_or(top + plot_h, y), s, last)
        })
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    // The first label starts below the top edge, where the SVG and PNG buttons sit.
    if let Some(first) = labels.first_mut() {
        first.0 = first.0.max(f.labels_from());
    }
    let gap = 1.1 * em;
    for i in 1..labels.len() {
        labels[i].0 = labels[i].0.max(labels[i - 1].0 + gap);
    }
    let bottom = top + plot_h + 0.3 * em;
    for i in (0..labels.len()).rev() {
        let limit = if i + 1 < labels.len() { labels[i + 1].0 - gap } else { bottom };
        labels[i].0 = labels[i].0.min(limit);
    }
    let label_nodes = labels.iter().map(|(ly, s, _)| {
        html! {
            <g class={classes!("direct-label", s.class)}>
                <line x1={(width - right + 2.0).to_string()} x2={(width - right + 16.0).to_string()}
                    y1={ly.to_string()} y2={ly.to_string()} stroke-dasharray={s.dash} class="series" />
                <text x={(width - right + 19.0).to_string()} y={(ly + 0.35 * em).to_string()}>
                    { label_text(s) }
                </text>
            </g>
        }
    });

    // Each mark's shape goes under the lines, its label over them. Labels take the first of three
    // rows near the top where they overprint no other (a trigger's from the top row, a change's
    // from the second); one with no room is left to its tooltip. What is scheduled next is written
    // at the right edge of the top rows (the nearest two that fit), and takes its room first.
    let upcoming: Vec<String> = props
        .marks
        .iter()
        .filter_map(|m| match m {
            Mark::Upcoming { in_s, label } => Some(format!("{label} {}", crate::ui::time_left(*in_s))),
            _ => None,
        })
        // One wider than the plot (on a narrow screen) is left out.
        .filter(|text| text_width(text, 0.95 * em) < plot_w)
        .take(2)
        .collect();
    let end_x = width - right - 4.0;
    let mut rows: [Vec<(f64, f64)>; 3] = Default::default();
    for (row, text) in rows.iter_mut().zip(&upcoming) {
        row.push((end_x - text_width(text, 0.95 * em) - 0.5 * em, end_x));
    }
    // A label starts at its mark, or ends at the plot's right edge if it would run past it: (x, y).
    // One wider than the plot is left to its tooltip.
    let mut place = |x0: f64, label: &str, order: [usize; 3]| {
        let wide = 2.0 + text_width(label, 0.95 * em) + 0.5 * em;
        if wide > plot_w {
            return None;
        }
        let span = (x0.min(end_x - wide), x0.min(end_x - wide) + wide);
        let row = order.into_iter().find(|&r| rows[r].iter().all(|&(a, b)| span.1 <= a || b <= span.0))?;
        rows[row].push(span);
        Some((span.0 + 2.0, top + 0.9 * em + 1.05 * em * row as f64))
    };
    let (marks, mark_labels): (Vec<Html>, Vec<Html>) = props.marks.iter().filter_map(|m| match m {
        Mark::Span { start_s, end_s, label } => {
            let end = *end_s;
            if end < props.from_s {
                return None;
            }
            let (x0, x1) = (x(start_s.max(props.from_s)), x(end.min(props.to_s)));
            let label_at = place(x0, label, [0, 1, 2]);
            Some((
                html! {
                    <g class="mark trigger">
                        <rect x={x0.to_string()} y={top.to_string()} width={(x1 - x0).max(1.5).to_string()}
                            height={plot_h.to_string()}><title>{ label.clone() }</title></rect>
                    </g>
                },
                html! {
                    if let Some((label_x, label_y)) = label_at {
                        <g class="mark trigger"><text x={label_x.to_string()} y={label_y.to_string()}>{ label.clone() }</text></g>
                    }
                },
            ))
        }
        Mark::Change { t_s, label } if *t_s >= props.from_s => {
            let label_at = place(x(*t_s), label, [1, 2, 0]);
            Some((
                html! {
                    <g class="mark change">
                        <line x1={x(*t_s).to_string()} x2={x(*t_s).to_string()}
                            y1={top.to_string()} y2={(top + plot_h).to_string()}><title>{ label.clone() }</title></line>
                    </g>
                },
                html! {
                    if let Some((label_x, label_y)) = label_at {
                        <g class="mark change"><text x={label_x.to_string()} y={label_y.to_string()}>{ label.clone() }</text></g>
                    }
                },
            ))
        }
        Mark::Change { .. } => None,
        Mark::Upcoming { .. } => None,
    }).unzip();
    let upcoming: Html = upcoming.into_iter().enumerate().map(|(i, text)| {
        html! {
            <text class="mark upcoming" x={end_x.to_string()} y={(top + 0.9 * em + 1.05 * em * i as f64).to_string()}
                text-anchor="end">{ text }</text>
        }
    }).collect();

    let values = [0.0, 0.5, 1.0].map(|f| y_max * f);
    let ticks = values.into_iter().zip(tick_labels(&values)).map(|(v, label)| {
        html! {
            <g class="tick">
                <line x1={left.to_string()} x2={(width - right).to_string()} y1={y(v).to_string()} y2={y(v).to_string()} />
                <text x={(left - 6.0).to_string()} y={(y(v) + 0.35 * em).to_string()} text-anchor="end">{ label }</text>
            </g>
        }
    });
    let time_ticks = time_ticks(props.from_s, props.to_s, plot_w, em).into_iter().map(|t| {
            html! {
                <g class="tick time">
                    <line x1={x(t).to_string()} x2={x(t).to_string()} y1={(top + plot_h).to_string()} y2={(top + plot_h + 4.0).to_string()} />
                    <text x={x(t).to_string()} y={(height - 0.45 * em).to_string()} text-anchor="middle">{ format!("{t:.0}") }</text>
                </g>
            }
        });
    let shaded = props.window.map(|(from, to)| {
        let (x0, x1) = (x(from.max(props.from_s)), x(to.min(props.to_s)));
        html! { <rect class="in-view" x={x0.to_string()} y={top.to_string()} width={(x1 - x0).max(1.5).to_string()} height={plot_h.to_string()} /> }
    });
    let summary =
        props.series.iter().map(|s| format!("{} {}", s.label, newest(s, "none"))).collect::<Vec<_>>().join(", ");
    let title =
        if props.unit.is_empty() { props.title.to_string() } else { format!("{} ({})", props.title, props.unit) };
    let save = |as_png: bool| {
        let svg = svg_ref.clone();
        let name = file_name(props.title);
        move |_: MouseEvent| {
            if let Some(svg) = svg.cast::<web_sys::Element>() {
                if as_png { export::save_png(&svg, &name) } else { export::save_svg(&svg, &name) }
            }
        }
    };
    html! {
        <figure class="chart">
            <figcaption class="chart-tools">
                <button type="button" class="small" onclick={save(false)} aria-label={format!("Save {} as SVG", props.title)}>{ "SVG" }</button>
                <button type="button" class="small" onclick={save(true)} aria-label={format!("Save {} as PNG", props.title)}>{ "PNG" }</button>
            </figcaption>
            <svg ref={svg_ref} viewBox={format!("0 0 {width:.1} {height:.1}")} role="img" aria-label={format!("{title}: {summary}")}>
                <text class="chart-title" x="4" y={(1.3 * em).to_string()}>{ title.clone() }</text>
                { for shaded }
                { for ticks }
                { for time_ticks }
                { for marks }
                // The marks' labels under the lines: what happened is never hidden by its name.
                { for mark_labels }
                { for paths }
                { upcoming }
                { for label_nodes }
                if props.from_s >= 0.0 {
                    <text class="axis" x={left.to_string()} y={(height - 0.45 * em).to_string()}>{ format!("{:.0} s", props.from_s) }</text>
                }
                <text class="axis" x={(width - right).to_string()} y={(height - 0.45 * em).to_string()} text-anchor="end">
                    { format!("{:.0} s", props.to_s) }
                </text>
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::{tick_labels, time_ticks};

    #[test]
    fn an_axis_of_whole_ticks_writes_no_decimals() {
        assert_eq!(tick_labels(&[0.0, 5.0, 10.0]), ["0", "5", "10"]);
        assert_eq!(tick_labels(&[0.0, 2.0, 4.0, 6.0, 8.0]), ["0", "2", "4", "6", "8"]);
        assert_eq!(tick_labels(&[0.0, 0.5, 1.0]), ["0", "0.5", "1.0"]);
        assert_eq!(tick_labels(&[0.0, 10_000.0, 20_000.0]), ["0", "10k", "20k"]);
        assert_eq!(tick_labels(&[0.0, 5000.0, 10_000.0]), ["0", "5k", "10k"], "one axis, one way of writing");
        assert_eq!(tick_labels(&[0.0, 2500.0, 5000.0, 7500.0, 10_000.0]), ["0", "2.5k", "5k", "7.5k", "10k"]);
        assert_eq!(tick_labels(&[0.0, 2500.0, 5000.0]), ["0", "2500", "5000"], "below 10 000, whole numbers");
    }

    #[test]
    fn a_narrow_time_axis_keeps_ticks_between_its_ends() {
        // A lesson's chart at 1280 px: 214 px of plot at 12.8 px text, 59 s shown. The 6 em rule
        // gives a 50 s step, whose one tick would touch "59 s"; the next finer step fits two.
        assert_eq!(time_ticks(0.0, 59.0, 214.0, 12.8), [20.0, 40.0]);
        let wide: Vec<f64> = (1..=11).map(|k| 5.0 * k as f64).collect();
        assert_eq!(time_ticks(0.0, 59.0, 1000.0, 12.8), wide, "where the 6 em rule leaves ticks, it holds");
        for (width, span) in [(120.0, 59.0), (214.0, 600.0), (300.0, 7.0), (640.0, 3600.0), (90.0, 30.0)] {
            let ticks = time_ticks(0.0, span, width, 12.8);
            for pair in ticks.windows(2) {
                assert!((pair[1] - pair[0]) / span * width >= 3.5 * 12.8, "{width} px, {span} s: {ticks:?}");
            }
        }
    }
}
