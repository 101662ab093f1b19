//! The retry quota follows the AWS SDK standard mode: a retry takes its cost from the bucket, a
//! retry that succeeds gives its cost back, and a first attempt that succeeds adds one token.

use metastable_playground::sim::retry::Admission;
use metastable_playground::sim::scenario::{AdmissionKind, Retry};

fn quota() -> (Retry, Admission) {
    let policy = Retry { admission: AdmissionKind::TokenBucket, ..Retry::default() };
    let admission = Admission::new(&policy);
    (policy, admission)
}

#[test]
fn a_retry_costs_five_or_ten_after_a_timeout_and_a_successful_retry_returns_its_cost() {
    let (policy, mut bucket) = quota();
    assert_eq!(bucket.allow_retry(&policy, 0, false), Some(5.0));
    assert_eq!(bucket.allow_retry(&policy, 0, true), Some(10.0));
    assert_eq!(bucket.tokens(&policy, 0), Some(485.0));
    bucket.on_outcome(&policy, 0, true, 2, 10.0);
    assert_eq!(bucket.tokens(&policy, 0), Some(495.0));
    bucket.on_outcome(&policy, 0, false, 3, 5.0);
    assert_eq!(bucket.tokens(&policy, 0), Some(495.0), "a failed retry keeps its cost");
}

#[test]
fn a_first_attempt_success_adds_one_token_up_to_the_capacity() {
    let (policy, mut bucket) = quota();
    assert_eq!(bucket.allow_retry(&policy, 0, false), Some(5.0));
    bucket.on_outcome(&policy, 0, true, 1, 0.0);
    assert_eq!(bucket.tokens(&policy, 0), Some(496.0));
    (0..10).for_each(|_| bucket.on_outcome(&policy, 0, true, 1, 0.0));
    assert_eq!(bucket.tokens(&policy, 0), Some(500.0));
}

#[test]
fn an_empty_bucket_refuses_retries_until_successes_refill_it() {
    let (policy, mut bucket) = quota();
    let admitted = (0..200).filter(|_| bucket.allow_retry(&policy, 0, true).is_some()).count();
    assert_eq!(admitted, 50, "500 tokens at 10 per retry after a timeout");
    assert_eq!(bucket.allow_retry(&policy, 0, false), None);
    (0..5).for_each(|_| bucket.on_outcome(&policy, 0, true, 1, 0.0));
    assert_eq!(bucket.allow_retry(&policy, 0, false), Some(5.0));
}
