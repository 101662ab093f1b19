//! Counts over a sliding window of whole seconds, in one-second buckets.

/// Two counters (`a`, `b`) per second over the last `seconds` seconds.
#[derive(Clone, Debug)]
pub struct SlidingCounts {
    buckets: Vec<[u64; 2]>,
    /// Second (since time zero) of the newest bucket.
    newest_s: u64,
}

const NS_PER_S: u64 = 1_000_000_000;

impl SlidingCounts {
    pub fn new(seconds: u32) -> Self {
        SlidingCounts { buckets: vec![[0, 0]; seconds.max(1) as usize], newest_s: 0 }
    }

    /// Adds to counter `which` (0 or 1) at time `now_ns`.
    pub fn add(&mut self, now_ns: u64, which: usize, amount: u64) {
        self.roll(now_ns);
        let len = self.buckets.len() as u64;
        self.buckets[(self.newest_s % len) as usize][which] += amount;
    }

    /// Sums of both counters over the window ending at `now_ns`.
    pub fn sums(&mut self, now_ns: u64) -> [u64; 2] {
        self.roll(now_ns);
        self.buckets.iter().fold([0, 0], |acc, b| [acc[0] + b[0], acc[1] + b[1]])
    }

    pub fn clear(&mut self) {
        self.buckets.iter_mut().for_each(|b| *b = [0, 0]);
    }

    fn roll(&mut self, now_ns: u64) {
        let second = now_ns / NS_PER_S;
        if second <= self.newest_s {
            return;
        }
        let len = self.buckets.len() as u64;
        let stale = (second - self.newest_s).min(len);
        for s in (second - stale + 1)..=second {
            self.buckets[(s % len) as usize] = [0, 0];
        }
        self.newest_s = second;
    }
}
