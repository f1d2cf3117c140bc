// What an alarm or ticket adds to the window its event time falls in. Lifecycles
// are re-derived when an out-of-order event arrives; comparing the contributions
// before and after (as multisets) tells exactly what to take out and put in.
import type { Counter } from './rollup.js';

export interface Contribution {
  ts: number;
  count: Counter;
  sum?: Counter;
  value: number;
}

function key(c: Contribution): string {
  return `${c.count}|${c.ts}|${c.value}`;
}

/** Contributions in `before` but not in `after` (removed) and the other way round (added). */
export function diffContributions(before: readonly Contribution[], after: readonly Contribution[]): { removed: Contribution[]; added: Contribution[] } {
  const counts = new Map<string, { c: Contribution; n: number }>();
  for (const c of before) {
    const k = key(c);
    const e = counts.get(k);
    if (e) e.n++;
    else counts.set(k, { c, n: 1 });
  }
  const added: Contribution[] = [];
  for (const c of after) {
    const e = counts.get(key(c));
    if (e && e.n > 0) e.n--;
    else added.push(c);
  }
  const removed: Contribution[] = [];
  for (const { c, n } of counts.values()) for (let i = 0; i < n; i++) removed.push(c);
  return { removed, added };
}
