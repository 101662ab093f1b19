//! The preset scenarios. Most share one backend (10 workers × 10 ms = 1000 req/s) run at 70 %,
//! with a generous queue (2 s of work) and a 1 s timeout, and differ in one policy.

use super::{Preset, chains};
use crate::sim::scenario::{
    AdmissionKind, FillPolicy, JitterKind, QueueDiscipline, Scenario, ScheduledTrigger, TriggerKind,
};

fn spike(at_s: f64, magnitude: f64, duration_s: f64) -> ScheduledTrigger {
    ScheduledTrigger { at_s, kind: TriggerKind::LoadSpike, magnitude, duration_s, tier: 1 }
}

/// 700 req/s of uncached reads against 1000 req/s of backend, 4 attempts, a 2000-deep queue.
fn storm_base() -> Scenario {
    let mut s = Scenario::default();
    s.clients.load_rps = 700.0;
    s.cache.target_hit_rate = 0.0;
    s.backend.queue_limit = 2000;
    s
}

fn retry_storm() -> Scenario {
    let mut s = storm_base();
    s.triggers = vec![spike(20.0, 2.0, 10.0)];
    s
}

fn slow_backend() -> Scenario {
    let mut s = storm_base();
    s.triggers = vec![ScheduledTrigger {
        at_s: 20.0,
        kind: TriggerKind::BackendSlowdown,
        magnitude: 3.0,
        duration_s: 10.0,
        tier: 1,
    }];
    s
}

fn cold_cache(fill: FillPolicy) -> Scenario {
    let mut s = Scenario::default();
    s.clients.load_rps = 6000.0;
    s.cache.target_hit_rate = 0.95;
    s.cache.fill = fill;
    s.backend.queue_limit = 2000;
    // A cache node restart: it empties and is unreachable for 5 s.
    s.triggers = vec![
        ScheduledTrigger { at_s: 20.0, kind: TriggerKind::CacheFlush, magnitude: 1.0, duration_s: 0.0, tier: 1 },
        ScheduledTrigger { at_s: 20.0, kind: TriggerKind::CacheOutage, magnitude: 1.0, duration_s: 5.0, tier: 1 },
    ];
    s
}

/// What the playground opens on: the look-aside cache restarted at 5 s, unreachable for 3 s.
fn cache_restart() -> Scenario {
    let mut s = cold_cache(FillPolicy::LookAside);
    s.triggers = vec![
        ScheduledTrigger { at_s: 5.0, kind: TriggerKind::CacheFlush, magnitude: 1.0, duration_s: 0.0, tier: 1 },
        ScheduledTrigger { at_s: 5.0, kind: TriggerKind::CacheOutage, magnitude: 1.0, duration_s: 3.0, tier: 1 },
    ];
    s
}
fn cold_cache_lookaside() -> Scenario {
    cold_cache(FillPolicy::LookAside)
}

fn cold_cache_writeback() -> Scenario {
    cold_cache(FillPolicy::WriteBack)
}

fn token_bucket() -> Scenario {
    let mut s = retry_storm();
    s.retry.admission = AdmissionKind::TokenBucket;
    s
}

fn retry_budget() -> Scenario {
    let mut s = retry_storm();
    s.retry.admission = AdmissionKind::RetryBudget;
    s
}

fn circuit_breaker() -> Scenario {
    let mut s = retry_storm();
    s.retry.admission = AdmissionKind::CircuitBreaker;
    s
}

/// 500 req/s, a short queue, and a burst of about 1000 requests within 20 ms.
fn jittered_backoff() -> Scenario {
    let mut s = storm_base();
    s.duration_s = 40.0;
    s.metrics.window_s = 0.1;
    s.clients.load_rps = 500.0;
    s.backend.queue_limit = 20;
    s.retry.base_ms = 500.0;
    s.retry.cap_ms = 5000.0;
    s.retry.jitter = JitterKind::Full;
    s.triggers = vec![spike(20.0, 100.0, 0.02)];
    s
}

