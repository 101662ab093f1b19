//! Retry policy: how long to wait before a retry (backoff and jitter) and whether a retry, or any
//! attempt, may be sent at all (admission: token bucket, gRPC throttling, retry budget, breaker).

mod admission;
mod backoff;
mod breaker;
mod sliding;

pub use admission::Admission;
pub use backoff::Backoff;
pub use breaker::Breaker;
pub use sliding::SlidingCounts;
