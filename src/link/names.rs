//! Short names for the fields people change most; used in links and in an embed's `controls=` list.

/// (short name, dotted path).
pub const SHORT: [(&str, &str); 14] = [
    ("load", "clients.load_rps"),
    ("timeout", "clients.timeout_s"),
    ("retries", "retry.max_attempts"),
    ("backoff", "retry.backoff"),
    ("jitter", "retry.jitter"),
    ("admission", "retry.admission"),
    ("hit", "cache.target_hit_rate"),
    ("ttl", "cache.ttl_s"),
    ("fill", "cache.fill"),
    ("coalescing", "cache.coalescing"),
    ("workers", "backend.workers"),
    ("service", "backend.service_time_ms"),
    ("queue", "backend.queue_limit"),
    ("order", "backend.discipline"),
];

/// The dotted path a link key stands for: a short name's field, or the key itself.
pub fn path_of(key: &str) -> &str {
    SHORT.iter().find(|(short, _)| *short == key).map_or(key, |(_, path)| path)
}

/// The key a field is written under: its short name if it has one, else its dotted path.
pub fn key_of(path: &str) -> &str {
    SHORT.iter().find(|(_, p)| *p == path).map_or(path, |(short, _)| short)
}
