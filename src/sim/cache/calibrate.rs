//! Cache capacity from a target hit rate.

use crate::sim::clients::top_keys_mass;

/// The smallest k whose k hottest keys carry at least `hit_rate` of the Zipf(s) mass over `keys`
/// keys (0 for a hit rate of 0). An LRU of that size holds roughly the hottest keys, so its
/// measured hit rate comes close to, and a little under, the target.
pub fn capacity_for_hit_rate(keys: u32, s: f64, hit_rate: f64) -> usize {
    if hit_rate <= 0.0 {
        return 0;
    }
    let mass = top_keys_mass(keys, s);
    // Tolerance for rounding in the running sum, so a target of 1.0 maps to all keys.
    let index = mass.partition_point(|&m| m < hit_rate - 1e-12);
    (index + 1).min(mass.len())
}
