//! The few browser services the app uses: the URL fragment, the clipboard, downloads, reading a
//! chosen file, telling an embedding page our height, and noticing when we are out of sight.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, Url};
use yew::{Callback, NodeRef};

/// The message type an embed posts to its parent page, with its content height in CSS pixels.
pub const HEIGHT_MESSAGE: &str = "metastable-playground:height";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The URL fragment without its `#`.
pub fn fragment() -> String {
    window().and_then(|w| w.location().hash().ok()).map(|h| h.trim_start_matches('#').to_string()).unwrap_or_default()
}

/// Replaces the URL fragment without adding a history entry.
pub fn replace_fragment(fragment: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// Goes to `fragment` (written with its `#`), as a link to it would: a history entry, and the
/// page hears the change.
pub fn go_to_fragment(fragment: &str) {
    if let Some(window) = window() {
        let _ = window.location().set_hash(fragment);
    }
}

/// Calls `on_change` when the URL fragment changes by navigation (not by [`replace_fragment`]).
/// Lives as long as the page.
pub fn on_hash_change(on_change: Callback<()>) {
    let Some(window) = window() else { return };
    let listener = Closure::<dyn FnMut()>::new(move || on_change.emit(()));
    let _ = window.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
    listener.forget();
}

/// This page's address with `fragment` in place of its own.
pub fn page_url(fragment: &str) -> String {
    let href = window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}#{fragment}")
}

/// Copies `text` to the clipboard; `done` hears whether it worked.
pub fn copy(text: String, done: Callback<bool>) {
    let Some(clipboard) = window().map(|w| w.navigator().clipboard()) else { return done.emit(false) };
    let promise = clipboard.write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        done.emit(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Offers `blob` as a download called `name`.
pub fn download_blob(name: &str, blob: &Blob) {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    let Ok(url) = Url::create_object_url_with_blob(blob) else { return };
    if let Ok(anchor) = document.create_element("a").map(|a| a.unchecked_into::<HtmlAnchorElement>()) {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = Url::revoke_object_url(&url);
}

/// A blob holding `text` of type `mime`.
pub fn text_blob(text: &str, mime: &str) -> Option<Blob> {
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}

/// Offers `text` as a download called `name`.
pub fn download_text(name: &str, mime: &str, text: &str) {
    if let Some(blob) = text_blob(text, mime) {
        download_blob(name, &blob);
    }
}

/// Reads the file chosen in `input` as text; `done` hears the text or why it could not be read.
pub fn read_chosen_file(input: &HtmlInputElement, done: Callback<Result<String, String>>) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    let name = file.name();
    if file.size() > 1_000_000.0 {
        return done.emit(Err(format!("{name}: larger than 1 MB; a scenario is a few kilobytes")));
    }
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(promise).await;
        done.emit(text.ok().and_then(|t| t.as_string()).ok_or_else(|| format!("{name}: could not be read")));
    });
}

/// True when the page is inside a frame.
pub fn framed() -> bool {
    window().and_then(|w| w.parent().ok().flatten()).zip(window()).is_some_and(|(parent, w)| parent != w)
}

/// Posts our content height to the parent page: `{type: HEIGHT_MESSAGE, height}`, nothing else.
fn post_height(height: f64) {
    let Some(parent) = window().and_then(|w| w.parent().ok().flatten()) else { return };
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &HEIGHT_MESSAGE.into());
    let _ = Reflect::set(&message, &"height".into(), &JsValue::from_f64(height.ceil()));
    let _ = parent.post_message(&message, "*");
}

/// Posts the content's height to the parent now and whenever it changes (a ResizeObserver on the
/// body, whose height is its content's, where the document's is at least the frame's). Lives as
/// long as the page.
pub fn report_height() {
    let Some(body) = window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    let measure = body.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || post_height(f64::from(measure.offset_height())));
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    on_resize.forget();
}

