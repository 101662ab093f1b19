//! The browser app: a thin view of the engine. Components render; the engine decides. Every
//! number on screen is read from the engine's windows, totals or scenario.

mod app;
pub mod banner;
mod browser;
pub mod chain;
pub mod charts;
pub mod controls;
pub mod diagram;
pub mod embed_dialog;
mod export;
mod icons;
pub mod lesson;
mod share;
pub mod sweep;
pub mod timeline;
pub mod transport;
pub mod triggers;

pub use app::App;

/// `n` with its thousands set apart: "2,500", "40,000".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// When something scheduled `in_s` simulated seconds from now happens, in whole seconds rounded
/// up, so that a countdown reaches "in 1 s" and then "now", never "in 0 s" while still to come.
pub fn time_left(in_s: f64) -> String {
    // A hair over a whole second (a sum of floating-point times) still counts as that second.
    let whole = (in_s - 1e-9).max(0.0).ceil();
    if whole == 0.0 { "now".to_string() } else { format!("in {whole:.0} s") }
}

/// `n` and a noun that takes an s for more than one: "1 run", "12 runs".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn thousands_are_set_apart() {
        let cases = [(0, "0"), (999, "999"), (2_500, "2,500"), (40_000, "40,000"), (1_234_567, "1,234,567")];
        for (n, text) in cases {
            assert_eq!(grouped(n), text);
        }
    }
}
