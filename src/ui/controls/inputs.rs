//! Native labelled inputs: a range slider with its value, a select, a checkbox.

use super::spec::{Field, display};
use crate::sim::scenario::fields::Kind;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn id_for(path: &str) -> String {
    format!("ctl-{}", path.replace('.', "-"))
}

#[derive(Properties, PartialEq)]
pub struct SliderProps {
    pub field: &'static Field,
    pub label: AttrValue,
    /// `None` for a field that is unset (e.g. no timeout).
    pub value: Option<f64>,
    pub note: Option<String>,
    pub on_change: Callback<(String, String, bool)>,
    /// The slider's end, where not the field's own (a lesson's, sized to its goal).
    #[prop_or_default]
    pub max: Option<f64>,
}

#[component]
pub fn SliderInput(props: &SliderProps) -> Html {
    let s = props.field;
    let control = s.control.unwrap_or_default();
    let max = props.max.unwrap_or(control.max);
    let id = id_for(s.path);
    let shown = props.value.map_or("none".to_string(), |v| display(v, s.unit));
    let oninput = {
        let on_change = props.on_change.clone();
        move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_change.emit((s.path.to_string(), input.value(), false));
        }
    };
    // Letting go of the slider (or a key press's end) is the change's release.
    let onchange = {
        let on_change = props.on_change.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_change.emit((s.path.to_string(), input.value(), true));
        }
    };
    // After a drag the keys are the page's again (→ steps a lesson, Space plays); a slider moved
    // with the keys keeps its focus.
    let release_pointer_focus = |e: PointerEvent| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            let _ = input.blur();
        }
    };
    html! {
        <div class="control slider">
            <label for={id.clone()}>{ props.label.clone() }</label>
            <output for={id.clone()} class="value">{ shown.clone() }</output>
            <input type="range" id={id} min={control.min.to_string()} max={max.to_string()} step={control.step.to_string()}
                value={props.value.unwrap_or(max).to_string()} aria-valuetext={shown} {oninput} {onchange}
                onpointerup={release_pointer_focus} />
            if let Some(note) = &props.note {
                <p class="note">{ note }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub field: &'static Field,
    pub label: AttrValue,
    pub value: String,
    pub on_change: Callback<(String, String, bool)>,
}

#[component]
pub fn ChoiceInput(props: &ChoiceProps) -> Html {
    let c = props.field;
    let options = match c.kind {
        Kind::Choice(options) => options,
        _ => &[],
    };
    let id = id_for(c.path);
    let onchange = {
        let on_change = props.on_change.clone();
        move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_change.emit((c.path.to_string(), select.value(), true));
        }
    };
    html! {
        <div class="control choice">
            <label for={id.clone()}>{ props.label.clone() }</label>
            <select id={id} {onchange}>
                { for options.iter().map(|(value, label)| html! {
                    <option value={*value} selected={props.value == *value}>{ *label }</option>
                }) }
            </select>
        </div>
    }
}

#[derive(PartialEq)]
pub struct SwitchProps {
    pub field: &'static Field,
    pub label: AttrValue,
    pub value: bool,
    pub on_change: Callback<(String, String, bool)>,
}

pub fn switch_input(props: SwitchProps) -> Html {
    let s = props.field;
    let id = id_for(s.path);
    let onchange = {
        let on_change = props.on_change.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_change.emit((s.path.to_string(), input.checked().to_string(), true));
        }
    };
    html! {
        <div class="control switch">
            <input type="checkbox" id={id.clone()} checked={props.value} {onchange} />
            <label for={id}>{ props.label.clone() }</label>
        </div>
    }
}
