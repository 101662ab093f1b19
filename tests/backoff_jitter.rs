//! Backoff and jitter produce exactly the documented ranges (AWS "Exponential Backoff And Jitter").

use metastable_playground::sim::retry::Backoff;
use metastable_playground::sim::scenario::{BackoffKind, JitterKind, Retry};
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

const MS: u64 = 1_000_000;

fn policy(backoff: BackoffKind, jitter: JitterKind) -> Retry {
    Retry { backoff, jitter, base_ms: 100.0, cap_ms: 1000.0, multiplier: 2.0, ..Retry::default() }
}

/// min(cap, base · 2^n) for base 100 ms, cap 1 s.
fn ceiling(n: u32) -> u64 {
    (100 * MS * 2u64.pow(n)).min(1000 * MS)
}

fn draws(p: &Retry, n: u32, previous: u64) -> Vec<u64> {
    let mut rng = Pcg64Mcg::seed_from_u64(3);
    let backoff = Backoff::new(p);
    (0..20_000).map(|_| backoff.delay_ns(n, previous, &mut rng)).collect()
}

fn mean(values: &[u64]) -> f64 {
    values.iter().sum::<u64>() as f64 / values.len() as f64
}

#[test]
fn no_backoff_retries_at_once_whatever_the_jitter() {
    for jitter in [JitterKind::None, JitterKind::Full, JitterKind::Equal, JitterKind::Decorrelated] {
        assert!(draws(&policy(BackoffKind::None, jitter), 2, 0).iter().all(|&d| d == 0));
    }
}

#[test]
fn exponential_without_jitter_doubles_up_to_the_cap() {
    let p = policy(BackoffKind::Exponential, JitterKind::None);
    let delays: Vec<u64> = (0..6).map(|n| draws(&p, n, 0)[0]).collect();
    assert_eq!(delays, vec![100 * MS, 200 * MS, 400 * MS, 800 * MS, 1000 * MS, 1000 * MS]);
    let constant = policy(BackoffKind::Constant, JitterKind::None);
    assert!((0..6).all(|n| draws(&constant, n, 0)[0] == 100 * MS));
}

#[test]
fn full_jitter_is_uniform_between_zero_and_the_ceiling() {
    let p = policy(BackoffKind::Exponential, JitterKind::Full);
    for n in 0..5 {
        let d = draws(&p, n, 0);
        assert!(d.iter().all(|&x| x <= ceiling(n)));
        let m = mean(&d) / ceiling(n) as f64;
        assert!((m - 0.5).abs() < 0.01, "n={n}: mean {m} of the ceiling");
        assert!(*d.iter().min().unwrap() < ceiling(n) / 100, "n={n}: never near zero");
    }
}

#[test]
fn equal_jitter_is_half_the_ceiling_plus_uniform_half() {
    let p = policy(BackoffKind::Exponential, JitterKind::Equal);
    for n in 0..5 {
        let d = draws(&p, n, 0);
        assert!(d.iter().all(|&x| x >= ceiling(n) / 2 && x <= ceiling(n)), "n={n}");
        let m = mean(&d) / ceiling(n) as f64;
        assert!((m - 0.75).abs() < 0.01, "n={n}: mean {m} of the ceiling");
    }
}

#[test]
fn decorrelated_jitter_is_between_base_and_three_times_the_previous_capped() {
    let p = policy(BackoffKind::Exponential, JitterKind::Decorrelated);
    for previous in [0, 100 * MS, 250 * MS, 600 * MS] {
        let upper = (previous.max(100 * MS) * 3).min(1000 * MS);
        let d = draws(&p, 1, previous);
        assert!(d.iter().all(|&x| x >= 100 * MS && x <= upper), "previous {previous}");
    }
    // A chain of decorrelated delays never leaves [base, cap].
    let mut rng = Pcg64Mcg::seed_from_u64(9);
    let mut previous = 0;
    let backoff = Backoff::new(&p);
    for n in 0..1000 {
        previous = backoff.delay_ns(n, previous, &mut rng);
        assert!((100 * MS..=1000 * MS).contains(&previous));
    }
}
