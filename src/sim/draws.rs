//! A random stream read ahead: uniform numbers drawn sixteen at a time, each with the logarithm an
//! exponential draw needs. The logarithms of a batch do not depend on one another, so the
//! processor computes them side by side, off the event loop's critical path, instead of one per
//! event inside it. Values and their order are exactly those of drawing one at a time.

use rand::RngExt;
use rand_pcg::Pcg64Mcg;

const BATCH: usize = 16;

#[derive(Clone, Debug)]
pub struct Draws {
    rng: Pcg64Mcg,
    /// Uniform numbers in [0, 1), in the order drawn.
    uniforms: [f64; BATCH],
    /// ln(1 − u) of each.
    logs: [f64; BATCH],
    /// The next one to hand out; `BATCH` when the batch is spent.
    next: usize,
}

impl Draws {
    pub fn new(rng: Pcg64Mcg) -> Self {
        Draws { rng, uniforms: [0.0; BATCH], logs: [0.0; BATCH], next: BATCH }
    }

    /// Takes the next draw's place in the batch.
    #[inline]
    fn take(&mut self) -> usize {
        if self.next == BATCH {
            self.refill();
        }
        self.next += 1;
        self.next - 1
    }

    #[inline(never)]
    fn refill(&mut self) {
        for (u, log) in self.uniforms.iter_mut().zip(&mut self.logs) {
            *u = self.rng.random();
            *log = libm::log(1.0 - *u);
        }
        self.next = 0;
    }

    /// A uniform number in [0, 1).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        let i = self.take();
        self.uniforms[i]
    }

    /// ln(1 − u) of a uniform u: minus a standard exponential draw.
    #[inline]
    pub fn log_complement(&mut self) -> f64 {
        let i = self.take();
        self.logs[i]
    }

    /// An exponential draw of mean `mean`; 0, drawing nothing, when `mean` ≤ 0.
    #[inline]
    pub fn exponential(&mut self, mean: f64) -> f64 {
        if mean <= 0.0 {
            return 0.0;
        }
        -mean * self.log_complement()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn hands_out_exactly_what_drawing_one_at_a_time_gives() {
        let mut one_at_a_time = Pcg64Mcg::seed_from_u64(7);
        let mut draws = Draws::new(Pcg64Mcg::seed_from_u64(7));
        for i in 0..100 {
            let u: f64 = one_at_a_time.random();
            if i % 3 == 0 {
                assert_eq!(draws.uniform().to_bits(), u.to_bits());
            } else {
                assert_eq!(draws.exponential(2.5).to_bits(), (-2.5 * libm::log(1.0 - u)).to_bits());
            }
        }
        assert_eq!(draws.exponential(0.0), 0.0);
        let u: f64 = one_at_a_time.random();
        assert_eq!(draws.uniform().to_bits(), u.to_bits(), "a zero mean draws nothing");
    }
}
