//! Independent random streams per component, each derived from the scenario seed, so changing
//! one part of the model does not reshuffle the randomness of the others. Each tier holds its own
//! service, error and backoff streams (see `tier.rs`).

use crate::sim::clients::{KeySampler, KeyStream};
use crate::sim::draws::Draws;
use crate::sim::scenario::Clients;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// The clients' generators (PCG 64-bit MCG): arrivals, keys and think times.
#[derive(Clone, Debug)]
pub struct Streams {
    pub arrivals: Draws,
    pub keys: KeyStream,
    pub think: Draws,
}

/// The generator numbered `stream` of a run seeded `seed`.
pub fn derive(seed: u64, stream: u64) -> Pcg64Mcg {
    // Golden-ratio spacing keeps derived seeds far apart; seed_from_u64 mixes them further.
    Pcg64Mcg::seed_from_u64(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

impl Streams {
    pub fn new(seed: u64, clients: &Clients) -> Self {
        Streams {
            arrivals: Draws::new(derive(seed, 1)),
            keys: KeyStream::new(KeySampler::new(clients.keys, clients.zipf_s), derive(seed, 2)),
            think: Draws::new(derive(seed, 6)),
        }
    }
}
