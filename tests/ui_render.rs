//! Component tests: the charts and controls rendered to HTML natively (server-side rendering).
#![cfg(feature = "ssr")]

use metastable_playground::sim::HealthState;
use metastable_playground::sim::Simulation;
use metastable_playground::sim::lessons;
use metastable_playground::sim::metrics::Chart;
use metastable_playground::sim::scenario::Scenario;
use metastable_playground::sim::sweep::Tally;
use metastable_playground::ui::banner::{Banner, BannerProps};
use metastable_playground::ui::charts::{
    ChartProps, Charts, ChartsProps, LineChart, Mark, Series, XyChart, XyProps, XySeries, timeout,
};
use metastable_playground::ui::controls::{ControlPanel, PanelProps};
use metastable_playground::ui::embed_dialog::Choice;
use metastable_playground::ui::lesson::LessonIndex;
use metastable_playground::ui::lesson::keys::{Focus, Key, command};
use metastable_playground::ui::sweep::{MapProps, StabilityMap};
use std::rc::Rc;
use yew::{BaseComponent, LocalServerRenderer};

fn render<C: BaseComponent>(props: C::Properties) -> String {
    futures::executor::block_on(LocalServerRenderer::<C>::with_props(props).hydratable(false).render())
}

fn chart(series: Vec<Series>, marks: Vec<Mark>) -> String {
    render::<LineChart>(ChartProps {
        title: "Throughput",
        unit: "req/s",
        series,
        from_s: 0.0,
        to_s: 100.0,
        y_max: None,
        marks: Rc::new(marks),
        window: None,
        lines: None,
        label_chars: None,
        tall: false,
    })
}

fn line(label: &'static str, dash: &'static str, points: Vec<(f64, Option<f64>)>) -> Series {
    Series { label: label.into(), class: "c-test", dash, points: Rc::new(points) }
}

#[test]
fn a_chart_draws_each_series_with_its_dash_and_a_direct_label() {
    let html = chart(
        vec![
            line("offered", "", vec![(10.0, Some(700.0)), (20.0, Some(700.0))]),
            line("goodput", "6 3", vec![(10.0, Some(690.0)), (20.0, Some(12.0))]),
        ],
        vec![],
    );
    assert_eq!(html.matches("class=\"series c-test\"").count(), 2, "two paths");
    assert_eq!(html.matches("class=\"direct-label c-test\"").count(), 2, "two direct labels");
    assert!(html.contains("stroke-dasharray=\"6 3\""));
    assert!(html.contains("offered 700") && html.contains("goodput 12"), "{html}");
    assert!(html.contains("aria-label=\"Throughput (req/s): offered 700, goodput 12\""), "{html}");
    // The y axis rounds up past the data: 700 × 1.05 → 1000.
    assert!(html.contains(">1000<"), "{html}");
}

#[test]
fn missing_values_break_the_line_and_show_a_dash() {
    let html =
        chart(vec![line("p99", "", vec![(10.0, Some(5.0)), (20.0, None), (30.0, Some(6.0)), (40.0, None)])], vec![]);
    let path = html.split("d=\"").nth(1).expect("a path").split('"').next().expect("path data");
    assert_eq!(path.matches('M').count(), 2, "two segments: {path}");
    assert!(html.contains("p99 –"), "newest value missing: {html}");
}

#[test]
fn triggers_and_changes_are_marked_on_the_time_axis() {
    let html = chart(
        vec![line("p99", "", vec![(10.0, Some(50.0))])],
        vec![
            Mark::Span { start_s: 20.0, end_s: 30.0, label: "load spike ×2".into() },
            Mark::Change { t_s: 50.0, label: "changed clients.load_rps".into() },
        ],
    );
    assert!(html.contains("load spike ×2"));
    assert!(html.contains("class=\"mark change\""));
}

#[test]
fn mark_labels_never_overprint_one_another() {
    // A trigger, then five changes a second apart: their labels take free places in three rows
    // near the top, and those with no room are left to their tooltips.
    let mut marks = vec![Mark::Span { start_s: 48.0, end_s: 58.0, label: "load spike ×3".into() }];
    marks.extend(
        (0..5).map(|k| Mark::Change { t_s: 50.0 + f64::from(k), label: format!("Load → {} req/s", 2550 + 50 * k) }),
    );
    let html = chart(vec![line("offered", "", vec![(10.0, Some(700.0))])], marks);
    assert_eq!(html.matches("<title>Load → ").count(), 5, "every change keeps its line and tooltip");
    let labels: Vec<(f64, f64, &str)> = html
        .split("<g class=\"mark ")
        .skip(1)
        .filter_map(|g| {
            let g = g.split("</g>").next()?;
            let attr = |name: &str| g.split(&format!("{name}=\"")).nth(1)?.split('"').next()?.parse::<f64>().ok();
            Some((attr("x")?, attr("y")?, g.split('>').nth(2)?.split('<').next()?))
        })
        .filter(|(_, _, text)| !text.is_empty())
        .collect();
    assert!(labels.len() >= 3, "{labels:?}");
    assert!(labels.len() < 6, "some labels have no room: {labels:?}");
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            // 0.62 em a character at 0.95 of the chart's 14 px: the same row, far enough apart.
            let width = |t: &str| t.chars().count() as f64 * 0.62 * 0.95 * 14.0;
            let apart = a.1 != b.1 || a.0 + width(a.2) <= b.0 || b.0 + width(b.2) <= a.0;
            assert!(apart, "{a:?} overprints {b:?}");
        }
    }
}

