//! The backend: `c` workers behind one bounded queue (FIFO or LIFO), with load-dependent slowdown,
//! deadline dropping, queue-timeout shedding and a concurrency limit.
//!
//! The backend holds attempt references only; the engine decides what their outcomes mean.

mod service_time;

pub use service_time::ServiceTime;

use crate::sim::scenario::{Backend as Config, QueueDiscipline};
use std::collections::VecDeque;

/// A request at the backend: which attempt, when it arrived, and its caller's deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    pub attempt: u64,
    pub arrived_ns: u64,
    pub deadline_ns: u64,
}

/// Why a job left the queue without being served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dropped {
    /// Its caller's deadline had passed (deadline dropping); nobody is told.
    DeadlinePassed,
    /// It waited longer than the queue timeout, or was pushed out of a full LIFO queue; the caller
    /// gets an error.
    Shed,
}

/// Queue and worker state, plus integrals of busy and available worker time for utilisation.
#[derive(Clone, Debug)]
pub struct BackendState {
    queue: VecDeque<Job>,
    /// In-service jobs by worker slot; `None` is an idle slot.
    slots: Vec<Option<Job>>,
    idle_slots: Vec<u32>,
    busy: u32,
    /// Workers that may take work: configured workers minus those lost to a fault.
    available: u32,
    last_touch_ns: u64,
    areas: Areas,
}

/// Time integrals since time zero, in request-nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Areas {
    /// ∫ busy workers dt.
    pub busy: f64,
    /// ∫ max(busy, available workers) dt.
    pub capacity: f64,
    /// ∫ queue length dt.
    pub queue: f64,
}

impl BackendState {
    pub fn new(workers: u32) -> Self {
        BackendState {
            queue: VecDeque::new(),
            slots: Vec::new(),
            idle_slots: Vec::new(),
            busy: 0,
            available: workers,
            last_touch_ns: 0,
            areas: Areas::default(),
        }
    }

    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }

    pub fn busy(&self) -> u32 {
        self.busy
    }

    pub fn available(&self) -> u32 {
        self.available
    }

    /// Requests in the system: queued plus in service.
    pub fn in_system(&self) -> usize {
        self.queue.len() + self.busy as usize
    }

    /// Accumulates worker-time up to `now_ns`.
    pub fn touch(&mut self, now_ns: u64) {
        let dt = now_ns.saturating_sub(self.last_touch_ns) as f64;
        self.areas.busy += self.busy as f64 * dt;
        self.areas.capacity += self.busy.max(self.available) as f64 * dt;
        self.areas.queue += self.queue.len() as f64 * dt;
        self.last_touch_ns = now_ns;
    }

    /// Time integrals up to the last touch.
    pub fn areas(&self) -> Areas {
        self.areas
    }

    pub fn set_available(&mut self, now_ns: u64, workers: u32) {
        self.touch(now_ns);
        self.available = workers;
    }

    /// Is a worker free to start a job now?
    pub fn has_free_worker(&self) -> bool {
        self.busy < self.available
    }

    /// Puts `job` on a worker; returns the worker slot.
    pub fn start(&mut self, now_ns: u64, job: Job) -> u32 {
        self.touch(now_ns);
        self.busy += 1;
        match self.idle_slots.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(job);
                slot
            }
            None => {
                self.slots.push(Some(job));
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// The job on worker `slot`, if it is busy.
    pub fn job(&self, slot: u32) -> Option<Job> {
        self.slots.get(slot as usize).copied().flatten()
    }

    /// Frees worker `slot`, returning the job it served.
    pub fn finish(&mut self, now_ns: u64, slot: u32) -> Job {
        self.touch(now_ns);
        self.busy -= 1;
        self.idle_slots.push(slot);
        self.slots[slot as usize].take().expect("a service completion names a busy worker")
    }

    /// Queues `job`. A full FIFO queue refuses it (returned as `Err`); a full LIFO queue takes it
    /// and pushes out its oldest job (returned as `Ok(Some)`).
    pub fn enqueue(&mut self, config: &Config, now_ns: u64, job: Job) -> Result<Option<Job>, Job> {
        self.touch(now_ns);
        let limit = config.queue_limit as usize;
        if self.queue.len() < limit {
            self.queue.push_back(job);
            return Ok(None);
        }
        match config.discipline {
            QueueDiscipline::Lifo if limit > 0 => {
                let oldest = self.queue.pop_front();
                self.queue.push_back(job);
                Ok(oldest)
            }
            _ => Err(job),
        }
    }

    /// Takes the next queued job: `Ok` to serve it, `Err` with the reason it may not be served.
    pub fn next_job(&mut self, config: &Config, now_ns: u64) -> Option<Result<Job, (Job, Dropped)>> {
        self.touch(now_ns);
        let job = match config.discipline {
            QueueDiscipline::Fifo => self.queue.pop_front(),
            QueueDiscipline::Lifo => self.queue.pop_back(),
        }?;
        let queue_timeout_ns = config.queue_timeout_ms.map(crate::sim::scenario::ms_to_ns);
        Some(if config.deadline_dropping && job.deadline_ns <= now_ns {
            Err((job, Dropped::DeadlinePassed))
        } else if queue_timeout_ns.is_some_and(|limit| now_ns - job.arrived_ns > limit) {
            Err((job, Dropped::Shed))
        } else {
            Ok(job)
        })
    }

    /// Bytes held by the queue and worker slots.
    pub fn footprint_bytes(&self) -> usize {
        (self.queue.capacity() + self.slots.capacity()) * std::mem::size_of::<Job>() + self.idle_slots.capacity() * 4
    }
}

/// Service-time factor from load: 1 + α · max(0, in_system / c − 1), at most `slowdown_cap`.
pub fn load_slowdown(config: &Config, in_system: usize) -> f64 {
    let excess = (in_system as f64 / config.workers.max(1) as f64 - 1.0).max(0.0);
    (1.0 + config.slowdown_alpha * excess).min(config.slowdown_cap)
}
