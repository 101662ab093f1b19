//! With retries off, no cache, no network delay and no timeout, the backend is an M/M/c queue:
//! the engine's mean queueing delay must match Erlang C, and Little's law must hold.

mod common;

use metastable_playground::sim::Simulation;
use metastable_playground::sim::scenario::{Scenario, s_to_ns};

/// An M/M/c system: Poisson arrivals at ρ·c/S, exponential service with mean S, c workers.
fn mmc(workers: u32, rho: f64, seed: u64) -> Scenario {
    let mut s = Scenario { seed, ..Scenario::default() };
    s.network.cache_ms = 0.0;
    s.network.backend_ms = 0.0;
    s.clients.timeout_s = None;
    s.retry.max_attempts = 1;
    s.cache.target_hit_rate = 0.0;
    s.cache.hit_latency_ms = 0.0;
    s.backend.workers = workers;
    s.backend.service_time_ms = 10.0;
    s.backend.queue_limit = 10_000_000;
    s.clients.load_rps = rho * workers as f64 / 0.010;
    s
}

/// Erlang C mean waiting time in the queue, in seconds: C(c, a) / (c·μ − λ), a = λ/μ.
fn erlang_c_wait_s(workers: u32, rho: f64, service_s: f64) -> f64 {
    let c = workers as f64;
    let a = rho * c;
    // Σ_{k<c} a^k/k! and a^c/c!, built term by term.
    let mut term = 1.0;
    let mut below = 0.0;
    for k in 0..workers {
        below += term;
        term *= a / (k as f64 + 1.0);
    }
    let top = term / (1.0 - rho);
    let p_wait = top / (below + top);
    p_wait * service_s / (c - a)
}

/// Customers simulated per case: enough that the relative standard error of the mean wait is
/// about 1 % even at ρ = 0.9 with one worker (whose waits are the most correlated).
fn customers(workers: u32, rho: f64) -> f64 {
    let base: f64 = if rho > 0.85 { 4_000_000.0 } else { 1_000_000.0 };
    if workers == 1 { base * 1.5 } else { base }
}

#[test]
fn mean_queueing_delay_matches_erlang_c_within_3_percent() {
    let mut report = Vec::new();
    for workers in [1, 2, 5, 10] {
        for rho in [0.5, 0.8, 0.9] {
            let scenario = mmc(workers, rho, 7);
            let seconds = customers(workers, rho) / scenario.clients.load_rps;
            let mut sim = Simulation::new(scenario).expect("valid");
            sim.run_until(s_to_ns(seconds));
            let totals = sim.totals();
            let measured = totals.first().backend_wait_ns as f64 / totals.first().backend_started as f64 / 1e9;
            let expected = erlang_c_wait_s(workers, rho, 0.010);
            let error = (measured - expected).abs() / expected;
            report.push(format!("c={workers} rho={rho}: {measured:.6} s vs {expected:.6} s ({:.2} %)", error * 100.0));
            assert!(error < 0.03, "c={workers} ρ={rho}: measured {measured} s, Erlang C {expected} s\n{report:#?}");
        }
    }
    println!("{}", report.join("\n"));
}

#[test]
fn erlang_c_reference_matches_known_values() {
    // M/M/1: Wq = ρ S / (1 − ρ).
    assert!((erlang_c_wait_s(1, 0.5, 1.0) - 1.0).abs() < 1e-12);
    assert!((erlang_c_wait_s(1, 0.9, 1.0) - 9.0).abs() < 1e-9);
    // M/M/2 at ρ = 0.5: C = 1/3, Wq = C·S / (2 − 1) = S/3.
    assert!((erlang_c_wait_s(2, 0.5, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn littles_law_holds_for_the_backend_queue_and_workers() {
    for (workers, rho) in [(1, 0.8), (5, 0.9), (10, 0.5)] {
        let scenario = mmc(workers, rho, 11);
        let seconds = 500_000.0 / scenario.clients.load_rps;
        let mut sim = Simulation::new(scenario).expect("valid");
        sim.run_until(s_to_ns(seconds));
        let areas = sim.backend_areas();
        let totals = sim.totals();
        let elapsed_ns = sim.now_ns() as f64;
        let throughput_per_ns = totals.first().backend_started as f64 / elapsed_ns;
        // L_q = λ · W_q, with L_q the time-average queue length.
        let mean_queue = areas.queue / elapsed_ns;
        let mean_wait_ns = totals.first().backend_wait_ns as f64 / totals.first().backend_started as f64;
        let little_queue = throughput_per_ns * mean_wait_ns;
        assert!(
            (mean_queue - little_queue).abs() / little_queue < 0.01,
            "c={workers} ρ={rho}: L_q {mean_queue} vs λ·W_q {little_queue}"
        );
        // Busy workers = λ · S: utilisation ρ.
        let utilization = areas.busy / (elapsed_ns * workers as f64);
        assert!((utilization - rho).abs() < 0.01, "c={workers}: utilisation {utilization} vs ρ {rho}");
    }
}