#[test]
fn the_control_panel_has_labelled_sliders_with_values_and_notes() {
    let scenario = Rc::new(Scenario::default());
    let html = render::<ControlPanel>(PanelProps {
        scenario,
        notes: Rc::new(vec![("cache.target_hit_rate", "capacity 1410 keys".to_string())]),
        on_change: Default::default(),
        only: None,
        slider_max: None,
        tier: 0,
    });
    for group in ["Traffic", "Retry policy", "Cache", "Backend"] {
        assert!(html.contains(&format!("<legend>{group}</legend>")), "{group}");
    }
    assert!(html.contains("<label for=\"ctl-clients-load_rps\">Load</label>"));
    assert!(html.contains("aria-valuetext=\"2500 req/s\""), "{html}");
    assert!(html.contains("capacity 1410 keys"));
    assert!(html.contains("<summary>Advanced</summary>"));
    // The health group holds advanced settings alone, and says so.
    assert!(
        html.contains("<legend>Health</legend>") && html.contains("<summary>1 advanced setting</summary>"),
        "{html}"
    );
    assert!(html.contains("value=\"token_bucket\""));
}

/// The capacity under the workers slider, read from its note.
fn capacity_note(scenario: &Scenario) -> f64 {
    let notes = metastable_playground::ui::controls::notes(scenario);
    let (_, note) = notes.iter().find(|(path, _)| *path == "backend.workers").expect("a workers note");
    note.strip_prefix("capacity ").and_then(|n| n.strip_suffix(" req/s")).and_then(|n| n.parse().ok()).expect(note)
}

#[test]
fn the_backends_capacity_is_the_load_that_keeps_its_workers_busy_in_a_chain_too() {
    // One tier: workers over service time, 10 ÷ 10 ms.
    assert_eq!(
        capacity_note(&metastable_playground::sim::presets::find("retry-storm").map(|p| (p.scenario)()).unwrap()),
        1000.0
    );
    // A front of 150 workers doing 5 ms of its own work, then waiting on a database 1 ms away that
    // takes 10 ms: each request holds a front worker 17 ms, so 150 ÷ 17 ms, not 150 ÷ 5 ms.
    let mut chain = metastable_playground::sim::presets::find("pool-exhaustion").map(|p| (p.scenario)()).unwrap();
    chain.triggers.clear();
    let capacity = capacity_note(&chain);
    assert_eq!(capacity, (150.0 / 0.017_f64).round());
    // At half of it, the engine keeps half the front's workers busy (within 5 %).
    chain.clients.load_rps = capacity / 2.0;
    let mut sim = Simulation::new(chain).expect("valid");
    sim.run_until(10_000_000_000);
    let before = sim.tier_areas(0).busy;
    sim.run_until(70_000_000_000);
    let busy = (sim.tier_areas(0).busy - before) / 60e9;
    assert!((busy / 75.0 - 1.0).abs() < 0.05, "{busy} of 150 front workers busy at {} req/s", capacity / 2.0);
}

#[test]
fn a_later_tiers_controls_set_its_own_fields_under_its_name() {
    let scenario =
        Rc::new(metastable_playground::sim::presets::find("layered-retries").map(|p| (p.scenario)()).expect("preset"));
    let html = render::<ControlPanel>(PanelProps {
        scenario,
        notes: Rc::new(Vec::new()),
        on_change: Default::default(),
        only: None,
        slider_max: None,
        tier: 2,
    });
    for legend in ["Calls to db", "Cache in front of db", "Backend of db"] {
        assert!(html.contains(&format!("<legend>{legend}</legend>")), "{legend}: {html}");
    }
    assert!(html.contains("id=\"ctl-tier3-backend-workers\""), "{html}");
    assert!(html.contains("id=\"ctl-tier3-timeout_s\""), "{html}");
    // The clients' load is the whole chain's, shown whichever tier is chosen.
    assert!(html.contains("id=\"ctl-clients-load_rps\""));
    assert!(!html.contains("id=\"ctl-backend-workers\""));
}

#[test]
fn a_chart_is_drawn_in_css_pixels_with_its_export_buttons() {
    let props = |lines, window| ChartProps {
        title: "Throughput",
        unit: "req/s",
        series: vec![line("goodput", "", vec![(50.0, Some(10.0)), (100.0, Some(20.0))])],
        from_s: 0.0,
        to_s: 100.0,
        y_max: None,
        marks: Rc::new(Vec::new()),
        window,
        lines,
        label_chars: None,
        tall: false,
    };
    // Before it is measured (and on a server) a chart is 520 px wide with 13 px text: 0.4 of its
    // width tall, 3.4 em of tick labels at the left and, at the right, 0.65 em a character of the
    // longest label ("goodput" and a value of up to four characters) and 20 px for its line.
    let (left, right) = (3.4 * 13.0, (0.65 * 12.0 + 0.3) * 13.0 + 20.0);
    let plot_w = 520.0 - left - right;
    let chart = render::<LineChart>(props(None, None));
    assert!(chart.contains("viewBox=\"0 0 520.0 208.0\""), "{chart}");
    // The line ends at the right edge of the plot.
    assert!(chart.contains(&format!("L{:.1},", left + plot_w)), "{chart}");
    assert!(
        chart.contains("aria-label=\"Save Throughput as SVG\"")
            && chart.contains("aria-label=\"Save Throughput as PNG\"")
    );
    assert!(!chart.contains("in-view"));
    // A lesson's chart, projected: 0.55 of its width tall.
    let tall = render::<LineChart>(ChartProps { tall: true, ..props(None, None) });
    assert!(tall.contains("viewBox=\"0 0 520.0 286.0\""), "{tall}");
    // An overview: four text lines of plot under the title row, the other charts' span shaded.
    let overview = render::<LineChart>(props(Some(4.0), Some((60.0, 100.0))));
    let height = 2.2 * 13.0 + 1.7 * 13.0 + 4.0 * 13.0;
    assert!(overview.contains(&format!("viewBox=\"0 0 520.0 {height:.1}\"")), "{overview}");
    // From 60 s to 100 s of a 0–100 s axis: the last 40 % of the plot.
    let (x0, x1) = (left + 60.0 / 100.0 * plot_w, left + plot_w);
    let shaded = format!("<rect x=\"{x0}\" y=\"28.6\" width=\"{}\" height=\"52\" class=\"in-view\">", x1 - x0);
    assert!(overview.contains(&shaded), "{shaded} in {overview}");
}

