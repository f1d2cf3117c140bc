-- Raw-event blocks merge in wider steps: merge_selector_base 10 instead of 5. The
-- blocks are written once, in chunks of 50,000 events, and read seldom (drill-down);
-- at the default the engine's merges rewrote them about as often as the inserts
-- wrote them. In the pipeline bench (2,400,000-event rounds, paired runs) the
-- engine's merge threads fell from 0.46-0.62 to 0.30-0.35 us of CPU per event and
-- the processors' process from a median of 4.74 to 4.45; the price is more parts
-- at a time in each day's partition (10-11 against 4-6 after 48 chunks), which the
-- drill-down's reads by (service, region, minute) barely feel (docs/benchmarks.md,
-- 2026-11-29 17:44).
ALTER TABLE {db}.events_raw_blocks MODIFY SETTING merge_selector_base = 10
