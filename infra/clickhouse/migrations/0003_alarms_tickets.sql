-- Alarm intervals (one row per raise of an alarmId) and complaint tickets, full state
-- per row, versioned like the rollups. Downtime, incidents and the complaint loop are
-- computed from these exact intervals rather than from per-minute approximations.
CREATE TABLE IF NOT EXISTS {db}.alarms
(
    service           LowCardinality(String),
    region            LowCardinality(String),
    alarm_id          String,
    element           String,
    severity          LowCardinality(String),
    service_affecting UInt8,
    outage            UInt8,
    raised            DateTime64(3, 'UTC'),
    acked             Nullable(DateTime64(3, 'UTC')),
    cleared           Nullable(DateTime64(3, 'UTC')),
    version           UInt64,
    -- 1 when an out-of-order event moved the occurrence (e.g. an earlier raise arrived
    -- late): the row under the old raise time is retracted; FINAL then drops it.
    is_deleted        UInt8 DEFAULT 0,
    updated_at        DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY toYYYYMM(raised)
ORDER BY (service, region, raised, alarm_id);

CREATE TABLE IF NOT EXISTS {db}.tickets
(
    service      LowCardinality(String),
    region       LowCardinality(String),
    ticket_id    String,
    element      String,
    category     LowCardinality(String),
    state        LowCardinality(String),
    opened       DateTime64(3, 'UTC'),
    acked        Nullable(DateTime64(3, 'UTC')),
    resolved     Nullable(DateTime64(3, 'UTC')),
    closed       Nullable(DateTime64(3, 'UTC')),
    reopen_count UInt32,
    version      UInt64,
    -- 1 when a late earlier `opened` moved the ticket: the row under the old open time is retracted.
    is_deleted   UInt8 DEFAULT 0,
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY toYYYYMM(opened)
ORDER BY (service, region, opened, ticket_id)
