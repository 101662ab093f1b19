//! The share bar: copy a link to this scenario, make an embed snippet, export the windows and the
//! scenario, import a scenario.

use super::browser;
use super::icons::{DOWNLOAD, icon};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the share bar asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareAction {
    CopyLink,
    Embed,
    ExportCsv,
    ExportJson,
    /// The text of a chosen scenario file, or why it could not be read.
    Import(Result<String, String>),
}

pub struct ShareProps {
    pub on_action: Callback<ShareAction>,
    /// A short confirmation, e.g. "Link copied".
    pub status: Option<String>,
}

pub fn share_bar(props: ShareProps) -> Html {
    let send = |action: ShareAction| {
        let on_action = props.on_action.clone();
        move |_: MouseEvent| on_action.emit(action.clone())
    };
    let on_file = {
        let on_action = props.on_action.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            browser::read_chosen_file(&input, on_action.reform(ShareAction::Import));
        }
    };
    html! {
        <section class="share" aria-label="Share and export">
            <button type="button" id="copy-link" onclick={send(ShareAction::CopyLink)}>
                { icon("M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1") }
                <span>{ "Copy link" }</span>
            </button>
            <button type="button" id="embed" onclick={send(ShareAction::Embed)}>
                { icon("M8 7l-5 5 5 5M16 7l5 5-5 5") }<span>{ "Embed" }</span>
            </button>
            <button type="button" id="export-csv" onclick={send(ShareAction::ExportCsv)}>
                { icon(DOWNLOAD) }<span>{ "Metrics CSV" }</span>
            </button>
            <button type="button" id="export-json" onclick={send(ShareAction::ExportJson)}>
                { icon(DOWNLOAD) }<span>{ "Scenario JSON" }</span>
            </button>
            <label class="import" for="import-json">
                { icon("M12 15V4M7 9l5-5 5 5M5 20h14") }<span>{ "Import JSON" }</span>
            </label>
            <input type="file" id="import-json" class="visually-hidden" accept=".json,application/json" onchange={on_file} />
            <span class="status" role="status">{ props.status.clone().unwrap_or_default() }</span>
        </section>
    }
}
