//! Overloaded or metastable: a failure that ends with its cause, and one that does not.

use super::{Chart, Check, Control, Figure, Lesson, Predict, Setup, Step};
use crate::sim::health::HealthState;

pub(super) static LESSON: Lesson = Lesson {
    name: "overloaded-or-metastable",
    title: "Overloaded or metastable",
    minutes: 4,
    outcome: "Tell an overloaded system from a metastable one, and say why lowering the load fixes only one.",
    steps: &[
        Step {
            title: "Plain overload",
            text: "1200 requests a second against room for 1000, with nothing else wrong. The same settings \
                started fresh fail too, so the banner says Overloaded.",
            scenario: Setup::Preset("overload"),
            start_s: 0.0,
            control: Control::Watch,
            predict: None,
            check: Check::State { state: HealthState::Overloaded, for_s: 10.0 },
            claims: &[Check::Below { figure: Figure::Success, value: 0.2, for_s: 10.0 }],
            within_s: 30.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Queue, Chart::Amplification],
            diagram: false,
        },
        Step {
            title: "Below capacity again",
            text: "Drag the load down to 700 requests a second, a load this backend serves easily when it \
                starts fresh.",
            scenario: Setup::Preset("overload"),
            start_s: 30.0,
            control: Control::Set { path: "clients.load_rps", value: "700" },
            predict: Some(Predict {
                question: "At 700 requests a second, the system will:",
                choices: &["Recover, since the cause has gone", "Stay collapsed"],
                answer: 1,
            }),
            check: Check::State { state: HealthState::Metastable, for_s: 10.0 },
            claims: &[Check::Below { figure: Figure::Success, value: 0.2, for_s: 20.0 }],
            within_s: 60.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Queue, Chart::Amplification],
            diagram: false,
        },
    ],
};
