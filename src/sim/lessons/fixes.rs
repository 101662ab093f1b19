//! Breaking the loop: each fix beside the failure it prevents, on the same seed.

use super::wasted::two_attempts;
use super::{Beside, Chart, Check, Control, Figure, Lesson, Predict, Setup, Step, preset};
use crate::sim::health::HealthState;
use crate::sim::scenario::{JitterKind, Scenario};

/// The jittered-backoff preset without jitter: retries return in lock step.
fn lock_step() -> Scenario {
    let mut s = preset("jittered-backoff");
    s.retry.jitter = JitterKind::None;
    s
}

const RECOVERS: Check = Check::State { state: HealthState::Healthy, for_s: 10.0 };
const STAYS_STUCK: Check = Check::State { state: HealthState::Metastable, for_s: 10.0 };
const CHARTS: &[Chart] = &[Chart::Throughput, Chart::Amplification];

/// A fix beside the retry storm it survives, each side named for how it differs.
const fn beside_storm(labels: [&'static str; 2]) -> Option<Beside> {
    Some(Beside { labels, scenario: Setup::Preset("retry-storm"), check: STAYS_STUCK })
}

/// A step that shows the preset `fix` recover beside the retry storm, from just before the spike.
const fn survives_storm(
    title: &'static str,
    text: &'static str,
    fix: &'static str,
    labels: [&'static str; 2],
    charts: &'static [Chart],
) -> Step {
    Step {
        title,
        text,
        scenario: Setup::Preset(fix),
        start_s: 15.0,
        control: Control::Watch,
        predict: None,
        check: RECOVERS,
        claims: &[],
        within_s: 60.0,
        beside: beside_storm(labels),
        charts,
        diagram: false,
    }
}

pub(super) static LESSON: Lesson = Lesson {
    name: "breaking-the-loop",
    title: "Breaking the loop",
    minutes: 8,
    outcome: "Pick a defence against retry storms (quota, budget, breaker, jitter, deadline dropping, LIFO) \
        and say which loop it breaks.",
    steps: &[
        Step {
            title: "A retry quota",
            text: "Left, the same spike with a retry quota: each retry takes tokens from a bucket of 500 and \
                each success returns one. Right, no quota.",
            scenario: Setup::Preset("token-bucket"),
            start_s: 15.0,
            control: Control::Watch,
            predict: Some(Predict {
                question: "When the spike ends, the system with the quota will:",
                choices: &["Recover", "Stay collapsed like the other"],
                answer: 0,
            }),
            check: RECOVERS,
            claims: &[],
            within_s: 60.0,
            beside: beside_storm(["retry quota", "no admission"]),
            charts: CHARTS,
            diagram: false,
        },
        survives_storm(
            "A retry budget",
            "A budget allows retries of at most a fifth of the requests over the last 10 s, plus 10 a \
                second. Watch the retries once the spike ends: the attempts and their amplification.",
            "retry-budget",
            ["retry budget", "no admission"],
            CHARTS,
        ),
        survives_storm(
            "A circuit breaker",
            "The breaker opens when half the attempts over 10 s fail, and then fails calls at once for \
                5 s instead of sending them to the backend.",
            "circuit-breaker",
            ["circuit breaker", "no admission"],
            CHARTS,
        ),
        survives_storm(
            "Serve the newest first",
            "A last-in first-out queue serves the newest requests, whose callers still wait, and pushes \
                out the stale ones at the bottom.",
            "lifo",
            ["LIFO queue", "FIFO queue"],
            &[Chart::Throughput, Chart::Queue],
        ),
        Step {
            title: "Drop work past its deadline",
            text: "With two attempts a request the storm persists too. Left, the backend drops queued work \
                whose caller has given up; right, it serves everything it queued.",
            scenario: Setup::Preset("deadline-dropping"),
            start_s: 15.0,
            control: Control::Watch,
            predict: None,
            check: RECOVERS,
            claims: &[Check::Below { figure: Figure::Wasted, value: 0.01, for_s: 10.0 }],
            within_s: 60.0,
            beside: Some(Beside {
                labels: ["deadline dropping", "no dropping"],
                scenario: Setup::Built(two_attempts),
                check: STAYS_STUCK,
            }),
            charts: &[Chart::Throughput, Chart::Utilization],
            diagram: false,
        },
        Step {
            title: "Jitter spreads the retries",
            text: "At 20 s about 1000 requests arrived within 20 ms, and the 20-deep queue turned most away at \
                once. With jitter each retry waits a random part of its backoff; without, they all wait the same.",
            scenario: Setup::Preset("jittered-backoff"),
            start_s: 20.2,
            control: Control::Watch,
            predict: Some(Predict {
                question: "Without jitter, the turned-away requests' retries will:",
                choices: &[
                    "Arrive spread out, and the queue takes them",
                    "Arrive together again, and the queue turns most of them away again",
                ],
                answer: 1,
            }),
            check: Check::AtLeast { figure: Figure::Success, value: 0.9, for_s: 13.0 },
            claims: &[],
            within_s: 15.0,
            beside: Some(Beside {
                labels: ["full jitter", "no jitter"],
                scenario: Setup::Built(lock_step),
                // A wave: nearly every attempt of a tenth of a second turned away, as in the burst.
                check: Check::AtLeast { figure: Figure::Rejected, value: 0.85, for_s: 0.1 },
            }),
            // The waves show as spikes of attempts (the queue fills and empties within a window).
            charts: &[Chart::Throughput, Chart::Amplification],
            diagram: false,
        },
    ],
};
