//! Icons drawn as inline SVG paths (the page uses no icon font), shared by every bar of buttons.

use yew::prelude::*;

pub const PLAY: &str = "M7 4l13 8-13 8z";
pub const PAUSE: &str = "M7 5h4v14H7zM13 5h4v14h-4z";
pub const RESET: &str = "M4 12a8 8 0 1 0 2.3-5.7M4 4v5h5";
pub const DOWNLOAD: &str = "M12 4v11M7 10l5 5 5-5M5 20h14";

/// A 24 × 24 icon from one path, hidden from screen readers (its button carries the label).
pub fn icon(path: &'static str) -> Html {
    html! { <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d={path} /></svg> }
}

/// The label and icon of a play/pause button.
pub fn play_pause(playing: bool) -> (&'static str, &'static str) {
    if playing { ("Pause", PAUSE) } else { ("Play", PLAY) }
}
