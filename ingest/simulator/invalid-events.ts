// Broken variants of good events, for testing that the pipeline rejects each
// with a reason and keeps going (CONTRACT.md section 1). Every variant breaks
// exactly one rule; its id (if any) differs from the original's so a rejection
// cannot be mistaken for a duplicate.
import type { Rng } from './prng.js';
import type { WireEvent } from './sim-context.js';

type Breaker = (e: WireEvent, rng: Rng) => unknown;

const GENERIC: Breaker[] = [
  (e) => without(e, 'id'),
  (e) => ({ ...e, id: '' }),
  (e) => ({ ...e, id: 'x'.repeat(129) }),
  (e) => ({ ...e, type: 'metric' }),
  (e) => without(e, 'type'),
  (e) => ({ ...e, ts: 'yesterday' }),
  (e) => without(e, 'ts'),
  // Seconds sent as milliseconds: a classic unit mistake, lands in 1970.
  (e) => ({ ...e, ts: Math.floor(Date.parse(String(e.ts)) / 1000) || Math.floor(Number(e.ts) / 1000) }),
  (e) => ({ ...e, ts: '2026-01-31 10:00:00' }),
  (e) => ({ ...e, service: 'Mobile Data' }),
  (e) => without(e, 'region'),
  (e) => ({ ...e, region: 42 }),
  (e) => ({ ...e, attrs: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }),
  (e) => ({ ...e, attrs: { site: 7 } }),
  () => 'not an event',
  () => null,
  () => [],
];

const BY_TYPE: Record<string, Breaker[]> = {
  alarm: [
    (e) => ({ ...e, severity: 'fatal' }),
    (e) => ({ ...e, state: 'open' }),
    (e) => without(e, 'alarmId'),
    (e) => ({ ...e, serviceAffecting: 'yes' }),
  ],
  probe: [
    (e) => ({ ...without(e, 'latencyMs'), ok: true }),
    (e) => ({ ...e, ok: true, latencyMs: -5 }),
    (e) => ({ ...e, ok: 'true' }),
  ],
  complaint: [
    (e) => ({ ...without(e, 'category'), state: 'opened' }),
    (e) => ({ ...e, state: 'escalated' }),
    (e) => ({ ...e, state: 'opened', category: 'coverage' }),
  ],
  survey: [
    (e) => ({ ...e, scale: 'nps', score: 11 }),
    (e) => ({ ...e, scale: 'csat', score: 0 }),
    (e) => ({ ...e, score: 3.5 }),
    (e) => ({ ...e, scale: 'ces' }),
  ],
};

function without(e: WireEvent, key: string): WireEvent {
  const copy = { ...e };
  delete copy[key];
  return copy;
}

export function breakEvent(rng: Rng, e: WireEvent): unknown {
  const specific = BY_TYPE[String(e.type)] ?? [];
  const breaker = rng.chance(0.4) && specific.length > 0 ? rng.pick(specific) : rng.pick(GENERIC);
  const broken = breaker({ ...e, id: `${String(e.id)}~bad` }, rng);
  return broken;
}
