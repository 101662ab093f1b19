//! The control panel: groups of labelled sliders, choices and switches built from [`spec`].

mod drag;
mod inputs;
pub mod spec;

pub use drag::Drag;

use crate::sim::health::demand::{first_attempt_utilization, scenario_warm_hit_rate, tier_demands};
use crate::sim::scenario::Scenario;
use crate::sim::scenario::fields::{FieldValue, Kind};
use inputs::{ChoiceInput, SliderInput, SwitchProps, switch_input};
pub use spec::find;
use spec::{Field, Group, advanced, controls};
use std::rc::Rc;
use yew::prelude::*;

/// Notes under the controls, from the engine's own formulas: the first-attempt utilisation the
/// load implies with the warm hit rate the cache reaches, and with an empty cache; the cache's
/// capacity; the backend's capacity: its workers over how long a first attempt holds one, which in
/// a chain includes the wait on the tiers behind it.
pub fn notes(scenario: &Scenario) -> Rc<Vec<(&'static str, String)>> {
    let warm = scenario_warm_hit_rate(scenario);
    let percent = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{:.0} %", x * 100.0));
    let load = match first_attempt_utilization(scenario, warm) {
        Some(_) if scenario.cache.enabled && warm > 0.0 => format!(
            "implied backend utilisation {} ({} if the cache were empty)",
            percent(first_attempt_utilization(scenario, warm)),
            percent(first_attempt_utilization(scenario, 0.0))
        ),
        utilization => format!("implied backend utilisation {}", percent(utilization)),
    };
    Rc::new(vec![
        ("clients.load_rps", load),
        (
            "cache.target_hit_rate",
            format!("capacity {} keys; warm hit rate {}", scenario.cache_capacity(), percent(Some(warm))),
        ),
        (
            "backend.workers",
            format!(
                "capacity {:.0} req/s",
                tier_demands(scenario, warm).first().map_or(0.0, |d| f64::from(scenario.backend.workers) / d.hold_s)
            ),
        ),
    ])
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The scenario in force.
    pub scenario: Rc<Scenario>,
    /// Extra text shown under a control, by path (e.g. the cache capacity).
    pub notes: Rc<Vec<(&'static str, String)>>,
    /// (path, value, released) of a change: a slider reports every position while it moves, and
    /// `released` once let go; choices and switches are always released.
    pub on_change: Callback<(String, String, bool)>,
    /// Shows only these controls (dotted paths), in this order, in one group.
    #[prop_or_default]
    pub only: Option<Rc<Vec<String>>>,
    /// The end of those controls' sliders, where not their fields' own.
    #[prop_or_default]
    pub slider_max: Option<f64>,
    /// The tier whose settings the tier groups show (0 for the first).
    #[prop_or_default]
    pub tier: usize,
}

#[component]
pub fn ControlPanel(props: &PanelProps) -> Html {
    if let Some(only) = &props.only {
        let fields = only.iter().filter_map(|path| find(path));
        return html! {
            <section class="controls" aria-label="Controls">
                <fieldset class="group">
                    <legend>{ "Settings" }</legend>
                    { for fields.map(|f| render(f, tier_label(f, &props.scenario), &props.scenario, &props.notes, &props.on_change, props.slider_max)) }
                </fieldset>
            </section>
        };
    }
    html! {
        <section class="controls" aria-label="Controls">
            { for Group::ALL.iter().map(|g| html! { <ControlGroup group={*g} scenario={props.scenario.clone()}
                notes={props.notes.clone()} on_change={props.on_change.clone()} tier={props.tier} /> }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct GroupProps {
    group: Group,
    tier: usize,
    scenario: Rc<Scenario>,
    notes: Rc<Vec<(&'static str, String)>>,
    on_change: Callback<(String, String, bool)>,
}

/// A field's label among settings from anywhere in a chain: a tier's setting names its tier.
fn tier_label(field: &Field, scenario: &Scenario) -> AttrValue {
    match field.tier {
        Some(tier) if scenario.tier_count() > 1 => format!("{} ({})", field.label, scenario.tier_name(tier)).into(),
        _ => field.label.into(),
    }
}

fn render(
    field: &'static Field,
    label: AttrValue,
    scenario: &Scenario,
    notes: &[(&'static str, String)],
    on_change: &Callback<(String, String, bool)>,
    max: Option<f64>,
) -> Html {
    let on_change = on_change.clone();
    let note = notes.iter().find(|(p, _)| *p == field.path).map(|(_, n)| n.clone());
    match (field.kind, field.get(scenario)) {
        (Kind::Number { .. }, value) => {
            let value = value.number();
            html! { <SliderInput {field} {label} {value} {note} {on_change} {max} /> }
        }
        (Kind::Choice(_), value) => {
            let value = field.text(&value);
            html! { <ChoiceInput {field} {label} {value} {on_change} /> }
        }
        (Kind::Flag, value) => {
            let value = value == FieldValue::Flag(true);
            switch_input(SwitchProps { field, label, value, on_change })
        }
    }
}

#[component]
fn ControlGroup(props: &GroupProps) -> Html {
    let render = |field: &'static Field| {
        render(field, field.label.into(), &props.scenario, &props.notes, &props.on_change, None)
    };
    // Only what matters under the other settings: the chosen admission policy's parameters, say.
    let shown = || controls(props.group).filter_map(|f| f.at_tier(props.tier)).filter(|f| f.relevant(&props.scenario));
    let basic: Vec<Html> = shown().filter(|f| !advanced(f)).map(render).collect();
    let extra: Vec<Html> = shown().filter(|f| advanced(f)).map(render).collect();
    // A group with nothing but advanced settings says how many it holds, rather than look empty.
    let summary =
        if basic.is_empty() { crate::ui::count(extra.len(), "advanced setting") } else { "Advanced".to_string() };
    html! {
        <fieldset class="group">
            <legend>{ title(props.group, props.tier, &props.scenario) }</legend>
            { for basic }
            if !extra.is_empty() {
                <details class="advanced">
                    <summary>{ summary }</summary>
                    { for extra }
                </details>
            }
        </fieldset>
    }
}

/// A group's title; a tier group's names the tier when the chain has more than one.
fn title(group: Group, tier: usize, scenario: &Scenario) -> String {
    if scenario.tier_count() == 1 {
        return group.title().to_string();
    }
    let name = scenario.tier_name(tier);
    match group {
        Group::Retry => format!("Calls to {name}"),
        Group::Cache => format!("Cache in front of {name}"),
        Group::Backend => format!("Backend of {name}"),
        other => other.title().to_string(),
    }
}