fn deadline_dropping() -> Scenario {
    let mut s = retry_storm();
    s.retry.max_attempts = 2;
    s.backend.deadline_dropping = true;
    s
}

fn lifo() -> Scenario {
    let mut s = retry_storm();
    s.backend.discipline = QueueDiscipline::Lifo;
    s
}

fn overload() -> Scenario {
    let mut s = storm_base();
    s.clients.load_rps = 1200.0;
    s
}

pub static PRESETS: [Preset; 16] = [
    Preset {
        name: "cache-restart",
        title: "A cache restart the system never recovers from",
        description: "6000 req/s through a cache that answers 95 % of them, settling to 93 %; the 1000 req/s \
            backend serves the rest at a third of its capacity, then 45 %. At 5 s the cache restarts: it \
            empties and is unreachable for 3 s. Every request falls to the backend, its queue fills, waits \
            pass the 1 s timeout and retries pile on. When the cache is back at 8 s it stays cold: look-aside \
            fills come only from answers that reach a caller still waiting, and almost none do. Goodput stays \
            near zero long after, though the same settings started fresh are healthy.",
        scenario: cache_restart,
    },
    Preset {
        name: "healthy",
        title: "A healthy system",
        description: "2500 req/s through a cache that answers about 70 % of them; the backend runs at about \
            70 % utilisation. Every request succeeds and p99 stays far below the 1 s timeout. Start here and \
            drag the load up to find where it tips.",
        scenario: Scenario::default,
    },
    Preset {
        name: "retry-storm",
        title: "Retry storm after a load spike",
        description: "700 req/s against a 1000 req/s backend with a deep queue and 4 attempts per request. A 2× \
            load spike from 20 s to 30 s fills the queue until waits pass the 1 s timeout; timed-out requests \
            retry, attempts climb towards 4× the offered load, and the backend spends all its time on answers \
            nobody waits for. Watch goodput stay near zero long after the spike ends, although the same \
            settings started fresh are healthy: that is metastability.",
        scenario: retry_storm,
    },
    Preset {
        name: "slow-backend",
        title: "A slow backend tips it over",
        description: "The retry-storm system, but the trigger is a 3× backend slowdown from 20 s to 30 s. Once \
            the backend is fast again the retries keep the queue full: goodput stays collapsed.",
        scenario: slow_backend,
    },
    Preset {
        name: "cold-cache-lookaside",
        title: "Cold cache that never heals (look-aside)",
        description: "6000 req/s with a cache sized for a 95 % hit rate keeps the 1000 req/s backend at about \
            half load. At 20 s the cache restarts: it empties and is unreachable for 5 s, so every request \
            goes to the backend and its queue fills with 2 s of work. When the cache is back, answers still \
            arrive after callers gave up, and look-aside fills only for callers still waiting: the cache \
            stays empty and the backend stays overloaded, long after the outage.",
        scenario: cold_cache_lookaside,
    },
    Preset {
        name: "cold-cache-writeback",
        title: "Cold cache that heals (write-back)",
        description: "The same cache restart, but the cache is filled on every backend success even when the \
            caller has gone. The backend's late answers are no longer thrown away: the hottest keys come \
            back within seconds of the outage, the hit rate recovers and so does goodput.",
        scenario: cold_cache_writeback,
    },
    Preset {
        name: "token-bucket",
        title: "Retry quota survives the storm",
        description: "The retry-storm trigger with the AWS SDK standard retry quota (500 tokens, 5 per retry, \
            10 per retry after a timeout, 1 back per success). During the spike the bucket empties, retries \
            stop, and the backend drains its queue: goodput returns to the offered load soon after the spike.",
        scenario: token_bucket,
    },
    Preset {
        name: "retry-budget",
        title: "Retry budget survives the storm",
        description: "The retry-storm trigger with a Finagle-style retry budget (retries at most 20 % of \
            requests plus 10 per second). Retries can add at most about a fifth to the load, so the system \
            recovers soon after the spike.",
        scenario: retry_budget,
    },
    Preset {
        name: "circuit-breaker",
        title: "Circuit breaker sheds the storm",
        description: "The retry-storm trigger with a circuit breaker that opens when half the attempts over \
            10 s fail, fails calls fast for 5 s, then lets 5 probes through. Watch it open during the spike, \
            give the backend time to drain, and close again: goodput recovers soon after the spike.",
        scenario: circuit_breaker,
    },
    Preset {
        name: "jittered-backoff",
        title: "Jitter spreads synchronized retries",
        description: "At 20 s about 1000 requests arrive within 20 ms, far more than the 20-deep queue holds, \
            so most are turned away at the same instant. With full jitter each retry waits a random time up \
            to its backoff (0.5 s, 1 s, 2 s), the retries spread over seconds of spare capacity, and nearly \
            all succeed. Set jitter to none and they retry in lock-step waves that overflow the queue again: \
            most of the burst fails. Windows are 0.1 s long here so the waves show.",
        scenario: jittered_backoff,
    },
    Preset {
        name: "deadline-dropping",
        title: "Deadline dropping ends the wasted work",
        description: "The retry-storm trigger with two attempts per request: without help that storm also \
            persists. Here the backend drops queued work whose caller's deadline has passed instead of \
            serving it, so workers spend their time on requests someone still waits for; the wasted work \
            stops and the system recovers within about 20 s of the spike. Turn dropping off to see it stay \
            collapsed. (With four attempts, dropping alone is not enough: the retries keep the queue full.)",
        scenario: deadline_dropping,
    },
    Preset {
        name: "lifo",
        title: "LIFO queue serves the living",
        description: "The retry-storm trigger with a last-in first-out queue: the newest requests, whose \
            callers are still waiting, are served first, and the stale ones at the bottom are pushed out. \
            Goodput recovers soon after the spike instead of collapsing.",
        scenario: lifo,
    },
    Preset {
        name: "overload",
        title: "Plain overload, not metastable",
        description: "1200 req/s against a 1000 req/s backend with no trigger at all. The system fails, but \
            the same settings started fresh fail too: the banner says Overloaded, not Metastable. Lower the \
            load below capacity and it recovers.",
        scenario: overload,
    },
    Preset {
        name: "layered-retries",
        title: "Retries multiply across layers",
        description: "300 req/s through api → orders → db, and every caller tries 3 times: one user request \
            can become 3 × 3 × 3 = 27 database calls. At 20 s the database slows 5× for 5 s; its queue passes \
            the 0.5 s timeout, every layer retries, and the database receives many times the offered load. \
            Watch it stay collapsed long after the database is fast again, although the same chain started \
            fresh runs at 30 % of the database's capacity. Compare retry-at-one-layer.",
        scenario: chains::layered_retries,
    },
    Preset {
        name: "retry-at-one-layer",
        title: "Retry at one layer, fail fast below",
        description: "The layered-retries chain and the same database slowdown, but only the clients retry; \
            api and orders try once and pass failures up at once. The database sees at most 3 calls per \
            request, its queue drains within seconds of the slowdown, and the chain recovers.",
        scenario: chains::retry_at_one_layer,
    },
    Preset {
        name: "pool-exhaustion",
        title: "A slow database exhausts the front's workers",
        description: "1000 req/s to a front tier whose 150 workers each spend 5 ms of their own and then call \
            a database, waiting for it. At 20 s the database slows 20× for 10 s: every front worker sits \
            waiting on it, the front's queue fills and its callers time out, although the front's own work \
            is as fast as ever. Choose 2 · db under Tiers and set its Timeout to 0.06 s, or its Concurrency \
            limit (Backend, Advanced) to 25: front workers are freed at once, and the front stays responsive \
            while the database is slow.",
        scenario: chains::pool_exhaustion,
    },
];
