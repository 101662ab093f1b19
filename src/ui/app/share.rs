//! Copying links, exporting windows and scenarios, importing a scenario, and the messages that
//! report on them.

use super::{App, Msg};
use crate::link;
use crate::sim::metrics::export;
use crate::sim::presets;
use crate::sim::scenario;
use crate::ui::browser;
use crate::ui::share::ShareAction;
use yew::prelude::*;

/// Link notices listed before the rest are folded under a count.
const NOTICES_SHOWN: usize = 5;

impl App {
    /// A name for this scenario: its preset's title, or "custom scenario".
    pub(super) fn title(&self) -> String {
        presets::find(&self.preset).map_or("custom scenario".to_string(), |p| p.title.to_string())
    }

    /// The start of export file names, e.g. `retry-storm-seed-1`.
    fn file_stem(&self) -> String {
        let name = if self.preset.is_empty() { "custom" } else { &self.preset };
        format!("{name}-seed-{}", self.playback.sim().scenario().seed)
    }

    pub(super) fn share(&mut self, ctx: &Context<Self>, action: ShareAction) {
        self.share_status = None;
        match action {
            ShareAction::CopyLink => {
                let fragment = link::encode(&self.link());
                browser::replace_fragment(&fragment);
                let url = browser::page_url(&fragment);
                browser::copy(url, ctx.link().callback(Msg::LinkCopied));
            }
            ShareAction::Embed => self.embed_dialog = true,
            ShareAction::ExportCsv => {
                let run = self.playback.run();
                let mut text = export::csv_header(run.sim().scenario());
                text.push('\n');
                for (w, verdict) in run.judged_windows() {
                    text.push_str(&export::csv_line(w, verdict));
                    text.push('\n');
                }
                browser::download_text(&format!("{}-windows.csv", self.file_stem()), "text/csv", &text);
                self.share_status = Some(format!("Saved {} windows", run.judged_windows().count()));
            }
            ShareAction::ExportJson => match serde_json::to_string_pretty(&self.start()) {
                Ok(text) => browser::download_text(&format!("{}.json", self.file_stem()), "application/json", &text),
                Err(e) => self.error = Some(format!("export: {e}")),
            },
            ShareAction::Import(Err(message)) => self.error = Some(format!("import: {message}")),
            ShareAction::Import(Ok(text)) => match scenario::from_json(&text) {
                Ok(scenario) => {
                    self.preset.clear();
                    // An earlier import's error goes with the restart.
                    self.restart(scenario);
                    self.share_status = Some("Scenario imported".to_string());
                }
                Err(message) => self.error = Some(format!("import: {message}")),
            },
        }
    }

    /// The error and link-notice banners (at most [`NOTICES_SHOWN`] notices, then a count of the
    /// rest, so a long list never fills the first screen).
    pub(super) fn messages(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <>
                if let Some(error) = &self.error {
                    <div class="error" role="alert">
                        <span>{ error.clone() }</span>
                        <button type="button" onclick={link.callback(|_| Msg::DismissError)}>{ "Dismiss" }</button>
                    </div>
                }
                if !self.notices.is_empty() {
                    <div class="error notices" role="alert">
                        <div>
                            <strong>{ "Parts of this link could not be used; everything else was applied." }</strong>
                            <ul>
                                { for self.notices.iter().take(NOTICES_SHOWN).map(|n| html! { <li>{ n.clone() }</li> }) }
                                if self.notices.len() > NOTICES_SHOWN {
                                    <li class="notices-more">
                                        <details>
                                            <summary>{ format!("and {} more", self.notices.len() - NOTICES_SHOWN) }</summary>
                                            <ul>{ for self.notices.iter().skip(NOTICES_SHOWN).map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                                        </details>
                                    </li>
                                }
                            </ul>
                        </div>
                        <button type="button" onclick={link.callback(|_| Msg::DismissNotices)}>{ "Dismiss" }</button>
                    </div>
                }
            </>
        }
    }
}
