//! The Embed dialog: choose what an embedded copy shows and copy the iframe snippet, plus the
//! optional script that lets the host page fit the frame to its content.

use super::browser;
use crate::link::names::short_names;
use crate::link::{Embed, Link, Theme, encode};
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
    let controls = use_state(|| "load,retries,hit".to_string());
    let autoplay = use_state(|| false);
    let theme = use_state(|| Theme::Auto);
    let copied = use_state(|| None::<&'static str>);
    let chosen: Vec<String> =
        controls.split(',').map(str::trim).filter(|c| super::controls::find(c).is_some()).map(str::to_string).collect();
    let embed = Embed { controls: chosen, autoplay: *autoplay, theme: *theme };
    let link = Link { embed: Some(embed), ..props.link.clone() };
    let code = snippet(&browser::page_url(&encode(&link)), &format!("Metastable Playground: {}", props.title));
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
            <label class="field">{ "Controls shown (comma-separated)" }
                <input id="embed-controls" type="text" value={(*controls).clone()} oninput={on_controls} />
            </label>
            <p class="hint">{ format!("Short names: {}; any other setting by its dotted path, e.g. retry.base_ms.", names.join(", ")) }</p>
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
