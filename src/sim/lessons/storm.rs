//! A spike and the retry storm that outlives it.

use super::capacity::calm;
use super::{Chart, Check, Control, Figure, Lesson, Predict, Setup, Step};
use crate::sim::health::HealthState;
use crate::sim::scenario::TriggerKind;

pub(super) static LESSON: Lesson = Lesson {
    name: "retry-storm",
    title: "A spike, and the retry storm that outlives it",
    minutes: 5,
    outcome: "Explain why a retry storm outlives its trigger, and what a metastable failure is.",
    steps: &[
        Step {
            title: "Press the spike",
            text: "A healthy system: 700 requests a second, room for 1000, and each request tries up \
                to 4 times. Press the load spike: twice the load for 10 seconds.",
            scenario: Setup::Built(calm),
            start_s: 10.0,
            control: Control::Fire { kind: TriggerKind::LoadSpike, magnitude: 2.0, duration_s: 10.0 },
            predict: Some(Predict {
                question: "When the spike ends, the share of requests that succeed will:",
                choices: &["Recover at once", "Recover within a few seconds", "Stay near zero"],
                answer: 2,
            }),
            check: Check::State { state: HealthState::Metastable, for_s: 5.0 },
            claims: &[Check::Below { figure: Figure::Success, value: 0.2, for_s: 20.0 }],
            within_s: 60.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Queue],
            diagram: true,
        },
        Step {
            title: "The retries keep it full",
            text: "The spike is long over, yet each request now makes about four attempts. Those attempts keep \
                the queue so deep that every answer comes after its caller has given up.",
            scenario: Setup::Preset("retry-storm"),
            start_s: 40.0,
            control: Control::Watch,
            predict: None,
            check: Check::AtLeast { figure: Figure::Amplification, value: 3.0, for_s: 10.0 },
            claims: &[
                Check::Below { figure: Figure::Success, value: 0.2, for_s: 10.0 },
                Check::State { state: HealthState::Metastable, for_s: 10.0 },
                Check::AtLeast { figure: Figure::Wasted, value: 0.9, for_s: 10.0 },
            ],
            within_s: 30.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Queue, Chart::Amplification],
            diagram: false,
        },
        Step {
            title: "Stuck, not overloaded",
            text: "The banner says Metastable: the same settings started fresh are healthy, so the failure \
                sustains itself. Each stuck request makes four attempts, so the queue drains only when four times \
                the load is less than 1000 a second. Drag the load to 200 requests a second.",
            scenario: Setup::Preset("retry-storm"),
            start_s: 40.0,
            control: Control::Set { path: "clients.load_rps", value: "200" },
            predict: None,
            // Requests must succeed too: a load dragged to 0 is healthy with nothing to serve.
            check: Check::All(&[
                Check::State { state: HealthState::Healthy, for_s: 10.0 },
                Check::AtLeast { figure: Figure::Success, value: 0.95, for_s: 10.0 },
            ]),
            claims: &[],
            within_s: 60.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Queue, Chart::Amplification],
            diagram: false,
        },
    ],
};