/// Calls `on_change(visible)` whenever the page scrolls into or out of the viewport (of the top
/// page, when framed) or the tab is shown or hidden. Lives as long as the page.
pub fn watch_visibility(on_change: Callback<bool>) {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    let Some(root) = document.document_element() else { return };
    let state = std::rc::Rc::new(std::cell::Cell::new((true, true))); // (in view, tab shown)
    let report = {
        let state = state.clone();
        move |change: &dyn Fn(&mut (bool, bool))| {
            let mut now = state.get();
            change(&mut now);
            state.set(now);
            on_change.emit(now.0 && now.1);
        }
    };
    let on_intersect = {
        let report = report.clone();
        Closure::<dyn FnMut(Array)>::new(move |entries: Array| {
            if let Some(entry) =
                entries.iter().last().and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
            {
                let visible = entry.is_intersecting();
                report(&|s| s.0 = visible);
            }
        })
    };
    if let Ok(observer) = web_sys::IntersectionObserver::new(on_intersect.as_ref().unchecked_ref()) {
        observer.observe(&root);
    }
    on_intersect.forget();
    let doc = document.clone();
    let on_visibility = Closure::<dyn FnMut()>::new(move || {
        let shown = doc.visibility_state() != web_sys::VisibilityState::Hidden;
        report(&|s| s.1 = shown);
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
    on_visibility.forget();
}

/// Does the window match the media query `media` (a layout of the page's style)? Never when
/// rendered natively (there is no window).
pub fn matches(media: &str) -> bool {
    cfg!(target_arch = "wasm32")
        && web_sys::window().and_then(|w| w.match_media(media).ok().flatten()).is_some_and(|m| m.matches())
}

/// Scrolls the page to the first element that matches `selector` while the window matches the
/// media query `media`, else back to its top.
pub fn scroll_to_top_or(selector: &str, media: &str) {
    let Some(window) = web_sys::window() else { return };
    let element = window.document().and_then(|d| d.query_selector(selector).ok().flatten());
    match element.filter(|_| matches(media)) {
        Some(element) => element.scroll_into_view(),
        None => window.scroll_to_with_x_and_y(0.0, 0.0),
    }
}

/// Wall milliseconds since the page loaded.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// A keydown listener on the window, removed when dropped.
pub struct KeyListener {
    listener: Closure<dyn FnMut(web_sys::KeyboardEvent)>,
}

impl Drop for KeyListener {
    fn drop(&mut self) {
        if let Some(window) = window() {
            let _ = window.remove_event_listener_with_callback("keydown", self.listener.as_ref().unchecked_ref());
        }
    }
}

/// Calls `on_key` with every key pressed on the page while the returned listener lives.
pub fn on_key(on_key: Callback<web_sys::KeyboardEvent>) -> Option<KeyListener> {
    let window = window()?;
    let listener = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e| on_key.emit(e));
    window.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref()).ok()?;
    Some(KeyListener { listener })
}

/// What a key event went to: a field, something Space presses (a button, a link, a disclosure,
/// any element made focusable, such as a map cell), or the page.
pub fn focus_of(event: &web_sys::KeyboardEvent) -> crate::ui::lesson::keys::Focus {
    use crate::ui::lesson::keys::Focus;
    let Some(element) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return Focus::Page;
    };
    match element.tag_name().to_ascii_uppercase().as_str() {
        "INPUT" | "SELECT" | "TEXTAREA" => Focus::Field,
        "BUTTON" | "A" | "SUMMARY" => Focus::Pressable,
        "BODY" | "HTML" => Focus::Page,
        // A focusable element is a control, unless it takes focus only to be read (tabindex −1).
        _ if element.get_attribute("tabindex").is_some_and(|t| t != "-1") => Focus::Pressable,
        _ => Focus::Page,
    }
}

/// Takes the focus from the element a mouse click pressed, so that Space then plays and pauses
/// instead of pressing it again (a key's press keeps its focus).
pub fn release_click_focus(event: &web_sys::MouseEvent) {
    if event.detail() > 0
        && let Some(element) = event.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.blur();
    }
}

/// Shows the page full screen, or leaves full screen.
pub fn toggle_full_screen() {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    } else if let Some(root) = document.document_element() {
        let _ = root.request_fullscreen();
    }
}

/// Marks the page high-contrast (`data-contrast="high"` on the root, read by the style sheet).
pub fn set_high_contrast(on: bool) {
    if let Some(root) = window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = if on { root.set_attribute("data-contrast", "high") } else { root.remove_attribute("data-contrast") };
    }
}

/// Takes away the page's poster (what the page shows while the app loads).
pub fn remove_poster() {
    if let Some(poster) = window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("poster")) {
        poster.remove();
    }
}

/// Moves keyboard focus to the element `id` (which needs a tabindex unless it is a control).
pub fn focus_id(id: &str) -> bool {
    let element = window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    element.map(focus).is_some()
}

/// Moves keyboard focus to `element`, an HTML or SVG one.
fn focus(element: web_sys::Element) {
    if let Ok(html) = element.clone().dyn_into::<web_sys::HtmlElement>() {
        let _ = html.focus();
    } else if let Ok(svg) = element.dyn_into::<web_sys::SvgElement>() {
        let _ = svg.focus();
    }
}

/// Moves keyboard focus to the first element inside `root` that matches `selector`.
pub fn focus_within(root: &NodeRef, selector: &str) {
    if let Some(root) = root.cast::<web_sys::Element>()
        && let Ok(Some(element)) = root.query_selector(selector)
    {
        focus(element);
    }
}

/// Watches an element's width and text size, in CSS pixels; stops when dropped.
pub struct SizeWatch {
    observer: web_sys::ResizeObserver,
    _on_resize: Closure<dyn FnMut()>,
}

impl Drop for SizeWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Calls `on_size((width, font size))` for `element` now and whenever its width changes.
pub fn watch_size(element: &web_sys::Element, on_size: Callback<(f64, f64)>) -> Option<SizeWatch> {
    let measured = element.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let width = measured.get_bounding_client_rect().width();
        let font = window()
            .and_then(|w| w.get_computed_style(&measured).ok().flatten())
            .and_then(|style| style.get_property_value("font-size").ok())
            .and_then(|size| size.trim_end_matches("px").parse::<f64>().ok());
        if let Some(font) = font.filter(|_| width > 0.0) {
            on_size.emit((width, font));
        }
    });
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
    observer.observe(element);
    Some(SizeWatch { observer, _on_resize: on_resize })
}
