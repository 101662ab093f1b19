//! A healthy system and its capacity.

use super::{Chart, Check, Control, Figure, Lesson, Predict, Setup, Step, preset};
use crate::sim::health::HealthState;
use crate::sim::scenario::Scenario;

/// 700 req/s of uncached reads against 10 workers × 10 ms (1000 req/s), nothing scheduled.
pub(super) fn calm() -> Scenario {
    let mut s = preset("retry-storm");
    s.triggers.clear();
    s
}

pub(super) static LESSON: Lesson = Lesson {
    name: "capacity",
    title: "A healthy system and its capacity",
    minutes: 4,
    outcome: "Read a backend's capacity from its workers and service time, and tell how close to it a system runs.",
    steps: &[
        Step {
            title: "One backend, ten workers",
            text: "Clients send 700 requests a second to a backend of 10 workers that each take 10 ms: it can \
                serve 1000 a second. Press play and watch the workers.",
            scenario: Setup::Built(calm),
            start_s: 0.0,
            control: Control::Watch,
            predict: None,
            check: Check::State { state: HealthState::Healthy, for_s: 10.0 },
            claims: &[
                Check::AtLeast { figure: Figure::Utilization, value: 0.6, for_s: 10.0 },
                Check::Below { figure: Figure::Utilization, value: 0.8, for_s: 10.0 },
            ],
            within_s: 30.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Utilization],
            diagram: true,
        },
        Step {
            title: "Closer to capacity",
            text: "Drag the load to 900 requests a second. The workers are busier, but every request still \
                succeeds.",
            scenario: Setup::Built(calm),
            start_s: 10.0,
            control: Control::Set { path: "clients.load_rps", value: "900" },
            predict: None,
            // Busier and still healthy: dragging past capacity does not complete it.
            check: Check::All(&[
                Check::AtLeast { figure: Figure::Utilization, value: 0.8, for_s: 10.0 },
                Check::State { state: HealthState::Healthy, for_s: 10.0 },
            ]),
            claims: &[Check::AtLeast { figure: Figure::Success, value: 0.99, for_s: 10.0 }],
            within_s: 40.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Latency, Chart::Utilization],
            diagram: false,
        },
        Step {
            title: "Past capacity",
            text: "Now drag the load to 1200 requests a second, more than the backend can serve.",
            scenario: Setup::Built(calm),
            start_s: 10.0,
            control: Control::Set { path: "clients.load_rps", value: "1200" },
            predict: Some(Predict {
                question: "What happens to the requests?",
                choices: &[
                    "Nothing: the workers still have room",
                    "The queue grows until requests time out, and most fail",
                    "The backend speeds up to keep pace",
                ],
                answer: 1,
            }),
            // Done when the run shows the answer: most requests failing, not only the verdict.
            check: Check::All(&[
                Check::State { state: HealthState::Overloaded, for_s: 5.0 },
                Check::Below { figure: Figure::Success, value: 0.5, for_s: 5.0 },
            ]),
            claims: &[],
            within_s: 40.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Queue, Chart::Utilization],
            diagram: true,
        },
    ],
};
