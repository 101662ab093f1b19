//! Trigger buttons: each fault with its magnitude and duration, fired now or at a chosen time.

use crate::sim::scenario::{MAX_TIME_S, magnitude_range};
use crate::sim::{Trigger, TriggerKind};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Default magnitude, its unit and input step, and default duration of each trigger.
fn defaults(kind: TriggerKind) -> (f64, &'static str, f64, f64) {
    match kind {
        TriggerKind::LoadSpike => (2.0, "×", 0.5, 10.0),
        TriggerKind::BackendSlowdown => (3.0, "×", 0.5, 10.0),
        TriggerKind::CapacityLoss => (0.5, "lost", 0.05, 10.0),
        TriggerKind::ErrorBurst => (0.5, "fail", 0.05, 5.0),
        TriggerKind::CacheFlush => (1.0, "", 1.0, 0.0),
        TriggerKind::CacheOutage => (1.0, "", 1.0, 5.0),
    }
}

#[derive(Properties, PartialEq)]
pub struct TriggersProps {
    /// A trigger, and the simulated time to fire it at (`None`: now).
    pub on_fire: Callback<(Trigger, Option<f64>)>,
    /// The chain's tier names, first first.
    pub tiers: Vec<String>,
}

#[component]
pub fn Triggers(props: &TriggersProps) -> Html {
    let at = use_state(String::new);
    let on_at = {
        let at = at.clone();
        move |e: InputEvent| at.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let when = at.trim().parse::<f64>().ok().filter(|t| t.is_finite());
    let target = use_state(|| 1_u32);
    let tier = (*target).min(props.tiers.len() as u32).max(1);
    let on_tier = {
        let target = target.clone();
        move |e: Event| target.set(e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(1))
    };
    html! {
        <section class="triggers" aria-label="Triggers">
            <h2>{ "Triggers" }</h2>
            <label class="when">{ "Fire at t = " }
                <input id="fire-at" type="number" min="0" step="1" placeholder="now" value={(*at).clone()} oninput={on_at}
                    aria-label="Fire at simulated time, in seconds (empty: now)" />
                { " s" }
            </label>
            if props.tiers.len() > 1 {
                <label class="when">{ "Strike " }
                    <select id="fire-tier" onchange={on_tier} aria-label="The tier a trigger strikes (a load spike strikes the clients)">
                        { for props.tiers.iter().enumerate().map(|(i, name)| html! {
                            <option value={(i + 1).to_string()} selected={i + 1 == tier as usize}>{ format!("tier {}: {name}", i + 1) }</option>
                        }) }
                    </select>
                </label>
            }
            { for TriggerKind::ALL.iter().map(|kind| html! { <TriggerButton kind={*kind} {when} {tier} on_fire={props.on_fire.clone()} /> }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ButtonProps {
    kind: TriggerKind,
    /// Fire at this simulated time rather than now.
    when: Option<f64>,
    /// The tier it strikes, from 1.
    tier: u32,
    on_fire: Callback<(Trigger, Option<f64>)>,
}

#[component]
fn TriggerButton(props: &ButtonProps) -> Html {
    let kind = props.kind;
    let (magnitude0, unit, step, duration0) = defaults(kind);
    // The range the engine accepts, so the field's own check agrees with the banner's message.
    let (low, high) = magnitude_range(kind);
    // The texts being typed, kept as typed so re-renders never clobber them.
    let magnitude = use_state(|| magnitude0.to_string());
    let duration = use_state(|| duration0.to_string());
    let slug = kind.label().replace(' ', "-");
    let parsed = |text: &str| text.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    let fire = {
        let (magnitude, duration, on_fire, when, tier) =
            (magnitude.clone(), duration.clone(), props.on_fire.clone(), props.when, props.tier);
        move |_| {
            // An unreadable number fires NaN, which the engine rejects with a message naming it.
            let magnitude = parsed(&magnitude).unwrap_or(f64::NAN);
            let duration_s = parsed(&duration).unwrap_or(f64::NAN);
            let tier = if kind == TriggerKind::LoadSpike { 1 } else { tier };
            on_fire.emit((Trigger { kind, magnitude, duration_s, tier }, when))
        }
    };
    let number = |state: UseStateHandle<String>| {
        move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            state.set(input.value());
        }
    };
    let (has_magnitude, has_duration) = (kind.has_magnitude(), kind.has_duration());
    html! {
        <div class="trigger">
            <button type="button" id={format!("fire-{slug}")} onclick={fire}>{ kind.label() }</button>
            if has_magnitude {
                <label>
                    <input type="number" min={low.to_string()} max={high.to_string()} step={step.to_string()}
                        value={(*magnitude).clone()} oninput={number(magnitude.clone())}
                        aria-invalid={parsed(&magnitude).is_none().to_string()}
                        aria-label={format!("{} magnitude", kind.label())} />
                    { unit }
                </label>
            }
            if !has_magnitude && !has_duration {
                <span class="what">{ "empties it at once" }</span>
            } else if !has_magnitude {
                <span class="what">{ "down for" }</span>
            }
            if has_duration {
                <label>
                    <input type="number" min="0" max={MAX_TIME_S.to_string()} step="0.5" value={(*duration).clone()}
                        oninput={number(duration.clone())} aria-invalid={parsed(&duration).is_none().to_string()}
                        aria-label={format!("{} duration in seconds", kind.label())} />
                    { "s" }
                </label>
            }
        </div>
    }
}
