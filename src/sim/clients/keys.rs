//! Key popularity: Zipf(s) over K keys, rank 1 the hottest. Key ids are ranks − 1.
//!
//! Drawn with Walker's alias method (tables built once, weights from `libm`), so a draw costs one
//! uniform number and one comparison, and is bit-identical on every platform.

use rand::{Rng, RngExt};

/// Draws keys from Zipf(s) over `keys` keys.
#[derive(Clone, Debug)]
pub struct KeySampler {
    /// Each column's chance of keeping its own key rather than taking its alias, side by side so
    /// that a draw reads one place in memory.
    columns: Vec<(f64, u32)>,
}

impl KeySampler {
    /// `keys` ≥ 1 and `s` ≥ 0 (validated by the scenario).
    pub fn new(keys: u32, s: f64) -> Self {
        let n = keys.max(1) as usize;
        let weights: Vec<f64> = (1..=n).map(|i| libm::pow(i as f64, -s)).collect();
        let total: f64 = weights.iter().sum();
        // Vose's construction: columns scaled to mean 1, small ones topped up from large ones.
        let mut keep: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| keep[i] < 1.0);
        while let (Some(&s_i), Some(&l_i)) = (small.last(), large.last()) {
            small.pop();
            alias[s_i] = l_i as u32;
            keep[l_i] -= 1.0 - keep[s_i];
            if keep[l_i] < 1.0 {
                large.pop();
                small.push(l_i);
            }
        }
        large.into_iter().chain(small).for_each(|i| keep[i] = 1.0);
        KeySampler { columns: keep.into_iter().zip(alias).collect() }
    }

    /// A key id in `0..keys`.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        let u: f64 = rng.random::<f64>() * self.columns.len() as f64;
        let column = (u as usize).min(self.columns.len() - 1);
        let (keep, alias) = self.columns[column];
        if u - (column as f64) < keep { column as u32 } else { alias }
    }
}

/// Probability mass of the k hottest keys, for k = 1..=K, under Zipf(s):
/// Σ_{i≤k} i^−s ÷ Σ_{i≤K} i^−s.
pub fn top_keys_mass(keys: u32, s: f64) -> Vec<f64> {
    let weights: Vec<f64> = (1..=keys.max(1)).map(|i| libm::pow(i as f64, -s)).collect();
    let total: f64 = weights.iter().sum();
    let mut running = 0.0;
    let mut mass: Vec<f64> = weights
        .iter()
        .map(|w| {
            running += w;
            running / total
        })
        .collect();
    if let Some(last) = mass.last_mut() {
        *last = 1.0;
    }
    mass
}
