//! The chain of tiers: how many there are (added and removed here, up to four), which tier's
//! settings the controls show, and each tier's first-attempt utilisation from the engine's
//! demand formula.

use crate::sim::health::demand::{scenario_warm_hit_rate, tier_demands};
use crate::sim::scenario::{LoopMode, MAX_TIERS, Scenario};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChainProps {
    pub scenario: Rc<Scenario>,
    /// The tier whose settings the controls show (0 for the first).
    pub shown: usize,
    /// A new number of tiers.
    pub on_count: Callback<usize>,
    /// Show a tier's settings.
    pub on_show: Callback<usize>,
}

#[component]
pub fn Chain(props: &ChainProps) -> Html {
    let s = &props.scenario;
    let count = s.tier_count();
    let demands = (s.clients.mode == LoopMode::Open).then(|| tier_demands(s, scenario_warm_hit_rate(s)));
    html! {
        <section class="chain" aria-label="Tiers">
            <h2>{ "Tiers" }</h2>
            <div class="segmented" role="group" aria-label="Number of tiers (changing it restarts the run)">
                { for (1..=MAX_TIERS).map(|n| {
                    let on_count = props.on_count.clone();
                    html! {
                        <button type="button" id={format!("tiers-{n}")} aria-pressed={(n == count).to_string()}
                            onclick={move |_| on_count.emit(n)}>{ n }</button>
                    }
                }) }
            </div>
            if count > 1 {
                <div class="tier-tabs" role="group" aria-label="Show the settings of">
                    { for (0..count).map(|i| {
                        let on_show = props.on_show.clone();
                        let load = demands.as_ref().and_then(|d| d.get(i)).map(|d| format!("{:.0} % busy at first attempts", d.utilization * 100.0));
                        html! {
                            <button type="button" id={format!("show-tier-{}", i + 1)} aria-pressed={(i == props.shown).to_string()}
                                onclick={move |_| on_show.emit(i)}>
                                <span class="tier-name">{ format!("{} · {}", i + 1, s.tier_name(i)) }</span>
                                if let Some(load) = load {
                                    <span class="tier-load">{ load }</span>
                                }
                            </button>
                        }
                    }) }
                </div>
            }
        </section>
    }
}
