// The pure core's public surface (no I/O anywhere below this folder).
export { createProcessorCore, type ProcessorCore, type ApplyOutcome, type CoreOptions, type Drained } from './processor-core.js';
export type { ScopeSnapshot } from './snapshot.js';
export type { AlarmRecord } from './alarm-lifecycle.js';
export type { TicketRecord } from './ticket-lifecycle.js';
export { emptyRollup, mergeRollup, figuresFromRollup, alignStart, RESOLUTIONS, RESOLUTION_MS, type Rollup, type Resolution, type RollupFigures } from './rollup.js';
export { sketchAdd, sketchMerge, sketchQuantile, sketchCount, sketchValue, sketchKey, ZERO_KEY, SKETCH_ALPHA, type Sketch } from './sketch.js';
export { unionLength, unionIntervals, type Interval } from './outage-intervals.js';
