-- The remembered event ids of each scope (processors/core/dedup.ts), stored apart
-- from processor_state so that a snapshot writes only the ids added since the last
-- durable one (docs/processors.md, "Remembered ids"). Each row is one segment: a
-- run of a generation's arena code units (each id after its length), written once
-- under a segment id unique to the writing core, never overwritten; a state row
-- names the segments (and how many code units of each) that belong to it.
-- `units` holds one byte per code unit when every unit is ASCII (`wide` = 0), else
-- base64 of the UTF-16LE bytes (`wide` = 1).
--
-- Obsolete segments go by TTL. The processors rewrite, as one new segment, any
-- generation whose oldest referenced segment is older than 10 minutes (even in a
-- quiet scope), so a state row of a running processor only ever references
-- segments younger than about 10 minutes; the hour leaves room for restarts.
-- Rows sharing a key are retries of the same write (same content).
CREATE TABLE IF NOT EXISTS {db}.processor_ids
(
    consumer_group String,
    topic          String,
    partition      UInt32,
    scope          String,
    generation     UInt64,
    segment        String,
    wide           UInt8,
    units          String CODEC(ZSTD(3)),
    written_at     DateTime
)
ENGINE = ReplacingMergeTree
PARTITION BY toStartOfHour(written_at)
ORDER BY (consumer_group, topic, partition, scope, generation, segment)
TTL written_at + INTERVAL 1 HOUR
SETTINGS ttl_only_drop_parts = 1, merge_with_ttl_timeout = 900
