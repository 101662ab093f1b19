//! The Embed dialog: choose what an embedded copy shows and copy the iframe snippet, plus the
//! optional script that lets the host page fit the frame to its content.

use super::browser;
use crate::link::names::short_names;
use crate::link::{Embed, Link, MAX_START_S, Theme, encode, start_time};
use crate::playback::SPEEDS;
use crate::sim::metrics::Chart;
use crate::sim::scenario::fields::number_text;
use crate::sim::scenario::{AdmissionKind, Scenario};
use web_sys::{HtmlDialogElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The parent-page script that sizes embeds to the height they report (also served as
/// `embed-resize.js`).
pub const RESIZE_SCRIPT: &str = include_str!("../../www/embed-resize.js");

#[derive(Properties, PartialEq)]
pub struct EmbedDialogProps {
    /// The scenario as it is now (no embed settings).
    pub link: Link,
    /// A name for the frame's title, e.g. the preset's title.
    pub title: String,
    pub on_close: Callback<()>,
}

/// The iframe snippet for `fragment`, served from `url`.
pub fn snippet(url: &str, title: &str) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<iframe src=\"{}\" title=\"{}\" loading=\"lazy\" data-metastable-playground\n  style=\"width: 100%; aspect-ratio: 3 / 4; border: 0;\"></iframe>",
        escape(url),
        escape(title)
    )
}

/// What the dialog's text fields say, read: the known controls and charts, the start time, and
/// what could not be used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Choice {
    pub controls: Vec<String>,
    pub unknown_controls: Vec<String>,
    pub charts: Vec<Chart>,
    pub unknown_charts: Vec<String>,
    pub start_s: Option<f64>,
    pub bad_start: bool,
}

impl Choice {
    /// Reads comma-separated controls and charts and a start time in seconds (empty for none).
    pub fn read(controls: &str, charts: &str, start: &str) -> Choice {
        let names: Vec<String> =
            controls.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect();
        let (controls, unknown_controls) = names.into_iter().partition(|c| super::controls::find(c).is_some());
        let (charts, unknown_charts) = Chart::read_list(charts);
        let start = if start.trim().is_empty() { Ok(None) } else { start_time(start) };
        Choice {
            controls,
            unknown_controls,
            charts,
            unknown_charts,
            bad_start: start.is_err(),
            start_s: start.unwrap_or(None),
        }
    }
}

/// The controls an embed of `s` offers at first: the load and the retries, the cache's hit rate
/// when it has a cache, and its retry admission when it has one.
pub fn first_controls(s: &Scenario) -> String {
    let mut controls = vec!["load", "retries"];
    // A cache that holds nothing (a hit rate of 0) is no cache to a reader.
    if s.cache_capacity() > 0 {
        controls.push("hit");
    }
    if s.retry.admission != AdmissionKind::None {
        controls.push("admission");
    }
    controls.join(",")
}

