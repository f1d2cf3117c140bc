-- Remembered-id segments are kept a day instead of an hour. With an hour, processors
-- down for more than ~50 minutes could restore without some remembered ids (the TTL
-- took segments their last durable states name), and a repeat of an event from just
-- before the outage would count twice. A day of segments is about 0.5 % of what the
-- raw events keep (3.4 against 22 MiB per minute at 20,000 events/s, raw events kept
-- SQA_RAW_TTL_DAYS = 30 days); docs/processors.md.
ALTER TABLE {db}.processor_ids MODIFY TTL written_at + INTERVAL 1 DAY
