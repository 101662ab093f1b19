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

/// A title drawn at (`x`, `y`) in a figure `width` wide, whose first line leaves `reserve` pixels
/// on its right (for buttons over the figure), at the 1.1 em bold titles are set in (about 0.73 em
/// a character): broken between words onto as many lines as it needs, so that a phone shows it
/// whole and at full size. Returns it and the height its lines after the first take.
pub fn title_text(
    class: &'static str,
    title: &str,
    (x, y): (f64, f64),
    width: f64,
    reserve: f64,
    em: f64,
) -> (Html, f64) {
    let mut lines: Vec<String> = Vec::new();
    for word in title.split(' ') {
        let most = ((width - if lines.len() < 2 { reserve } else { 0.0 }) / (0.73 * em)) as usize;
        match lines.last_mut() {
            Some(line) if line.chars().count() + word.chars().count() < most => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    let spans = lines.iter().enumerate().map(|(i, line)| {
        html! { <tspan x={dp1(x)} dy={if i == 0 { "0" } else { "1.2em" }}>{ line }</tspan> }
    });
    (html! { <text class={class} y={dp1(y)}>{ for spans }</text> }, (lines.len() - 1) as f64 * 1.32 * em)
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
