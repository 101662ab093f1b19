//! Playback against wall-clock frames: speed, pause, single step, budgets, effective speed.

mod common;

use metastable_playground::playback::{FRAME_BUDGET, Playback};
use metastable_playground::sim::scenario::s_to_ns;

/// Runs `frames` frames 16 ms apart starting at `start_ms`; returns the next frame's time.
fn frames(p: &mut Playback, start_ms: f64, frames: u32) -> f64 {
    (0..frames).fold(start_ms, |t, _| {
        p.frame(t);
        t + 16.0
    })
}

#[test]
fn one_wall_second_at_2x_advances_two_simulated_seconds() {
    let mut p = Playback::new(common::preset("healthy")).expect("valid");
    p.set_speed(2.0);
    frames(&mut p, 0.0, 63); // 62 gaps of 16 ms = 0.992 s
    let now = p.sim().now_s();
    assert!((now - 1.984).abs() < 0.001, "now {now}");
    assert!((p.effective_speed() - 2.0).abs() < 0.05, "effective {}", p.effective_speed());
}

#[test]
fn paused_playback_does_not_move_and_step_moves_one_window() {
    let mut p = Playback::new(common::preset("healthy")).expect("valid");
    let t = frames(&mut p, 0.0, 10);
    p.set_playing(false);
    let before = p.sim().now_ns();
    let t = frames(&mut p, t, 10);
    assert_eq!(p.sim().now_ns(), before);
    p.step();
    frames(&mut p, t, 3);
    assert_eq!(p.sim().now_ns(), s_to_ns(1.0));
    assert_eq!(p.sim().windows_closed(), 1);
    assert!(!p.playing());
}

#[test]
fn a_slow_engine_falls_behind_within_its_budget_and_says_so() {
    let mut scenario = common::preset("healthy");
    scenario.clients.load_rps = 200_000.0;
    scenario.backend.workers = 2000;
    let mut p = Playback::new(scenario).expect("valid");
    p.set_speed(50.0);
    let mut behind = false;
    let mut t = 0.0;
    for _ in 0..30 {
        let frame = p.frame(t);
        assert!(frame.events <= FRAME_BUDGET);
        behind |= frame.behind;
        t += 16.0;
    }
    assert!(behind, "never fell behind");
    assert!(p.effective_speed() < 50.0, "effective {}", p.effective_speed());
    assert!(p.sim().now_s() < 29.0 * 0.016 * 50.0);
}

#[test]
fn a_hidden_tab_resumes_without_a_jump() {
    let mut p = Playback::new(common::preset("healthy")).expect("valid");
    p.frame(0.0);
    p.frame(60_000.0);
    assert!(p.sim().now_s() <= 0.1 + 1e-9, "jumped to {}", p.sim().now_s());
}

#[test]
fn reset_starts_over_and_keeps_the_speed() {
    let mut p = Playback::new(common::preset("healthy")).expect("valid");
    p.set_speed(5.0);
    frames(&mut p, 0.0, 20);
    p.reset(common::preset("retry-storm")).expect("valid");
    assert_eq!(p.sim().now_ns(), 0);
    assert_eq!(p.speed(), 5.0);
    assert!(p.playing());
    p.set_speed(1000.0);
    assert_eq!(p.speed(), 50.0);
}

#[test]
fn a_step_too_big_for_one_frame_finishes_over_the_next_frames() {
    let mut scenario = common::preset("healthy");
    scenario.clients.load_rps = 100_000.0;
    scenario.backend.workers = 1000;
    let mut p = Playback::new(scenario).expect("valid");
    p.set_playing(false);
    p.step();
    let first = p.frame(0.0);
    assert!(!p.at_rest(), "one window of 100 000 req/s fits one frame's budget");
    assert!(!first.behind, "arriving at a step is not falling behind");
    let mut t = 16.0;
    while !p.at_rest() && t < 16.0 * 100.0 {
        p.frame(t);
        t += 16.0;
    }
    assert_eq!(p.sim().now_ns(), s_to_ns(1.0));
    assert_eq!(p.sim().windows_closed(), 1);
    assert!(p.at_rest());
}

#[test]
fn seeking_a_start_time_arrives_over_frames_with_the_same_numbers() {
    let mut p = Playback::new(common::preset("retry-storm")).expect("valid");
    p.seek(s_to_ns(90.0));
    let mut t = 0.0;
    let mut frames = 0;
    while !p.at_rest() && frames < 10_000 {
        assert!(!p.frame(t).behind, "seeking is not falling behind");
        t += 16.0;
        frames += 1;
    }
    assert!(frames > 1, "90 s of the storm takes more than one frame's budget");
    assert_eq!(p.sim().now_ns(), s_to_ns(90.0));
    assert!(!p.playing());
    let mut direct = metastable_playground::sim::Run::new(common::preset("retry-storm")).expect("valid");
    direct.run_until(s_to_ns(90.0));
    let windows = |sim: &metastable_playground::sim::Simulation| sim.windows().cloned().collect::<Vec<_>>();
    assert_eq!(windows(p.sim()), windows(direct.sim()));
    assert_eq!(p.health(), direct.health());
}
