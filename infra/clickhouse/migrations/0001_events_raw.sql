-- Every valid event, for drill-down (service → region → incident → alarms → raw events).
-- The ordering key leads with the scope and time so "this scope in this range" reads a
-- narrow slice; bloom filters find one element, alarm or ticket inside it.
-- ReplacingMergeTree on (…, ts, id): a replay after a crash re-inserts the same rows
-- and merges fold them; readers that must be exact use FINAL or LIMIT 1 BY id.
CREATE TABLE IF NOT EXISTS {db}.events_raw
(
    ts        DateTime64(3, 'UTC') CODEC(Delta, ZSTD),
    service   LowCardinality(String),
    region    LowCardinality(String),
    type      LowCardinality(String),
    id        String,
    element   String,
    ref_id    String,
    state     LowCardinality(String),
    payload   String CODEC(ZSTD),
    INDEX idx_element element TYPE bloom_filter GRANULARITY 4,
    INDEX idx_ref ref_id TYPE bloom_filter GRANULARITY 4,
    INDEX idx_id id TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (service, region, ts, id)
TTL toDateTime(ts) + INTERVAL {rawTtlDays} DAY