#[test]
fn a_lessons_slider_ends_where_it_is_told() {
    let only = Rc::new(vec!["clients.load_rps".to_string()]);
    let panel = |slider_max| {
        render::<ControlPanel>(PanelProps {
            scenario: Rc::new(Scenario::default()),
            notes: Rc::new(Vec::new()),
            on_change: Default::default(),
            only: Some(only.clone()),
            slider_max,
            tier: 0,
        })
    };
    assert!(panel(Some(5000.0)).contains("max=\"5000\""));
    assert!(panel(None).contains("max=\"12000\""), "the field's own end");
}

#[test]
fn an_embed_panel_shows_only_the_chosen_controls_in_order() {
    let scenario = Rc::new(Scenario::default());
    let only = Rc::new(vec!["retry.max_attempts".to_string(), "clients.load_rps".to_string()]);
    let html = render::<ControlPanel>(PanelProps {
        scenario,
        notes: Rc::new(Vec::new()),
        on_change: Default::default(),
        only: Some(only),
        slider_max: None,
        tier: 0,
    });
    let attempts = html.find("id=\"ctl-retry-max_attempts\"").expect("max attempts shown");
    let load = html.find("id=\"ctl-clients-load_rps\"").expect("load shown");
    assert!(attempts < load, "in the order given");
    assert_eq!(html.matches("<input").count(), 2, "{html}");
    assert!(!html.contains("Advanced"));
}

#[test]
fn an_embed_panels_settings_from_a_chain_name_their_tiers() {
    let scenario =
        Rc::new(metastable_playground::sim::presets::find("layered-retries").map(|p| (p.scenario)()).expect("preset"));
    let paths = ["retry.max_attempts", "tier3.retry.max_attempts", "clients.load_rps", "tier2.cache.enabled"];
    let only = Rc::new(paths.map(String::from).to_vec());
    let panel = |scenario: Rc<Scenario>| {
        render::<ControlPanel>(PanelProps {
            scenario,
            notes: Rc::new(Vec::new()),
            on_change: Default::default(),
            only: Some(only.clone()),
            slider_max: None,
            tier: 0,
        })
    };
    let html = panel(scenario.clone());
    let names: Vec<String> = (0..3).map(|t| scenario.tier_name(t)).collect();
    for (id, label) in [
        ("retry-max_attempts", format!("Max attempts ({})", names[0])),
        ("tier3-retry-max_attempts", format!("Max attempts ({})", names[2])),
        ("clients-load_rps", "Load".to_string()),
        ("tier2-cache-enabled", format!("Use the cache ({})", names[1])),
    ] {
        assert!(html.contains(&format!("<label for=\"ctl-{id}\">{label}</label>")), "{label}: {html}");
    }
    // One tier needs no names.
    let html = panel(Rc::new(Scenario::default()));
    assert!(html.contains("<label for=\"ctl-retry-max_attempts\">Max attempts</label>"), "{html}");
}

#[test]
fn the_banner_shows_the_state_and_its_reason() {
    let html = render::<Banner>(BannerProps {
        state: HealthState::Metastable,
        reason: "the load spike ended 40 s ago".into(),
    });
    assert!(html.contains("state-metastable") && html.contains("Metastable") && html.contains("ended 40 s ago"));
    assert!(
        html.contains("<strong role=\"status\" aria-live=\"polite\" class=\"state\">Metastable</strong>"),
        "{html}"
    );
}

