//! The presenter's keys: → and ← (or a clicker's Page Down and Page Up) step, Space plays and
//! pauses, R restarts the step, F goes full screen, P switches the projector theme, 1–9 jump to a
//! step.

use crate::ui::browser::{self, KeyListener};
use yew::Callback;

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Next,
    Previous,
    TogglePlay,
    Restart,
    FullScreen,
    Projector,
    /// A step, from 0.
    Jump(usize),
}

/// Where a key was pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The page itself.
    Page,
    /// A field (a slider, a choice, a text box): the arrows, letters and Space are its own.
    Field,
    /// Something Space presses or opens (a button, a link, a disclosure, a map cell).
    Pressable,
}

/// The command for `key` (a `KeyboardEvent.key`) pressed with `focus`, if any. On a field only the
/// clicker's keys count; on something pressable Space is its own. Keys pressed with Ctrl, Alt or
/// Meta (`modified`) are the browser's.
pub fn command(key: &str, focus: Focus, modified: bool) -> Option<Key> {
    if modified {
        return None;
    }
    match key {
        "PageDown" => Some(Key::Next),
        "PageUp" => Some(Key::Previous),
        _ if focus == Focus::Field => None,
        " " if focus == Focus::Pressable => None,
        "ArrowRight" => Some(Key::Next),
        "ArrowLeft" => Some(Key::Previous),
        " " => Some(Key::TogglePlay),
        "r" | "R" => Some(Key::Restart),
        "f" | "F" => Some(Key::FullScreen),
        "p" | "P" => Some(Key::Projector),
        _ => match key.parse::<usize>() {
            Ok(n @ 1..=9) => Some(Key::Jump(n - 1)),
            _ => None,
        },
    }
}

/// Listens for the keys `wanted` accepts while the returned listener lives: each is kept from the
/// page (no scrolling on Space) and sent to `on_key`. Keys the page has already handled are left.
pub fn listen(on_key: Callback<Key>, wanted: impl Fn(Key) -> bool + 'static) -> Option<KeyListener> {
    browser::on_key(Callback::from(move |e: web_sys::KeyboardEvent| {
        if e.default_prevented() {
            return;
        }
        let modified = e.ctrl_key() || e.alt_key() || e.meta_key();
        if let Some(key) = command(&e.key(), browser::focus_of(&e), modified).filter(|k| wanted(*k)) {
            e.prevent_default();
            on_key.emit(key);
        }
    }))
}
