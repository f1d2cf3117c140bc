// The pure core's public surface (no I/O anywhere below this folder).
export { createProcessorCore, type ProcessorCore, type ApplyOutcome, type CoreOptions, type CoreStats, type Drained } from './processor-core.js';
export { referencedSegments, type ScopeSnapshot } from './snapshot.js';
export type { IdSegment } from './id-segments.js';
export { ACK_GRACE_MS, type AlarmRecord } from './alarm-lifecycle.js';
export { REOPEN_GRACE_MS, type TicketRecord } from './ticket-lifecycle.js';
export {
  emptyRollup, mergeRollup, figuresFromRollup, alignStart, RESOLUTIONS, RESOLUTION_MS, COUNTERS,
  type Rollup, type Resolution, type RollupFigures, type Counter,
} from './rollup.js';
export {
  sketchAdd, sketchOf, sketchMerge, sketchMergeAll, sketchQuantile, sketchQuantiles, sketchCount, sketchValue, sketchKey, nearestRank,
  sketchFromRecord, sketchToRecord, sketchJson,
  EMPTY_SKETCH, ZERO_KEY, SKETCH_ALPHA, SKETCH_GAMMA, SKETCH_MIN_VALUE, type Sketch, type SketchRecord,
} from './sketch.js';
export { unionLength, unionIntervals, type Interval } from './outage-intervals.js';
export { CoreError } from './errors.js';
