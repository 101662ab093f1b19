//! Saving a figure (a chart, the stability map) as an SVG or PNG file that looks as it does on screen.
//!
//! The page styles charts with CSS classes and variables, which a lone SVG file does not have, so
//! the copy saved carries each element's computed colours, strokes and fonts inline.

use crate::ui::browser;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlImageElement, Url};

/// Computed properties copied onto each element.
const PROPERTIES: [&str; 15] = [
    "fill",
    "fill-opacity",
    "stroke-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-linejoin",
    // A halo drawn under its text, not over it.
    "paint-order",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "color",
];
/// PNG pixels per SVG unit.
const PNG_SCALE: f64 = 2.0;
/// Room around the figure in a saved copy, in SVG units, so that its title is not at the edge.
const MARGIN: f64 = 12.0;

/// The chart as a standalone SVG document.
pub fn svg_text(svg: &Element) -> Option<String> {
    // What marks the pointer or the selection on screen (a map's shown cell) is not part of the
    // figure: the page's style drops it while the copy's styles are read.
    let _ = svg.class_list().add_1("exporting");
    let text = styled_copy(svg);
    let _ = svg.class_list().remove_1("exporting");
    text
}

fn styled_copy(svg: &Element) -> Option<String> {
    let window = web_sys::window()?;
    let copy = svg.clone_node_with_deep(true).ok()?.dyn_into::<Element>().ok()?;
    let originals = svg.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    let style_of = |element: &Element| -> String {
        let Ok(Some(computed)) = window.get_computed_style(element) else { return String::new() };
        PROPERTIES
            .iter()
            .filter_map(|p| computed.get_property_value(p).ok().filter(|v| !v.is_empty()).map(|v| format!("{p}:{v};")))
            .collect()
    };
    for i in 0..originals.length() {
        if let (Some(a), Some(b)) = (originals.item(i), copies.item(i))
            && let (Ok(a), Ok(b)) = (a.dyn_into::<Element>(), b.dyn_into::<Element>())
        {
            let _ = b.set_attribute("style", &style_of(&a));
        }
    }
    // The colour it is seen on: the first background that is not transparent, from the figure out.
    let background = std::iter::successors(Some(svg.clone()), |e| e.parent_element())
        .filter_map(|e| window.get_computed_style(&e).ok().flatten())
        .filter_map(|s| s.get_property_value("background-color").ok())
        .find(|c| !c.is_empty() && c != "transparent" && c != "rgba(0, 0, 0, 0)")
        .unwrap_or_else(|| "white".into());
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("style", &format!("background:{background};{}", style_of(svg)));
    let (x, y, w, h) = padded_view(svg);
    let _ = copy.set_attribute("viewBox", &format!("{x} {y} {w} {h}"));
    let _ = copy.set_attribute("width", &w.to_string());
    let _ = copy.set_attribute("height", &h.to_string());
    // A background rectangle, as PNG viewers ignore the CSS background.
    let document = window.document()?;
    let rect = document.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect").ok()?;
    // From the view box's corner, as wide and high as it.
    let (x, y) = (x.to_string(), y.to_string());
    for (name, value) in [("x", x.as_str()), ("y", &y), ("width", "100%"), ("height", "100%"), ("fill", &background)] {
        let _ = rect.set_attribute(name, value);
    }
    let _ = copy.insert_before(&rect, copy.first_child().as_ref());
    web_sys::XmlSerializer::new().ok()?.serialize_to_string(&copy).ok()
}

/// The figure's view box with [`MARGIN`] all round: (x, y, width, height).
fn padded_view(svg: &Element) -> (f64, f64, f64, f64) {
    let view_box = svg.get_attribute("viewBox").unwrap_or_default();
    let numbers: Vec<f64> = view_box.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    let (x, y, w, h) = match numbers[..] {
        [x, y, w, h] => (x, y, w, h),
        _ => (0.0, 0.0, 520.0, 200.0),
    };
    (x - MARGIN, y - MARGIN, w + 2.0 * MARGIN, h + 2.0 * MARGIN)
}

/// Saves the chart as `name`.svg.
pub fn save_svg(svg: &Element, name: &str) {
    if let Some(text) = svg_text(svg) {
        browser::download_text(&format!("{name}.svg"), "image/svg+xml", &text);
    }
}

/// Saves the chart as `name`.png, drawn at twice its SVG size.
pub fn save_png(svg: &Element, name: &str) {
    let Some(text) = svg_text(svg) else { return };
    let Some(blob) = browser::text_blob(&text, "image/svg+xml") else { return };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else { return };
    let Ok(image) = HtmlImageElement::new() else { return };
    let (_, _, w, h) = padded_view(svg);
    let name = format!("{name}.png");
    let loaded = image.clone();
    let source = url.clone();
    let on_load = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&source);
        let Some(canvas) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width((w * PNG_SCALE) as u32);
        canvas.set_height((h * PNG_SCALE) as u32);
        let Some(context) =
            canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ =
            context.draw_image_with_html_image_element_and_dw_and_dh(&loaded, 0.0, 0.0, w * PNG_SCALE, h * PNG_SCALE);
        let on_blob = Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
            if let Some(blob) = blob {
                browser::download_blob(&name, &blob);
            }
        });
        let _ = canvas.to_blob(on_blob.unchecked_ref());
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    image.set_src(&url);
}
