//! Play, pause, single step, reset, speed, seed and the presets menu.

use super::icons::{RESET, icon, play_pause};
use crate::playback::SPEEDS;
use crate::sim::presets;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the transport bar asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    TogglePlay,
    Step,
    Reset,
    Speed(f64),
    Seed(String),
    Preset(String),
    /// Back to the chosen preset as defined.
    Restore,
}

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    pub playing: bool,
    pub speed: f64,
    pub effective_speed: f64,
    pub behind: bool,
    pub seed: u64,
    pub now_s: f64,
    /// Paused with the engine at the play head (a step has arrived).
    pub at_rest: bool,
    pub preset: String,
    /// The scenario differs from its preset's definition.
    #[prop_or_default]
    pub modified: bool,
    /// The run is being advanced to this time (a link's `t=`), in seconds.
    #[prop_or_default]
    pub catching_up: Option<f64>,
    pub on_command: Callback<Command>,
}

/// While a run is advanced to a link's start time: where it is going.
pub fn catching_up(to_s: Option<f64>) -> Html {
    to_s.map_or_else(Html::default, |to_s| {
        html! { <span class="behind catching-up" role="status">{ format!("running ahead to t = {to_s:.0} s…") }</span> }
    })
}

#[component]
pub fn Transport(props: &TransportProps) -> Html {
    let send = |command: Command| {
        let on_command = props.on_command.clone();
        move |_| on_command.emit(command.clone())
    };
    let on_speed = {
        let on_command = props.on_command.clone();
        move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(speed) = select.value().parse() {
                on_command.emit(Command::Speed(speed));
            }
        }
    };
    // The text being typed is kept here, so re-renders of the running app never clobber it.
    let seed_text = use_state(|| props.seed.to_string());
    {
        let seed_text = seed_text.clone();
        use_effect_with(props.seed, move |seed| seed_text.set(seed.to_string()));
    }
    let on_seed_input = {
        let seed_text = seed_text.clone();
        move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            seed_text.set(input.value());
        }
    };
    let on_seed = {
        let on_command = props.on_command.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_command.emit(Command::Seed(input.value()));
        }
    };
    let on_preset = {
        let on_command = props.on_command.clone();
        move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_command.emit(Command::Preset(select.value()));
        }
    };
    let (play_label, play_icon) = play_pause(props.playing);
    let description = presets::find(&props.preset).map(|p| p.description).unwrap_or_default();
    html! {
        <section class="transport" aria-label="Playback">
            <div class="buttons">
                <button type="button" id="play" onclick={send(Command::TogglePlay)} aria-label={play_label}>
                    { icon(play_icon) }<span>{ play_label }</span>
                </button>
                <button type="button" id="step" onclick={send(Command::Step)} aria-label="Step one window">
                    { icon("M6 4l10 8-10 8zM17 4h2v16h-2z") }<span>{ "Step" }</span>
                </button>
                <button type="button" id="reset" onclick={send(Command::Reset)} aria-label="Reset">
                    { icon(RESET) }<span>{ "Reset" }</span>
                </button>
                <label class="speed">{ "Speed " }
                    <select id="speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ format!("{s}×") }</option>
                        }) }
                    </select>
                </label>
                <label class="seed">{ "Seed " }
                    <input id="seed" type="text" inputmode="numeric" size="12" value={(*seed_text).clone()}
                        oninput={on_seed_input} onchange={on_seed} />
                </label>
                <span class="clock" aria-live="off" data-t={props.now_s.to_string()} data-at-rest={props.at_rest.to_string()}>
                    { format!("t = {:.1} s", (props.now_s * 10.0).floor() / 10.0) }
                </span>
                { catching_up(props.catching_up) }
                if props.behind {
                    <span class="behind" role="status">
                        { format!("engine running at {:.1}× (cannot keep up with {}×)", props.effective_speed, props.speed) }
                    </span>
                }
            </div>
            <div class="presets">
                <label for="preset">{ "Preset" }</label>
                <select id="preset" onchange={on_preset}>
                    if props.preset.is_empty() {
                        <option value="" selected=true disabled=true>{ "Custom scenario" }</option>
                    }
                    { for presets::all().iter().map(|p| html! {
                        <option value={p.name} selected={p.name == props.preset}>{ p.title }</option>
                    }) }
                </select>
                if props.modified {
                    <span class="modified">{ "modified" }</span>
                    <button type="button" id="restore" class="small" onclick={send(Command::Restore)}
                        title="Start the preset again as it is defined">{ "Restore" }</button>
                }
                <p class="description">{ description }</p>
            </div>
        </section>
    }
}
