-- Raw events as blocks: one row holds the events of one scope and minute that one
-- write carried, as `<ts ms> 0x1F <message text>` lines joined by 0x1E. A row per
-- event made the engine sort, index and merge every event: 5.3 µs of CPU per event
-- (writing it included), more than everything else the processors do; blocks cost
-- 2.5 µs per event and about 30 % less disk (docs/benchmarks.md).
-- Neither separator can occur in a message: valid JSON text has no raw control
-- characters. Replays after a crash write some events again in other blocks;
-- readers keep one line per (id, ts), as the old table's FINAL did.
-- events_raw (0001) is no longer written; it is still read until its TTL empties it.
CREATE TABLE IF NOT EXISTS {db}.events_raw_blocks
(
    service   LowCardinality(String),
    region    LowCardinality(String),
    minute    DateTime('UTC'),
    first_ts  DateTime64(3, 'UTC'),
    last_ts   DateTime64(3, 'UTC'),
    events    UInt32,
    body      String CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(minute)
ORDER BY (service, region, minute, first_ts)
TTL minute + INTERVAL {rawTtlDays} DAY
