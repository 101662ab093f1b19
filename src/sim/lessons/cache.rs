//! The cache's two modes: look-aside never heals, write-back does.

use super::{Beside, Chart, Check, Control, Figure, Lesson, Predict, Setup, Step};
use crate::sim::health::HealthState;

pub(super) static LESSON: Lesson = Lesson {
    name: "cache-modes",
    title: "The cache's two modes",
    minutes: 5,
    outcome: "Choose between a look-aside and a write-back cache, and explain why one stays cold after a restart.",
    steps: &[
        Step {
            title: "A cache holds the load off",
            text: "6000 requests a second, but the cache answers over 90 % of them, so the backend (room for \
                1000 a second) runs under half load. At 20 s the cache restarts: it empties and is unreachable \
                for 5 s.",
            scenario: Setup::Preset("cold-cache-lookaside"),
            start_s: 10.0,
            control: Control::Watch,
            predict: Some(Predict {
                question: "Once the cache is back, its hit rate will:",
                choices: &["Climb back within seconds", "Stay near zero"],
                answer: 1,
            }),
            check: Check::Below { figure: Figure::CacheHitRate, value: 0.2, for_s: 20.0 },
            claims: &[
                Check::State { state: HealthState::Metastable, for_s: 10.0 },
                // Before the restart: the cache answers over 90 %, the backend runs under half load.
                Check::AtLeast { figure: Figure::CacheHitRate, value: 0.9, for_s: 5.0 },
                Check::Below { figure: Figure::Utilization, value: 0.5, for_s: 5.0 },
            ],
            within_s: 60.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Utilization],
            diagram: true,
        },
        Step {
            title: "Write-back heals",
            text: "Look-aside fills the cache only for callers still waiting, and none are. Write-back fills it \
                on every backend answer, late ones included: watch both caches after the same restart.",
            scenario: Setup::Preset("cold-cache-writeback"),
            start_s: 15.0,
            control: Control::Watch,
            predict: None,
            check: Check::AtLeast { figure: Figure::CacheHitRate, value: 0.9, for_s: 10.0 },
            claims: &[Check::State { state: HealthState::Healthy, for_s: 10.0 }],
            within_s: 60.0,
            beside: Some(Beside {
                labels: ["write-back", "look-aside"],
                scenario: Setup::Preset("cold-cache-lookaside"),
                check: Check::Below { figure: Figure::CacheHitRate, value: 0.2, for_s: 20.0 },
            }),
            charts: &[Chart::Throughput, Chart::Utilization],
            diagram: false,
        },
    ],
};
