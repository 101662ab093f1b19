//! Retries that multiply across layers.

use super::{Beside, Chart, Check, Control, Figure, Lesson, Predict, Setup, Step};
use crate::sim::health::HealthState;

pub(super) static LESSON: Lesson = Lesson {
    name: "layers",
    title: "Retries that multiply across layers",
    minutes: 5,
    outcome: "Explain why retries at every layer multiply, and where in a chain to retry.",
    steps: &[
        Step {
            title: "Three layers, three tries each",
            text: "Clients call api, which calls orders, which calls the database, and every caller tries up to \
                3 times. At 20 s the database slows down five-fold for 5 s.",
            scenario: Setup::Preset("layered-retries"),
            start_s: 15.0,
            control: Control::Watch,
            predict: Some(Predict {
                question: "At most, how many database calls can one request become?",
                choices: &["3", "9", "27"],
                answer: 2,
            }),
            check: Check::AtLeast { figure: Figure::LastTierCalls, value: 5.0, for_s: 10.0 },
            claims: &[Check::State { state: HealthState::Metastable, for_s: 10.0 }],
            within_s: 60.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Amplification],
            diagram: true,
        },
        Step {
            title: "Retry at one layer",
            text: "Left, only the clients retry and the inner layers pass failures up at once, so the \
                database sees at most 3 calls a request. Right, every layer retries.",
            scenario: Setup::Preset("retry-at-one-layer"),
            start_s: 15.0,
            control: Control::Watch,
            predict: None,
            check: Check::State { state: HealthState::Healthy, for_s: 10.0 },
            claims: &[],
            within_s: 60.0,
            beside: Some(Beside {
                labels: ["retry at the edge", "retry at every layer"],
                scenario: Setup::Preset("layered-retries"),
                check: Check::State { state: HealthState::Metastable, for_s: 10.0 },
            }),
            charts: &[Chart::Throughput, Chart::Amplification],
            diagram: false,
        },
    ],
};
