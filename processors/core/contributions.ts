// What an alarm or ticket adds to the window its event time falls in (CONTRACT.md
// section 4: faults at the raise, MTTR at the clear, MTTA at the first ack, …).
// Lifecycles are re-derived when an event arrives, possibly out of order; the
// difference between the contributions before and after (as multisets) is exactly
// what to take out of and put into the windows. An event at time t only changes
// contributions at times ≥ t, and t is at or after the watermark, so the windows
// touched are always open.
import type { Counter } from './rollup.js';

export interface Contribution {
  ts: number;
  /** Counter incremented by one. */
  count: Counter;
  /** Counter that takes `value` (a duration in ms), if any. */
  sum: Counter | null;
  value: number;
}

function same(a: Contribution, b: Contribution): boolean {
  return a.ts === b.ts && a.count === b.count && a.sum === b.sum && a.value === b.value;
}

/**
 * Contributions in `before` and not in `after` (removed), and the other way round
 * (added). The lists hold a handful of items, so a quadratic match beats hashing.
 */
export function diffContributions(before: readonly Contribution[], after: readonly Contribution[]): { removed: Contribution[]; added: Contribution[] } {
  const matched = new Array<boolean>(before.length).fill(false);
  const added: Contribution[] = [];
  for (const a of after) {
    let i = 0;
    while (i < before.length && (matched[i] || !same(before[i]!, a))) i++;
    if (i < before.length) matched[i] = true;
    else added.push(a);
  }
  const removed = before.filter((_, i) => !matched[i]);
  return { removed, added };
}