#[component]
pub fn EmbedDialog(props: &EmbedDialogProps) -> Html {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                let _ = d.show_modal();
            }
        });
    }
    let controls = use_state(|| first_controls(&props.link.scenario));
    let charts = use_state(|| "throughput,latency".to_string());
    let start = use_state(|| props.link.start_s.map(number_text).unwrap_or_default());
    let speed = use_state(|| props.link.speed.unwrap_or(1.0));
    let diagram = use_state(|| false);
    let autoplay = use_state(|| false);
    let theme = use_state(|| Theme::Auto);
    let copied = use_state(|| None::<&'static str>);
    let choice = Choice::read(&controls, &charts, &start);
    let embed = Embed {
        controls: choice.controls.clone(),
        autoplay: *autoplay,
        theme: *theme,
        charts: if choice.charts == Embed::DEFAULT_CHARTS { Vec::new() } else { choice.charts.clone() },
        diagram: *diagram,
    };
    let speed_given = Some(*speed).filter(|s| *s != 1.0);
    let link = Link { embed: Some(embed), speed: speed_given, start_s: choice.start_s, ..props.link.clone() };
    let url = browser::page_url(&encode(&link));
    let code = snippet(&url, &format!("Metastable Playground: {}", props.title));
    let script = format!("<script>\n{}</script>", RESIZE_SCRIPT);
    let copy = |text: String, what: &'static str| {
        let copied = copied.clone();
        move |_: MouseEvent| {
            let copied = copied.clone();
            let text = text.clone();
            browser::copy(
                text,
                Callback::from(move |ok| {
                    copied.set(Some(if ok { what } else { "Copy failed: select the text and copy it" }))
                }),
            );
        }
    };
    let on_controls = {
        let controls = controls.clone();
        move |e: InputEvent| controls.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let on_charts = {
        let charts = charts.clone();
        move |e: InputEvent| charts.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let on_start = {
        let start = start.clone();
        move |e: InputEvent| start.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let on_speed = {
        let speed = speed.clone();
        move |e: Event| speed.set(e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(1.0))
    };
    let on_diagram = {
        let diagram = diagram.clone();
        move |e: Event| diagram.set(e.target_unchecked_into::<HtmlInputElement>().checked())
    };
    let on_autoplay = {
        let autoplay = autoplay.clone();
        move |e: Event| autoplay.set(e.target_unchecked_into::<HtmlInputElement>().checked())
    };
    let on_theme = {
        let theme = theme.clone();
        move |e: Event| {
            theme.set(Theme::from_name(&e.target_unchecked_into::<HtmlSelectElement>().value()).unwrap_or_default())
        }
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let on_cancel = props.on_close.reform(|_: Event| ());
    let names: Vec<&str> = short_names().collect();
    html! {
        <dialog ref={dialog} class="embed-dialog" aria-labelledby="embed-title" onclose={on_cancel}>
            <h2 id="embed-title">{ "Embed this scenario" }</h2>
            <div class="embed-form">
            <label class="field">{ "Controls shown (comma-separated)" }
                <input id="embed-controls" type="text" value={(*controls).clone()} oninput={on_controls}
                    aria-invalid={(!choice.unknown_controls.is_empty()).to_string()} />
            </label>
            if choice.unknown_controls.is_empty() {
                <p class="hint">{ format!("Short names: {}; any other setting by its dotted path, e.g. retry.base_ms.", names.join(", ")) }</p>
            } else {
                <p class="hint invalid" id="embed-controls-error" role="alert">{ format!("Not a control: {}. Short names: {}; any other setting by its dotted path.",
                    choice.unknown_controls.join(", "), names.join(", ")) }</p>
            }
            <label class="field">{ "Charts shown (comma-separated)" }
                <input id="embed-charts" type="text" value={(*charts).clone()} oninput={on_charts}
                    aria-invalid={(!choice.unknown_charts.is_empty()).to_string()} />
            </label>
            <p class={classes!("hint", (!choice.unknown_charts.is_empty()).then_some("invalid"))} id="embed-charts-hint"
                role={(!choice.unknown_charts.is_empty()).then_some("alert")}>
                if !choice.unknown_charts.is_empty() { { format!("Not a chart: {}. ", choice.unknown_charts.join(", ")) } }
                { format!("Charts: {} (hit-rate: the utilisation chart, which also draws the hit rate).", Chart::names()) }
            </p>
            <div class="row">
                <label>{ "Start at " }
                    <input id="embed-start" type="text" inputmode="decimal" size="6" value={(*start).clone()} oninput={on_start}
                        aria-invalid={choice.bad_start.to_string()} />{ " s" }
                </label>
                <label>{ "Speed " }
                    <select id="embed-speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={number_text(*s)} selected={*s == *speed}>{ format!("{}×", number_text(*s)) }</option>
                        }) }
                    </select>
                </label>
                <label><input id="embed-diagram" type="checkbox" checked={*diagram} onchange={on_diagram} />{ " Diagram" }</label>
            </div>
            if choice.bad_start {
                <p class="hint invalid" role="alert">{ format!("Start at: give a number of seconds from 0 to {MAX_START_S}.") }</p>
            }
            <div class="row">
                <label><input id="embed-autoplay" type="checkbox" checked={*autoplay} onchange={on_autoplay} />{ " Start playing when shown" }</label>
                <label>{ "Theme " }
                    <select id="embed-theme" onchange={on_theme}>
                        { for Theme::ALL.map(|t| html! {
                            <option value={t.name()} selected={t == *theme}>{ t.name() }</option>
                        }) }
                    </select>
                </label>
            </div>
            </div>
            <figure class="embed-preview">
                <figcaption>{ "Preview" }</figcaption>
                <iframe src={url} title="Preview of the embed" id="embed-preview"></iframe>
            </figure>
            <label class="field">{ "Paste into your page" }
                <textarea id="embed-snippet" readonly=true rows="4" value={code.clone()} />
            </label>
            <button type="button" onclick={copy(code, "Snippet copied")}>{ "Copy snippet" }</button>
            <label class="field">{ "Optional: fit the frame to its content (add once per page)" }
                <textarea id="embed-script" readonly=true rows="6" value={script.clone()} />
            </label>
            <p class="hint">{ "Without the script the frame keeps a 3:4 shape. The embed posts only its height, as {type: \"metastable-playground:height\", height}." }</p>
            <div class="row end">
                <button type="button" onclick={copy(script, "Script copied")}>{ "Copy script" }</button>
                <span role="status">{ copied.unwrap_or_default() }</span>
                <button type="button" id="embed-close" onclick={close}>{ "Close" }</button>
            </div>
        </dialog>
    }
}
