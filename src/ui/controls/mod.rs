//! The control panel: groups of labelled sliders, choices and switches built from [`spec`].

mod inputs;
pub mod spec;

use crate::sim::scenario::path::lookup;
use inputs::{ChoiceInput, SliderInput, SwitchInput};
use serde_json::Value;
use spec::{Control, GROUPS, Group};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The scenario in force, as JSON.
    pub scenario: Rc<Value>,
    /// Extra text shown under a control, by path (e.g. the cache capacity).
    pub notes: Rc<Vec<(&'static str, String)>>,
    /// (path, value) of a change.
    pub on_change: Callback<(String, String)>,
}

#[component]
pub fn ControlPanel(props: &PanelProps) -> Html {
    html! {
        <section class="controls" aria-label="Controls">
            { for GROUPS.iter().map(|g| html! { <ControlGroup group={*g} scenario={props.scenario.clone()}
                notes={props.notes.clone()} on_change={props.on_change.clone()} /> }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct GroupProps {
    group: Group,
    scenario: Rc<Value>,
    notes: Rc<Vec<(&'static str, String)>>,
    on_change: Callback<(String, String)>,
}

#[component]
fn ControlGroup(props: &GroupProps) -> Html {
    let render = |control: &Control| -> Html {
        let on_change = props.on_change.clone();
        let note = |path: &str| props.notes.iter().find(|(p, _)| *p == path).map(|(_, n)| n.clone());
        match control {
            Control::Slider(s) => {
                let value = lookup(&props.scenario, s.path).and_then(Value::as_f64);
                html! { <SliderInput spec={*s} {value} note={note(s.path)} {on_change} /> }
            }
            Control::Choice(c) => {
                let value = lookup(&props.scenario, c.path).and_then(Value::as_str).unwrap_or_default().to_string();
                html! { <ChoiceInput spec={*c} {value} {on_change} /> }
            }
            Control::Switch(s) => {
                let value = lookup(&props.scenario, s.path).and_then(Value::as_bool).unwrap_or(false);
                html! { <SwitchInput spec={*s} {value} {on_change} /> }
            }
        }
    };
    let is_advanced = |c: &&Control| match c {
        Control::Slider(s) => s.advanced,
        Control::Choice(c) => c.advanced,
        Control::Switch(s) => s.advanced,
    };
    let basic: Html = props.group.controls.iter().filter(|c| !is_advanced(c)).map(render).collect();
    let extra: Vec<Html> = props.group.controls.iter().filter(is_advanced).map(render).collect();
    html! {
        <fieldset class="group">
            <legend>{ props.group.title }</legend>
            { basic }
            if !extra.is_empty() {
                <details class="advanced">
                    <summary>{ "Advanced" }</summary>
                    { for extra }
                </details>
            }
        </fieldset>
    }
}
