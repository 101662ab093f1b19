//! Charts are drawn in CSS pixels: an SVG whose units are the pixels it fills, so its text is the
//! size the style sheet gives it at every width, in a column, an embed or on a projector.

use crate::ui::browser;
use yew::prelude::*;

/// A chart's width and text size, in CSS pixels.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Measure {
    pub width: f64,
    pub font: f64,
}

impl Default for Measure {
    /// What a chart is drawn at before it is measured (and when rendered on a server).
    fn default() -> Self {
        Measure { width: 520.0, font: 13.0 }
    }
}

/// A coordinate as a drawing writes it: to a tenth of a pixel. One function, not a format at
/// every attribute, keeps the page's code small.
#[inline(never)]
pub fn dp1(x: f64) -> String {
    format!("{x:.1}")
}

/// The width `text` takes in a chart's font of size `em`, estimated at 0.62 em a character, so that
/// labels can be kept apart before they are drawn.
pub fn text_width(text: &str, em: f64) -> f64 {
    0.62 * em * text.chars().count() as f64
}

/// The style of a title drawn in a figure `width` wide whose text is `em` tall: a title too long
/// for a narrow figure is set smaller (at about 0.66 em a character of bold text) so that it fits,
/// but never below 0.8 em, where a very long one on a phone stays legible with its end cut.
pub fn title_style(title: &str, width: f64, em: f64) -> Option<String> {
    let fits_px = (width / (0.66 * title.chars().count().max(1) as f64)).max(0.8 * em);
    (fits_px < 1.1 * em).then(|| format!("font-size: {fits_px:.1}px"))
}

/// The measure of the element `node` refers to, kept up to date as it resizes.
#[hook]
pub fn use_measure(node: NodeRef) -> Measure {
    let measure = use_state_eq(Measure::default);
    let set = measure.setter();
    use_effect_with(node, move |node| {
        let watch = node.cast::<web_sys::Element>().and_then(|element| {
            browser::watch_size(&element, Callback::from(move |(width, font)| set.set(Measure { width, font })))
        });
        move || drop(watch)
    });
    *measure
}
