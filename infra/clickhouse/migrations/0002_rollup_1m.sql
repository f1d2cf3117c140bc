-- Window rollups at 1m resolution, one full-state row per (scope, window): the
-- processor re-emits the whole aggregate whenever it changes, versioned by Kafka offset
-- (×2, +1 once final), so replays write identical rows and FINAL keeps the newest.
CREATE TABLE IF NOT EXISTS {db}.rollup_1m
(
    service           LowCardinality(String),
    region            LowCardinality(String),
    start             DateTime('UTC') CODEC(Delta, ZSTD),
    version           UInt64,
    final             UInt8,
    probes            UInt64,
    probes_ok         UInt64,
    latency           Map(Int32, UInt64),
    faults            UInt32,
    mttr_sum_ms       Int64,
    mttr_count        UInt32,
    mtta_sum_ms       Int64,
    mtta_count        UInt32,
    opened_network    UInt32,
    opened_billing    UInt32,
    opened_service    UInt32,
    opened_other      UInt32,
    response_sum_ms   Int64,
    response_count    UInt32,
    resolution_sum_ms Int64,
    resolution_count  UInt32,
    resolved_timely   UInt32,
    nps_responses     UInt32,
    nps_promoters     UInt32,
    nps_detractors    UInt32,
    csat_responses    UInt32,
    csat_satisfied    UInt32,
    -- When the row was written: the live channel polls for rows newer than its last look.
    updated_at        DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(start)
ORDER BY (service, region, start)
