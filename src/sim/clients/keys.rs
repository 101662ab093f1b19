//! Key popularity: Zipf(s) over K keys, rank 1 the hottest. Key ids are ranks − 1.
//!
//! Drawn with Walker's alias method (tables built once, weights from `libm`), so a draw costs one
//! uniform number and one comparison, and is bit-identical on every platform.

use crate::sim::prefetch::prefetch;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

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

    /// The key id in `0..keys` that the uniform number `uniform` in [0, 1) draws.
    pub fn key_at(&self, uniform: f64) -> u32 {
        let (column, u) = self.column(uniform);
        let (keep, alias) = self.columns[column];
        if u - (column as f64) < keep { column as u32 } else { alias }
    }

    /// Starts loading the table entry that `uniform` will read.
    pub fn prefetch(&self, uniform: f64) {
        prefetch(&self.columns[self.column(uniform).0]);
    }

    /// The column `uniform` falls in, and `uniform` scaled to the columns.
    #[inline(always)]
    fn column(&self, uniform: f64) -> (usize, f64) {
        let u = uniform * self.columns.len() as f64;
        ((u as usize).min(self.columns.len() - 1), u)
    }
}

/// The keys the clients ask for, in order. Each request's uniform number is drawn one request
/// ahead and the table entry it will read is prefetched, so that reading the table (out of the
/// processor's nearest cache when keys are many) does not hold up the request that needs it.
#[derive(Clone, Debug)]
pub struct KeyStream {
    sampler: KeySampler,
    rng: Pcg64Mcg,
    /// The next request's uniform number.
    ahead: f64,
}

impl KeyStream {
    pub fn new(sampler: KeySampler, mut rng: Pcg64Mcg) -> Self {
        let ahead = rng.random();
        KeyStream { sampler, rng, ahead }
    }

    /// The next request's key.
    #[inline]
    pub fn next_key(&mut self) -> u32 {
        let key = self.sampler.key_at(self.ahead);
        self.ahead = self.rng.random();
        self.sampler.prefetch(self.ahead);
        key
    }

    /// Where the stream is: what [`KeyStream::restore`] takes.
    pub fn state(&self) -> (Pcg64Mcg, f64) {
        (self.rng.clone(), self.ahead)
    }

    /// Puts the stream back where [`KeyStream::state`] found it.
    pub fn restore(&mut self, (rng, ahead): (Pcg64Mcg, f64)) {
        (self.rng, self.ahead) = (rng, ahead);
        self.sampler.prefetch(ahead);
    }

    /// Draws from `sampler` from the next request on, with the same uniform numbers.
    pub fn reshape(&mut self, sampler: KeySampler) {
        self.sampler = sampler;
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn a_key_stream_draws_what_its_sampler_gives_one_uniform_at_a_time() {
        let mut uniforms = Pcg64Mcg::seed_from_u64(3);
        let (hot, flat) = (KeySampler::new(1_000, 1.1), KeySampler::new(50, 0.0));
        let mut stream = KeyStream::new(hot.clone(), Pcg64Mcg::seed_from_u64(3));
        for _ in 0..50 {
            assert_eq!(stream.next_key(), hot.key_at(uniforms.random()));
        }
        // A new popularity applies from the next key on, to the same uniform numbers.
        stream.reshape(flat.clone());
        for _ in 0..50 {
            let key = stream.next_key();
            assert_eq!(key, flat.key_at(uniforms.random()));
            assert!(key < 50);
        }
    }
}
