-- Per-scope processor state snapshots (open windows, open alarms and tickets, recent
-- ids), keyed by the partition that owns the scope. `offset` is the last Kafka offset
-- the state includes: on restore, messages at or below it are skipped, so a replay
-- never applies an event twice.
CREATE TABLE IF NOT EXISTS {db}.processor_state
(
    consumer_group String,
    topic          String,
    partition      UInt32,
    scope          String,
    offset         Int64,
    state          String CODEC(ZSTD)
)
ENGINE = ReplacingMergeTree(offset)
ORDER BY (consumer_group, topic, partition, scope)
