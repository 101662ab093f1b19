//! Wasted work: why throughput lies.

use super::{Chart, Check, Control, Figure, Lesson, Predict, Setup, Step, preset};
use crate::sim::health::HealthState;
use crate::sim::scenario::Scenario;

/// The deadline-dropping preset (two attempts a request) with dropping off: the storm persists.
pub(super) fn two_attempts() -> Scenario {
    let mut s = preset("deadline-dropping");
    s.backend.deadline_dropping = false;
    s
}

pub(super) static LESSON: Lesson = Lesson {
    name: "wasted-work",
    title: "Wasted work: why throughput lies",
    minutes: 4,
    outcome: "Tell goodput from throughput, and explain how dropping work past its deadline ends the waste.",
    steps: &[
        Step {
            title: "Busy, and useless",
            text: "A load spike at t = 20 s tips this system over. Twenty seconds later the backend's workers \
                are all busy, serving about 1000 requests a second.",
            scenario: Setup::Preset("retry-storm"),
            // Before the spike, so that the answer is the run's to show, not the opening screen's.
            start_s: 15.0,
            control: Control::Watch,
            predict: Some(Predict {
                question: "Of those 1000 answers a second, how many reach a caller who is still waiting?",
                choices: &["Most of them", "About half", "Almost none"],
                answer: 2,
            }),
            check: Check::AtLeast { figure: Figure::Wasted, value: 0.8, for_s: 10.0 },
            claims: &[
                Check::AtLeast { figure: Figure::Utilization, value: 0.95, for_s: 10.0 },
                Check::Below { figure: Figure::Success, value: 0.2, for_s: 10.0 },
            ],
            within_s: 50.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Utilization],
            diagram: true,
        },
        Step {
            title: "Drop what nobody waits for",
            text: "Here each request tries twice, and the storm persists all the same. Turn on dropping work \
                past its deadline: the backend skips queued requests whose caller has given up.",
            scenario: Setup::Built(two_attempts),
            start_s: 50.0,
            control: Control::Set { path: "backend.deadline_dropping", value: "true" },
            predict: Some(Predict {
                question: "With the wasted work gone, the system will:",
                choices: &["Recover", "Stay collapsed"],
                answer: 0,
            }),
            check: Check::State { state: HealthState::Healthy, for_s: 10.0 },
            claims: &[Check::Below { figure: Figure::Wasted, value: 0.05, for_s: 10.0 }],
            within_s: 60.0,
            beside: None,
            charts: &[Chart::Throughput, Chart::Utilization],
            diagram: false,
        },
    ],
};
