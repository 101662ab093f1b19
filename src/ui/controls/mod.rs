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
    /// Shows only these controls (dotted paths), in this order, in one group.
    #[prop_or_default]
    pub only: Option<Rc<Vec<String>>>,
}

/// The control for the field at `path`, if it has one.
pub fn find(path: &str) -> Option<&'static Control> {
    GROUPS.iter().flat_map(|g| g.controls.iter()).find(|c| path_of(c) == path)
}

fn path_of(control: &Control) -> &'static str {
    match control {
        Control::Slider(s) => s.path,
        Control::Choice(c) => c.path,
        Control::Switch(s) => s.path,
    }
}

#[component]
pub fn ControlPanel(props: &PanelProps) -> Html {
    if let Some(only) = &props.only {
        let controls = only.iter().filter_map(|path| find(path));
        return html! {
            <section class="controls" aria-label="Controls">
                <fieldset class="group">
                    <legend>{ "Settings" }</legend>
                    { for controls.map(|c| render(c, &props.scenario, &props.notes, &props.on_change)) }
                </fieldset>
            </section>
        };
    }
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

fn render(
    control: &Control,
    scenario: &Value,
    notes: &[(&'static str, String)],
    on_change: &Callback<(String, String)>,
) -> Html {
    let on_change = on_change.clone();
    let note = |path: &str| notes.iter().find(|(p, _)| *p == path).map(|(_, n)| n.clone());
    match control {
        Control::Slider(s) => {
            let value = lookup(scenario, s.path).and_then(Value::as_f64);
            html! { <SliderInput spec={*s} {value} note={note(s.path)} {on_change} /> }
        }
        Control::Choice(c) => {
            let value = lookup(scenario, c.path).and_then(Value::as_str).unwrap_or_default().to_string();
            html! { <ChoiceInput spec={*c} {value} {on_change} /> }
        }
        Control::Switch(s) => {
            let value = lookup(scenario, s.path).and_then(Value::as_bool).unwrap_or(false);
            html! { <SwitchInput spec={*s} {value} {on_change} /> }
        }
    }
}

#[component]
fn ControlGroup(props: &GroupProps) -> Html {
    let render = |control: &Control| render(control, &props.scenario, &props.notes, &props.on_change);
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
