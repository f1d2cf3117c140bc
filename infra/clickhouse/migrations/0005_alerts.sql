-- Alert occurrences (processors/alerts): one row per (fingerprint, starts_at), full
-- state, version 1 while firing and 2 once resolved, so FINAL keeps the newest state
-- and a re-delivered transition after a restart writes the same row again.
CREATE TABLE IF NOT EXISTS {db}.alerts
(
    fingerprint String,
    alertname   LowCardinality(String),
    service     LowCardinality(String),
    region      LowCardinality(String),
    kind        LowCardinality(String),
    subject     LowCardinality(String),
    severity    LowCardinality(String),
    status      LowCardinality(String),
    starts_at   DateTime64(3, 'UTC'),
    ends_at     Nullable(DateTime64(3, 'UTC')),
    summary     String,
    `values`    String,
    version     UInt8,
    -- The dashboard's live channel polls for rows newer than its last look.
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (fingerprint, starts_at);

-- How far the alert evaluator has evaluated each scope (the next minute it expects).
-- On restart it replays the days before this quietly to rebuild its windows and
-- baselines, then delivers only what comes after.
CREATE TABLE IF NOT EXISTS {db}.alert_progress
(
    service     LowCardinality(String),
    region      LowCardinality(String),
    next_minute DateTime('UTC'),
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(next_minute)
ORDER BY (service, region);