#[test]
fn a_map_colours_each_cell_by_its_outcome_and_odds_and_rings_the_live_settings() {
    // Three loads across, two spike sizes up; counts are healthy, recovered, unsettled,
    // overloaded, metastable.
    let tally = |counts: [usize; 5]| Tally { counts };
    let tallies = vec![
        tally([3, 0, 0, 0, 0]),
        tally([0, 2, 0, 0, 1]),
        tally([0, 0, 0, 3, 0]),
        tally([0, 3, 0, 0, 0]),
        tally([0, 0, 0, 0, 3]),
        Tally::default(),
    ];
    let props = |marker: Option<(f64, Option<f64>)>| MapProps {
        title: "Stability map, seeds 1–3".into(),
        x_values: Rc::new(vec![300.0, 600.0, 900.0]),
        y_values: Some(Rc::new(vec![1.0, 3.0])),
        x_label: "Load (req/s)".into(),
        y_label: Some("Spike (×)".into()),
        tallies: Rc::new(tallies.clone()),
        marker,
        shown: None,
        on_show: Default::default(),
        on_open: Default::default(),
    };
    let html = render::<StabilityMap>(props(Some((600.0, Some(3.0)))));
    let cell = |c: usize| {
        html.split(&format!("data-cell=\"{c}\"")).nth(1).expect("the cell").split("</g>").next().unwrap().to_string()
    };
    assert!(cell(0).contains("data-outcome=\"healthy\"") && cell(0).contains("data-odds=\"0\""), "{}", cell(0));
    // One seed in three stuck: the recovered colour, purple laid over it at a third.
    assert!(cell(1).contains("run-recovered"), "{}", cell(1));
    // Its tooltip says where it is.
    assert!(cell(1).contains("<title>Load (req/s) 600 · Spike (×) 1: 1 of 3 metastable, 2 recovered"), "{}", cell(1));
    let label = |c: usize| html.split(&format!("data-cell-label=\"{c}\"")).nth(1).map(|t| t.split('<').next().unwrap());
    assert!(label(1).is_some_and(|t| t.ends_with(">1/3")), "{html}");
    assert!(cell(1).contains("fill-opacity=\"0.50\""), "{}", cell(1));
    assert!(cell(2).contains("run-overloaded") && !cell(2).contains("class=\"stuck\""));
    assert!(cell(4).contains("run-metastable") && cell(4).contains("fill-opacity=\"1.00\""), "{}", cell(4));
    assert!(cell(5).contains("pending") && cell(5).contains("data-runs=\"0\""));
    // Row 0 (spike ×1) is drawn at the bottom: the first cell sits below the fourth.
    let y_of = |c: usize| cell(c).split("y=\"").nth(1).unwrap().split('"').next().unwrap().parse::<f64>().unwrap();
    assert!(y_of(0) > y_of(3));
    // Drawn before it is measured at 520 px with 13 px text: the plot starts after the longest y
    // tick (one character: 0.62 em, and 0.9 em of space) and 3.3 em from the top, ends 1.8 em
    // from the right, and is 0.55 as high as wide. The ring sits at the middle of the cell
    // (600, ×3): half-way across, a quarter of the way down.
    let (em, width) = (13.0, 520.0);
    let left = 0.62 * em + 0.9 * em;
    let plot_w = width - left - 1.8 * em;
    let (x, y) = (left + 0.5 * plot_w, 3.3 * em + 0.25 * 0.55 * plot_w);
    // In cells large enough for a label, the ring is wide enough to go round one: 1.4 em.
    assert!(html.contains(&format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"18.2\"")), "{html}");
    // The cells' labels are drawn after the ring, so the ring passes under the one it circles (the
    // cell of 600 and ×3, whose three seeds all ended stuck); a cell not run yet has none.
    let (ring, labels) = (html.find("class=\"marker\"").unwrap(), html.find("data-cell-label").unwrap());
    assert!(ring < labels && label(4).is_some_and(|t| t.ends_with(">3/3")), "{html}");
    assert_eq!(label(5), None);
    for tick in [">300<", ">600<", ">900<", ">1<", ">3<", ">Load (req/s)<", ">↑ Spike (×)<"] {
        assert!(html.contains(tick), "{tick}");
    }
    // Its title and legend are part of the drawing, so a saved copy explains itself; the ring is
    // in the legend only while it is on the map.
    assert!(html.contains(">Stability map, seeds 1–3<"));
    // Cells carry labels here, so each outcome gives its letter, and the count is explained by
    // one the map shows (the first: 1 seed of 3 stuck).
    let entries =
        ["healthy (H)", "recovered (R)", "unsettled (U)", "overloaded (O)", "metastable (M)", "live settings"];
    for entry in entries.into_iter().chain(["1/3: 1 of 3 seeds end stuck"]) {
        assert!(html.contains(&format!(">{entry}</text>")), "{entry}");
    }
    let off_map = render::<StabilityMap>(props(Some((5000.0, Some(3.0)))));
    assert!(!off_map.contains(">live settings<") && !off_map.contains("class=\"marker\""));
}

fn xy_series(label: &str, dash: &'static str, points: Vec<(f64, f64)>, fade: bool) -> XySeries {
    XySeries { label: label.into(), class: "c-test", dash, points: Rc::new(points), fade, times: None }
}

/// A loop chart of goodput against offered load, both axes to 2000.
fn loop_chart(series: Vec<XySeries>, diagonal: Option<&str>, csv: bool) -> XyProps {
    XyProps {
        title: "Goodput against offered load".into(),
        x_label: "Offered".into(),
        y_label: "Goodput".into(),
        series,
        x_max: Some(2000.0),
        y_max: Some(2000.0),
        diagonal: diagonal.map(Into::into),
        csv,
    }
}

