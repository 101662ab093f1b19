//! Independent random streams per component, each derived from the scenario seed, so changing
//! one part of the model does not reshuffle the randomness of the others.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// One named, portable generator (PCG 64-bit MCG) per source of randomness.
#[derive(Clone, Debug)]
pub struct Streams {
    pub arrivals: Pcg64Mcg,
    pub keys: Pcg64Mcg,
    pub service: Pcg64Mcg,
    pub backoff: Pcg64Mcg,
    pub errors: Pcg64Mcg,
    pub think: Pcg64Mcg,
}

fn derive(seed: u64, stream: u64) -> Pcg64Mcg {
    // Golden-ratio spacing keeps derived seeds far apart; seed_from_u64 mixes them further.
    Pcg64Mcg::seed_from_u64(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

impl Streams {
    pub fn new(seed: u64) -> Self {
        Streams {
            arrivals: derive(seed, 1),
            keys: derive(seed, 2),
            service: derive(seed, 3),
            backoff: derive(seed, 4),
            errors: derive(seed, 5),
            think: derive(seed, 6),
        }
    }
}
