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

/// The hit rate an LRU of `capacity` entries with a time-to-live of `ttl_s` reaches when warm,
/// under `load_rps` lookups per second over Zipf(s) keys.
///
/// Che's approximation for the LRU: the characteristic time T (in lookups) solves
/// Σᵢ (1 − e^(−pᵢ·T)) = C, and key i is found with probability 1 − e^(−pᵢ·T). The TTL, counted
/// from the fill, caps that: an entry filled by a miss answers the λ·pᵢ·TTL lookups that follow on
/// average, so key i hits at most λpᵢ·TTL ÷ (1 + λpᵢ·TTL) of the time; and a lookup more than one
/// TTL after the last one always misses, so T is at most λ·TTL. Accurate to about a point for
/// Zipf popularity (tested against the engine's measured hit rate).
pub fn warm_hit_rate(keys: u32, s: f64, capacity: usize, ttl_s: f64, load_rps: f64) -> f64 {
    if capacity == 0 || load_rps <= 0.0 {
        return 0.0;
    }
    let mass = top_keys_mass(keys, s);
    let probabilities: Vec<f64> =
        mass.iter().scan(0.0, |previous, &m| Some(m - std::mem::replace(previous, m))).collect();
    let lookups_per_ttl = load_rps * ttl_s;
    // Entries live at most one TTL, so the LRU horizon is capped at λ·TTL; when the cache holds
    // everything seen in that long, the cap is the answer and Newton's method is not needed.
    let held_within_ttl: f64 = probabilities.iter().map(|&p| 1.0 - libm::exp(-p * lookups_per_ttl)).sum();
    let horizon = if capacity >= probabilities.len() || held_within_ttl <= capacity as f64 {
        lookups_per_ttl
    } else {
        characteristic_time(&probabilities, capacity as f64).min(lookups_per_ttl)
    };
    probabilities
        .iter()
        .map(|&p| {
            let lru = if horizon.is_finite() { 1.0 - libm::exp(-p * horizon) } else { 1.0 };
            let ttl = p * lookups_per_ttl / (1.0 + p * lookups_per_ttl);
            p * lru.min(ttl)
        })
        .sum()
}

/// Che's characteristic time: the T with Σᵢ (1 − e^(−pᵢ·T)) = `capacity` (capacity < number of
/// keys). The sum is concave and increasing in T, so Newton's method from T = capacity (where the
/// sum is at most the capacity) climbs to the root without overshooting.
fn characteristic_time(probabilities: &[f64], capacity: f64) -> f64 {
    let mut t = capacity;
    for _ in 0..100 {
        let (held, slope) = probabilities.iter().fold((0.0, 0.0), |(held, slope), &p| {
            let e = libm::exp(-p * t);
            (held + 1.0 - e, slope + p * e)
        });
        let step = (capacity - held) / slope.max(f64::MIN_POSITIVE);
        t += step;
        if step <= t * 1e-9 {
            break;
        }
    }
    t
}
