//! The health banner: the judge's state and its one-line reason.

use crate::sim::HealthState;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BannerProps {
    pub state: HealthState,
    pub reason: String,
}

fn icon(state: HealthState) -> Html {
    let path = match state {
        HealthState::Checking => "M12 7v5l3 3M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18",
        HealthState::Healthy => "M5 12l4 4 10-10",
        HealthState::Recovering => "M4 16l6-6 4 4 6-8",
        HealthState::Triggered => "M13 3L5 14h6l-1 7 8-11h-6z",
        HealthState::Overloaded => "M12 4v10M12 18v2",
        HealthState::Metastable => "M4 12a8 8 0 1 0 3-6.2M4 4v5h5",
    };
    html! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d={path} /></svg>
    }
}

#[component]
pub fn Banner(props: &BannerProps) -> Html {
    let class = format!("banner state-{}", props.state.name());
    html! {
        <div class={class}>
            { icon(props.state) }
            // Only the state is announced: the reason's numbers change every window.
            <strong class="state" role="status" aria-live="polite">{ props.state.label() }</strong>
            <span class="reason">{ props.reason.clone() }</span>
        </div>
    }
}