#[test]
fn an_xy_chart_keeps_direct_labels_apart_and_fades_a_trail() {
    // Two branches ending at the same point: their labels must not sit on each other.
    let series = vec![
        xy_series("none up", "", vec![(300.0, 300.0), (1300.0, 0.0)], false),
        xy_series("bucket up", "", vec![(300.0, 300.0), (1300.0, 0.0)], false),
        xy_series("trail", "", vec![(0.0, 1.0), (10.0, 2.0), (20.0, 3.0)], true),
    ];
    let html = render::<XyChart>(loop_chart(series, Some("goodput = offered"), true));
    assert!(html.contains("aria-label=\"Save Goodput against offered load as CSV\""), "{html}");
    let label_y = |label: &str| -> f64 {
        let before = html.split(&format!(">{label}</text>")).next().expect("label");
        before.rsplit("y=\"").next().unwrap().split('"').next().unwrap().parse().unwrap()
    };
    assert!((label_y("none up") - label_y("bucket up")).abs() >= 14.0, "{html}");
    // Both end at zero goodput: pushed apart upwards, they stay above the x ticks. At 520 px and
    // 13 px text the plot runs from 2.2 em to 312 − 3 em, and a label's baseline keeps 0.4 em
    // above its bottom.
    let bottom = 312.0 - 3.0 * 13.0 - 0.4 * 13.0;
    assert!(label_y("none up") <= bottom + 0.05 && label_y("bucket up") <= bottom + 0.05, "{html}");
    // The trail: two segments, the older fainter, and a dot at its head.
    assert!(html.contains("stroke-opacity=\"0.40\"") && html.contains("stroke-opacity=\"0.70\""), "{html}");
    assert_eq!(html.matches("class=\"head\"").count(), 1);
    // The two branches' points are dotted (the trail has none).
    assert_eq!(html.matches("class=\"point\"").count(), 4);
    assert!(html.contains(">goodput = offered<"));
    assert!(
        html.contains(
            "aria-label=\"Goodput against offered load: none up at 1300 → 0; bucket up at 1300 → 0; trail at 20 → 3.0\""
        ),
        "{html}"
    );
}

#[test]
fn an_xy_chart_dots_a_series_only_while_its_dots_stay_apart() {
    let dots = |n: usize| {
        let points: Vec<(f64, f64)> = (0..n).map(|i| (i as f64, i as f64)).collect();
        let html = render::<XyChart>(XyProps {
            title: "Loop".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            series: vec![XySeries {
                label: "up".into(),
                class: "c-test",
                dash: "",
                points: Rc::new(points),
                fade: false,
                times: None,
            }],
            x_max: None,
            y_max: None,
            diagonal: None,
            csv: false,
        });
        html.matches("class=\"point\"").count()
    };
    // A ramp of 200 steps has 401 levels: a line alone, where dots would merge into a band.
    assert_eq!((dots(21), dots(60), dots(61), dots(401)), (21, 60, 0, 0));
}

#[test]
fn the_lesson_list_links_every_lesson_with_its_minutes_and_outcome() {
    let html = render::<LessonIndex>(());
    for lesson in lessons::all() {
        assert!(html.contains(&format!("#v=2&amp;lesson={}&amp;step=1", lesson.name)), "{}: {html}", lesson.name);
        assert!(html.contains(&format!("{} min · {} steps", lesson.minutes, lesson.steps.len())), "{}", lesson.name);
        assert!(html.contains(lesson.outcome), "{}", lesson.name);
    }
}

#[test]
fn presenter_keys_step_play_restart_and_leave_fields_their_own_keys() {
    use Key::*;
    let on_page = |key: &str| command(key, Focus::Page, false);
    assert_eq!(
        ["ArrowRight", "ArrowLeft", "PageDown", "PageUp", " ", "r", "F", "p", "1", "9"].map(on_page),
        [
            Some(Next),
            Some(Previous),
            Some(Next),
            Some(Previous),
            Some(TogglePlay),
            Some(Restart),
            Some(FullScreen),
            Some(Projector),
            Some(Jump(0)),
            Some(Jump(8))
        ]
    );
    assert_eq!(["0", "x", "Enter", "Tab"].map(on_page), [None; 4]);
    // A focused slider keeps its arrows and Space; a clicker still steps.
    assert_eq!(
        ["ArrowRight", " ", "r", "PageDown"].map(|k| command(k, Focus::Field, false)),
        [None, None, None, Some(Next)]
    );
    // A focused button, link, disclosure or map cell keeps Space; the arrows still step.
    assert_eq!([" ", "ArrowRight"].map(|k| command(k, Focus::Pressable, false)), [None, Some(Next)]);
    assert_eq!(command("r", Focus::Page, true), None, "Ctrl+R is the browser's");
}

#[test]
fn the_embed_dialog_keeps_known_controls_and_charts_and_names_the_rest() {
    let choice = Choice::read("load, nope ,retries,", "hit-rate,pie,throughput,utilization", "90");
    assert_eq!(choice.controls, ["load", "retries"]);
    assert_eq!(choice.unknown_controls, ["nope"]);
    assert_eq!(choice.charts, [Chart::Utilization, Chart::Throughput]);
    assert_eq!(choice.unknown_charts, ["pie"]);
    assert_eq!((choice.start_s, choice.bad_start), (Some(90.0), false));
    for (text, start) in [("", None), ("0", None), ("3600", Some(3600.0))] {
        assert_eq!(Choice::read("", "", text).start_s, start, "{text:?}");
    }
    for text in ["-1", "3601", "soon", "NaN"] {
        let bad = Choice::read("", "", text);
        assert!(bad.bad_start && bad.start_s.is_none(), "{text:?}");
    }
}

