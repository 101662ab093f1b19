//! The presenter's keys: → and ← (or a clicker's Page Down and Page Up) step, Space plays and
//! pauses, R restarts the step, F goes full screen, P switches the projector theme, 1–9 jump to a
//! step.

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

/// The command for `key` (a `KeyboardEvent.key`) pressed on the element tagged `focused`, if any.
/// While a field (a slider, a choice, a text box) is focused only the clicker's keys count: the
/// arrows and letters belong to the field; a focused button keeps Space and Enter. Keys pressed
/// with Ctrl, Alt or Meta (`modified`) are the browser's.
pub fn command(key: &str, focused: &str, modified: bool) -> Option<Key> {
    let field = matches!(focused, "INPUT" | "SELECT" | "TEXTAREA");
    if modified {
        return None;
    }
    match key {
        "PageDown" => Some(Key::Next),
        "PageUp" => Some(Key::Previous),
        _ if field => None,
        " " if focused == "BUTTON" => None,
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
