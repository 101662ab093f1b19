//! The timeline panel: Record (live changes and fired triggers become scheduled items), schedule a
//! change of a setting at a chosen time, and the items scheduled, past and to come.

use crate::sim::engine::Scheduled;
use crate::sim::scenario::ScheduledChange;
use crate::sim::scenario::fields;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// One scheduled item as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub at_s: f64,
    pub label: String,
    /// Still to come (and so removable).
    pub upcoming: Option<Scheduled>,
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub rows: Vec<Row>,
    pub now_s: f64,
    pub recording: bool,
    pub on_record: Callback<()>,
    pub on_schedule: Callback<ScheduledChange>,
    pub on_remove: Callback<Scheduled>,
    /// Tiers in the chain: their fields may be scheduled too.
    #[prop_or(1)]
    pub tiers: usize,
    /// Why the last Schedule was refused.
    #[prop_or_default]
    pub error: Option<String>,
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let field = use_state(|| "clients.load_rps".to_string());
    let value = use_state(String::new);
    let at = use_state(String::new);
    let text = |state: UseStateHandle<String>| {
        move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let on_field = {
        let field = field.clone();
        move |e: Event| field.set(e.target_unchecked_into::<HtmlSelectElement>().value())
    };
    let schedule = {
        let (field, value, at, on_schedule) = (field.clone(), value.clone(), at.clone(), props.on_schedule.clone());
        move |_| {
            // Unreadable text goes to the engine as it is, which refuses it naming the field.
            let at_s = at.trim().parse::<f64>().unwrap_or(f64::NAN);
            let to = serde_json::from_str(value.trim()).unwrap_or_else(|_| value.trim().to_string().into());
            on_schedule.emit(ScheduledChange { at_s, set: (*field).clone(), to });
        }
    };
    let record = props.on_record.reform(|_: MouseEvent| ());
    let rows = props.rows.iter().map(|row| {
        let state = match row.upcoming {
            Some(_) => crate::ui::time_left(row.at_s - props.now_s),
            None => "done".to_string(),
        };
        html! {
            <li class={if row.upcoming.is_some() { "upcoming" } else { "done" }}>
                <span class="at">{ format!("t = {} s", crate::sim::scenario::fields::format_number(row.at_s)) }</span>
                <span class="what">{ row.label.clone() }</span>
                <span class="state">{ state }</span>
                if let Some(item) = row.upcoming {
                    <button type="button" class="small" onclick={props.on_remove.reform(move |_: MouseEvent| item)}
                        aria-label={format!("Remove {} at t = {} s", row.label, row.at_s)}>{ "Remove" }</button>
                }
            </li>
        }
    });
    html! {
        <section class="timeline" aria-label="Timeline">
            <h2>{ "Timeline" }</h2>
            <button type="button" id="record" class={if props.recording { "record on" } else { "record" }}
                aria-pressed={props.recording.to_string()} onclick={record}>
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="6" /></svg>
                { if props.recording { "Recording" } else { "Record" } }
            </button>
            <p class="hint">{ if props.recording {
                "Slider moves (when you let go) and triggers are written into the timeline: Reset and links replay them."
            } else {
                "Record writes your slider moves and triggers into the timeline, so Reset and links replay them."
            } }</p>
            <div class="schedule">
                <label>{ "Set " }
                    <select id="schedule-field" onchange={on_field}>
                        { for fields::all().filter(|f| f.control.is_some() && f.tier.is_none_or(|t| t < props.tiers)).map(|f| html! {
                            <option value={f.path} selected={*field == f.path}>{ f.full_label() }</option>
                        }) }
                    </select>
                </label>
                <label>{ " to " }
                    <input id="schedule-value" type="text" size="8" value={(*value).clone()} oninput={text(value.clone())} />
                </label>
                <label>{ " at t = " }
                    <input id="schedule-at" type="number" min="0" step="1" value={(*at).clone()} oninput={text(at.clone())} />
                    { " s" }
                </label>
                <button type="button" id="schedule-add" onclick={schedule}>{ "Schedule" }</button>
            </div>
            if let Some(error) = &props.error {
                <p class="map-error" id="schedule-error" role="alert">{ error.clone() }</p>
            }
            if !props.rows.is_empty() {
                <ol class="items">{ for rows }</ol>
            }
        </section>
    }
}