#[test]
fn the_diagram_tells_a_cache_that_holds_nothing_from_one_switched_off() {
    use metastable_playground::ui::diagram::{Diagram, DiagramProps, Outcomes, TierBox};
    let props = |cache_enabled| DiagramProps {
        dots: Vec::new(),
        cache_fill: 0.0,
        cache_capacity: 0,
        cache_enabled,
        offered_rps: Some(700.0),
        outcomes: Some(Outcomes::default()),
        tiers: vec![TierBox {
            name: "api".into(),
            queue_len: 0,
            queue_limit: 2000,
            busy: 7,
            workers: 10,
            attempts_rps: Some(700.0),
            arrivals_rps: Some(700.0),
        }],
        reduced_motion: true,
    };
    let empty = render::<Diagram>(props(true));
    assert!(empty.contains("holds no keys: all miss") && !empty.contains("off: calls pass by"), "{empty}");
    let off = render::<Diagram>(props(false));
    assert!(off.contains("off: calls pass by") && !off.contains("holds no keys"), "{off}");
}

/// The live diagram of a run, as the app draws it (with reduced motion, so rates are written out).
#[derive(yew::Properties)]
struct LiveDiagramProps {
    sim: std::rc::Rc<Simulation>,
}

impl PartialEq for LiveDiagramProps {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.sim, &other.sim)
    }
}

#[yew::component]
fn LiveDiagram(props: &LiveDiagramProps) -> yew::Html {
    metastable_playground::ui::diagram::live(&props.sim, &metastable_playground::ui::diagram::Dots::default(), true)
}

#[test]
fn the_diagram_gives_no_rate_before_the_first_window_closes() {
    let run = |until_ns| {
        let scenario = (metastable_playground::sim::presets::find("retry-storm").expect("preset").scenario)();
        let mut sim = Simulation::new(scenario).expect("valid");
        sim.run_until(until_ns);
        render::<LiveDiagram>(LiveDiagramProps { sim: std::rc::Rc::new(sim) })
    };
    let before = run(500_000_000);
    // Rates are the newest window's: none yet, so dashes rather than a made-up 0.
    for text in [
        ">– req/s<",
        ">hits –<",
        ">responses –<",
        ">in flight –<",
        ">success –<",
        "in flight<span class=\"value\">–</span>",
        "success<span class=\"value\">–</span>",
    ] {
        assert!(before.contains(text), "{text}: {before}");
    }
    assert!(!before.contains("0/s<") && !before.contains(">0 req/s<"), "{before}");
    let after = run(1_500_000_000);
    // Once it has, every rate is written, the true zeros too (a cache that holds no keys hits none).
    assert!(!after.contains('–') && after.contains(">hits 0/s<") && after.contains(" req/s<"), "{after}");
}

#[test]
fn the_diagram_gives_every_arrow_its_rate_and_keeps_every_dot_in_a_box_and_the_legend() {
    use metastable_playground::sim::Stage;
    use metastable_playground::ui::diagram::{Diagram, DiagramProps, Dot, Outcomes, TierBox};
    let stages = [
        Stage::Created,
        Stage::CacheHit,
        Stage::CacheMiss,
        Stage::Queued,
        Stage::Served,
        Stage::Wasted,
        Stage::Succeeded,
        Stage::TimedOut,
        Stage::Errored,
        Stage::Retried,
        Stage::Failed,
    ];
    let dots: Vec<Dot> =
        (0..400u64).map(|request| Dot { request, stage: stages[request as usize % stages.len()] }).collect();
    let tier = |name: &str, attempts_rps, arrivals_rps| TierBox {
        name: name.into(),
        queue_len: 1999,
        queue_limit: 2000,
        busy: 10,
        workers: 10,
        attempts_rps: Some(attempts_rps),
        arrivals_rps: Some(arrivals_rps),
    };
    let outcomes = Outcomes {
        succeeded: 5400.0,
        retried: 12.0,
        timed_out: 3.0,
        wasted: 2.0,
        errored: 1.0,
        hits: 5100.0,
        responses: 310.0,
        in_flight: 87,
    };
    let html = render::<Diagram>(DiagramProps {
        dots,
        cache_fill: 0.5,
        cache_capacity: 1000,
        cache_enabled: true,
        offered_rps: Some(5410.0),
        outcomes: Some(outcomes),
        tiers: vec![tier("api", 5420.0, 320.0), tier("db", 330.0, 330.0)],
        reduced_motion: false,
    });
    // Out to the cache, on to the backend and the tier behind; back from the cache and the backend.
    for rate in [">5420/s<", ">320/s<", ">330/s<", ">hits 5100/s<", ">responses 310/s<"] {
        assert!(html.contains(rate), "{rate}: {html}");
    }
    // The first tier's rates are drawn after (over) the dots that pass them.
    let last_dot = html.rfind("class=\"dot ").expect("dots");
    for rate in [">5420/s<", ">320/s<", ">hits 5100/s<", ">responses 310/s<"] {
        assert!(html.rfind(rate).is_some_and(|at| at > last_dot), "{rate} is under a dot");
    }
    // Every outcome in the legend with its rate, and every dot's look among the legend's.
    for (label, value) in [
        ("in flight", "87"),
        ("cache hit", "5100/s"),
        ("success", "5400/s"),
        ("retry", "12/s"),
        ("timeout", "3/s"),
        ("wasted", "2/s"),
        ("error", "1/s"),
    ] {
        assert!(html.contains(&format!("{label}<span class=\"value\">{value}</span>")), "{label}: {html}");
    }
    let legend = &html[html.find("class=\"legend\"").expect("legend")..];
    let mut seen = 0;
    for dot in html.split("<g style=\"transform: translate(").skip(1) {
        let numbers: Vec<f64> = dot[..dot.find(')').expect("end")]
            .split(',')
            .map(|n| n.trim().trim_end_matches("px").parse().expect("number"))
            .collect();
        let class = &dot[dot.find("class=\"dot ").expect("class") + 11..];
        let class = &class[..class.find('"').expect("class")];
        assert!(legend.contains(&format!("key {class}")), "{class} is not in the legend");
        let (x, y) = (numbers[0], numbers[1]);
        // Inside the clients, cache or backend box (a shape reaches 5 units from its centre), above
        // the backend's gauges, or on the way back from the cache between the first two boxes.
        let inside =
            |x0: f64, x1: f64, y0: f64, y1: f64| x - 5.0 >= x0 && x + 5.0 <= x1 && y - 5.0 >= y0 && y + 5.0 <= y1;
        assert!(
            inside(10.0, 150.0, 20.0, 200.0)
                || inside(250.0, 390.0, 20.0, 150.0)
                || inside(470.0, 630.0, 45.0, 118.0)
                || inside(150.0, 250.0, 152.0, 200.0),
            "a {class} dot at ({x}, {y})"
        );
        seen += 1;
    }
    assert_eq!(seen, 400);
}

