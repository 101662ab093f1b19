//! Which fields the playground shows as controls, and how: read from the engine's field table,
//! where each field's label, unit, range and group are declared once.

pub use crate::sim::scenario::fields::{Field, Group};
use crate::sim::scenario::fields::{find as find_field, first_tier};

/// The fields with a control in `group`, in table order.
pub fn controls(group: Group) -> impl Iterator<Item = &'static Field> {
    first_tier().filter(move |f| f.control.is_some_and(|c| c.group == group))
}

/// The field at `path` (or short name), if the playground has a control for it.
pub fn find(path: &str) -> Option<&'static Field> {
    find_field(path).filter(|f| f.control.is_some())
}

/// Is the field's control behind its group's "Advanced" disclosure?
pub fn advanced(field: &Field) -> bool {
    field.control.is_some_and(|c| c.advanced)
}

/// Formats a field's value for display with its unit.
pub fn display(value: f64, unit: &str) -> String {
    let number = crate::sim::scenario::fields::format_number(value);
    if unit.is_empty() { number } else { format!("{number} {unit}") }
}
