// Open windows of one scope (CONTRACT.md section 3). Events update only the minute
// window they fall in; an hour or day row is its `base` (the minutes already folded
// in) plus the minutes still open, summed when rows are drained. So every event
// costs one window update, not three, and coarser rollups still need no
// re-aggregation at query time.
import { LatencyBins } from './latency-bins.js';
import { emptyRollup, type Resolution, type Rollup } from './rollup.js';

/** Counters of a Rollup plus its latency sketch (latency-bins.ts); a class keeps one fixed shape for the JIT. */
export class WindowAcc {
  probes = 0;
  probesOk = 0;
  faults = 0;
  mttrSumMs = 0;
  mttrCount = 0;
  mttaSumMs = 0;
  mttaCount = 0;
  openedNetwork = 0;
  openedBilling = 0;
  openedService = 0;
  openedOther = 0;
  responseSumMs = 0;
  responseCount = 0;
  resolutionSumMs = 0;
  resolutionCount = 0;
  resolvedTimely = 0;
  npsResponses = 0;
  npsPromoters = 0;
  npsDetractors = 0;
  csatResponses = 0;
  csatSatisfied = 0;
  latency = new LatencyBins();
}

/** An hour or a day: `base` holds the minutes folded in after they closed. */
export class PeriodWindow extends WindowAcc {
  final = false;
  /** Changed since the last drain. */
  dirty = false;
  constructor(
    readonly res: Resolution,
    readonly start: number,
    readonly end: number,
  ) {
    super();
  }
}

export class MinuteWindow extends WindowAcc {
  final = false;
  /** Changed since the last drain (a flag, not a Set: cheaper per event). */
  dirty = false;
  readonly end: number;
  constructor(
    readonly start: number,
    readonly hour: PeriodWindow,
    readonly day: PeriodWindow,
  ) {
    super();
    this.end = start + 60_000;
  }
}

export function addAcc(into: WindowAcc, from: WindowAcc): void {
  addCounters(into, from);
  into.latency.addBins(from.latency);
}

/**
 * Adds the counters of `from` (the sketch is the caller's). Written out rather than
 * looped over COUNTERS: a keyed loop costs several times more per drained row.
 */
export function addCounters(into: Omit<Rollup, 'latency'> | WindowAcc, from: WindowAcc): void {
  into.probes += from.probes;
  into.probesOk += from.probesOk;
  into.faults += from.faults;
  into.mttrSumMs += from.mttrSumMs;
  into.mttrCount += from.mttrCount;
  into.mttaSumMs += from.mttaSumMs;
  into.mttaCount += from.mttaCount;
  into.openedNetwork += from.openedNetwork;
  into.openedBilling += from.openedBilling;
  into.openedService += from.openedService;
  into.openedOther += from.openedOther;
  into.responseSumMs += from.responseSumMs;
  into.responseCount += from.responseCount;
  into.resolutionSumMs += from.resolutionSumMs;
  into.resolutionCount += from.resolutionCount;
  into.resolvedTimely += from.resolvedTimely;
  into.npsResponses += from.npsResponses;
  into.npsPromoters += from.npsPromoters;
  into.npsDetractors += from.npsDetractors;
  into.csatResponses += from.csatResponses;
  into.csatSatisfied += from.csatSatisfied;
}

/** A Rollup row holding the counters and sketch of one accumulator. */
export function rollupOf(acc: WindowAcc, service: string, region: string, res: Resolution, start: number): Rollup {
  const r = emptyRollup(service, region, res, start);
  addCounters(r, acc);
  r.latency = acc.latency.toSketch();
  return r;
}