#[test]
fn a_line_that_ends_coming_from_the_right_is_labelled_on_its_left() {
    // A way down ends at its lowest load; a trail's head may step left as well.
    let series = vec![
        xy_series("way down", "", vec![(1800.0, 1500.0), (800.0, 200.0)], false),
        xy_series("trail", "", vec![(1500.0, 1000.0), (1400.0, 900.0)], true),
    ];
    let html = render::<XyChart>(loop_chart(series, None, false));
    let label = |name: &str| -> (f64, String) {
        let tag = html.split(&format!(">{name}</text>")).next().expect("label").rsplit("<text").next().unwrap();
        let attr = |a: &str| tag.split(&format!("{a}=\"")).nth(1).unwrap().split('"').next().unwrap().to_string();
        (attr("x").parse().unwrap(), attr("text-anchor"))
    };
    // The way down's label ends 8 px before its last point, which is dotted.
    let (x, anchor) = label("way down");
    assert_eq!(anchor, "end", "{html}");
    let dots: Vec<f64> = html
        .split("<circle cx=\"")
        .skip(1)
        .filter(|rest| rest.split('>').next().unwrap().contains("class=\"point\""))
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(dots.iter().any(|cx| (cx - 8.0 - x).abs() < 0.15), "{x} against {dots:?}: {html}");
    // The trail's stays right of its head, wherever the head last moved.
    assert_eq!(label("trail").1, "start", "{html}");
}

/// The charts of `sim` that `only` names, of `tier` in a chain, from `from_s` to 60 s.
fn charts(sim: &Simulation, only: Chart, tier: Option<usize>, from_s: f64) -> String {
    render::<Charts>(ChartsProps {
        windows: Rc::new(sim.windows().filter(|w| w.end_s >= from_s).cloned().collect()),
        from_s,
        to_s: 60.0,
        marks: Rc::new(Vec::new()),
        timeout: timeout(sim),
        compact: false,
        only: Some(Rc::new(vec![only])),
        peer: None,
        tier,
        children: Default::default(),
        last: Default::default(),
        tall: false,
    })
}

/// The points of the timeout's line in the latency chart of `sim`.
fn timeout_line(sim: &Simulation) -> Vec<(f64, f64)> {
    let html = charts(sim, Chart::Latency, None, 0.0);
    let path = html.split("<path").find(|p| p.contains("c-timeout")).expect("a timeout line");
    let d = path.split("d=\"").nth(1).and_then(|d| d.split('"').next()).expect("path data");
    let point = |p: &str| p.trim().split_once(',').and_then(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)));
    d.split(['M', 'L']).filter_map(point).collect()
}

#[test]
fn the_timeout_is_drawn_as_it_was_at_each_time() {
    let mut sim = Simulation::new(Scenario::default()).expect("valid");
    sim.run_until(60_000_000_000);
    assert_eq!(*timeout(&sim), [(0.0, Some(1000.0)), (60.0, Some(1000.0))], "never changed");
    let steady = timeout_line(&sim);
    assert_eq!(steady.len(), 2, "one level across the chart: {steady:?}");
    let ((left, high), (right, _)) = (steady[0], steady[1]);

    let mut sim = Simulation::new(Scenario::default()).expect("valid");
    sim.run_until(30_000_000_000);
    sim.set("clients.timeout_s", "0.5").expect("a valid timeout");
    sim.set("clients.load_rps", "300").expect("a valid load");
    sim.run_until(60_000_000_000);
    let steps = [(0.0, Some(1000.0)), (30.0, Some(1000.0)), (30.0, Some(500.0)), (60.0, Some(500.0))];
    assert_eq!(*timeout(&sim), steps, "a change of another field is no step");
    // 1000 ms up to 30 s of the 0–60 s axis (halfway along the plot, to within a pixel), then 500.
    let line = timeout_line(&sim);
    assert_eq!(line.len(), 4, "{line:?}");
    let middle = (left + right) / 2.0;
    assert!(line[0] == (left, high) && (line[1].0 - middle).abs() < 1.0 && line[1].1 == high, "{line:?}");
    assert!(line[2].0 == line[1].0 && line[2].1 > high && line[3].0 == right, "{line:?}");

    // A timeout of 30 s from 5 s to 10 s, out of view from 40 s on: the line starts at the value
    // in force then, and the axis is scaled for what is in view (ticks 0, 1000 and 2000 ms).
    let mut sim = Simulation::new(Scenario::default()).expect("valid");
    for (at_s, value) in [(5, "30"), (10, "1")] {
        sim.run_until(at_s * 1_000_000_000);
        sim.set("clients.timeout_s", value).expect("a valid timeout");
    }
    sim.run_until(60_000_000_000);
    let html = charts(&sim, Chart::Latency, None, 40.0);
    let path = html.split("<path").find(|p| p.contains("c-timeout")).expect("a timeout line");
    let d = path.split("d=\"").nth(1).and_then(|d| d.split('"').next()).expect("path data");
    assert_eq!(d.matches(['M', 'L']).count(), 2, "one level in view: {d}");
    assert!(html.contains(">2000<") && !html.contains("k<"), "{html}");
}

