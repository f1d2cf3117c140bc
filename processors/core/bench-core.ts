// Throughput of the pure core alone on one core (no Kafka, no ClickHouse, no JSON):
// a probe-heavy mix over many scopes, the shape of a real feed. Printed by
// `npm run bench`, never asserted in tests.
import type { SqaEvent } from '../../events/types.js';
import { createProcessorCore } from './processor-core.js';

export interface CoreBenchOptions {
  events?: number;
  scopes?: number;
}

export interface CoreBenchResult {
  events: number;
  scopes: number;
  seconds: number;
  eventsPerSec: number;
}

/** Deterministic events: 94 % probes, 3 % surveys, 2 % alarms, 1 % tickets; time advances 1 ms per event. */
export function benchEvents(count: number, scopes: number, start = Date.UTC(2026, 0, 1)): SqaEvent[] {
  return [...benchEventStream(count, scopes, start)];
}

export function* benchEventStream(count: number, scopes: number, start = Date.UTC(2026, 0, 1)): Generator<SqaEvent> {
  const services = ['mobile-data', 'voice', 'broadband', 'iptv', 'sms'];
  let x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < count; i++) {
    const s = i % scopes;
    const base = { id: `b${i}`, ts: start + i, service: services[s % 5]!, region: `r${Math.floor(s / 5)}` };
    const k = i % 100;
    if (k < 94) yield { ...base, type: 'probe', ok: k !== 0, latencyMs: 10 + rnd() * 90 };
    else if (k < 97) yield { ...base, type: 'survey', scale: k === 94 ? 'csat' : 'nps', score: k === 94 ? 1 + (i % 5) : i % 11 };
    else if (k < 99) yield { ...base, type: 'alarm', alarmId: `a${Math.floor(i / 1000)}`, state: k === 97 ? 'raised' : 'cleared', severity: 'major', serviceAffecting: true };
    else yield { ...base, type: 'complaint', ticketId: `t${Math.floor(i / 500)}`, state: 'opened', category: 'network' };
  }
}

export function benchCore(o: CoreBenchOptions = {}): CoreBenchResult {
  const count = o.events ?? 1_000_000;
  const scopes = o.scopes ?? 1000;
  const events = benchEvents(count, scopes);
  const core = createProcessorCore({ clock: () => 0 });
  // Warm up the JIT on a separate core so the timed run measures steady state.
  const warm = createProcessorCore({ clock: () => 0 });
  for (let i = 0; i < Math.min(200_000, count); i++) warm.apply(events[i]!, i);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    core.apply(events[i]!, i);
    if ((i & 0xffff) === 0xffff) core.drain(); // the processor drains about once a second
  }
  core.drain();
  const seconds = (performance.now() - t0) / 1000;
  return { events: count, scopes, seconds, eventsPerSec: count / seconds };
}

/** Heap held by the core with `scopes` active scopes (each with open windows and recent ids). */
export function coreMemory(scopes: number, eventsPerScope = 20): { scopes: number; heapMb: number; bytesPerScope: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const core = createProcessorCore({ clock: () => 0 });
  let i = 0;
  for (const e of benchEventStream(scopes * eventsPerScope, scopes)) {
    core.apply(e, i++);
    if ((i & 0xffff) === 0) core.drain();
  }
  core.drain();
  gc?.();
  const used = process.memoryUsage().heapUsed - before;
  if (core.scopeCount() !== scopes) throw new Error(`expected ${scopes} scopes, got ${core.scopeCount()}`);
  return { scopes, heapMb: used / 2 ** 20, bytesPerScope: used / scopes };
}