#[test]
fn a_chains_throughput_chart_says_whose_backend_it_shows() {
    let title = |name: &str, tier| {
        let scenario = metastable_playground::sim::presets::find(name).map(|p| (p.scenario)()).expect("preset");
        let mut sim = Simulation::new(scenario).expect("valid");
        sim.run_until(5_000_000_000);
        let html = charts(&sim, Chart::Throughput, tier, 0.0);
        html.split("aria-label=\"Save ").nth(1).and_then(|t| t.split(" as SVG").next()).map(String::from)
    };
    // Every tier at once: the backend and wasted lines are the first tier's, and the title says so.
    assert_eq!(title("layered-retries", None).as_deref(), Some("Throughput, backend of tier 1"));
    assert_eq!(title("layered-retries", Some(2)).as_deref(), Some("Tier throughput"));
    assert_eq!(title("retry-storm", None).as_deref(), Some("Throughput"));
}

#[test]
fn what_is_scheduled_next_counts_down_in_whole_seconds_rounded_up_to_now() {
    use metastable_playground::ui::time_left;
    assert_eq!(time_left(11.0), "in 11 s");
    assert_eq!(time_left(10.2), "in 11 s");
    assert_eq!(time_left(0.4), "in 1 s");
    assert_eq!(time_left(0.0), "now");
    assert_eq!(time_left(-0.3), "now");
    let html = chart(
        vec![line("offered", "", vec![(10.0, Some(700.0))])],
        vec![Mark::Upcoming { in_s: 0.3, label: "cache flush".into() }],
    );
    assert!(html.contains(">cache flush in 1 s<") && !html.contains("in 0 s"), "{html}");
}

#[test]
fn mark_labels_leave_room_for_what_is_scheduled_next_and_stay_in_the_plot() {
    // A trigger near the right edge, where the next scheduled item is written in the top row.
    let html = chart(
        vec![line("offered", "", vec![(10.0, Some(700.0))])],
        vec![
            Mark::Span { start_s: 80.0, end_s: 90.0, label: "load spike ×2".into() },
            Mark::Upcoming { in_s: 11.0, label: "Load → 300 req/s".into() },
            Mark::Change { t_s: 99.0, label: "Timeout → 2 s".into() },
        ],
    );
    // The y of the text element that holds `text` (not of a tooltip's title).
    let y_of = |text: &str| {
        let before = html.split(&format!("\">{text}</text>")).next().expect("the label");
        before.rsplit("y=\"").next().and_then(|y| y.split('"').next()).and_then(|y| y.parse::<f64>().ok())
    };
    let (label, next) = (y_of("load spike ×2"), y_of("Load → 300 req/s in 11 s"));
    assert!(label.is_some() && next.is_some(), "{html}");
    assert_ne!(label, next, "{html}");
    // A change at the right edge: its label ends at the plot's edge, so it starts left of its line.
    let attr = |element: &str, name: &str| {
        let at = html.split(element).nth(1).expect("the element");
        at.split(&format!("{name}=\"")).nth(1).and_then(|v| v.split('"').next()).and_then(|v| v.parse::<f64>().ok())
    };
    let line_x = attr("<g class=\"mark change\"><line", "x1").expect("the change's line");
    let label_x = attr("<g class=\"mark change\"><text", "x").expect("the change's label");
    assert!(label_x < line_x, "{label_x} {line_x}");
    // One wider than the plot is left out rather than written over the axis.
    let long = "backend slowdown ×5 at tier 3, then a cache flush and a load spike ×3 at tier 1";
    let html = chart(
        vec![line("offered", "", vec![(10.0, Some(700.0))])],
        vec![
            Mark::Upcoming { in_s: 4.0, label: long.into() },
            Mark::Upcoming { in_s: 9.0, label: "cache flush".into() },
        ],
    );
    assert!(!html.contains(long) && html.contains(">cache flush in 9 s<"), "{html}");
    // A mark's label wider than the plot is left to its tooltip.
    let html = chart(
        vec![line("offered", "", vec![(10.0, Some(700.0))])],
        vec![Mark::Change { t_s: 50.0, label: long.into() }],
    );
    assert!(
        html.contains(&format!("<title>{long}</title>")) && !html.contains("<g class=\"mark change\"><text"),
        "{html}"
    );
}
