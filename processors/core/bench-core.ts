// Throughput of the pure core alone on one core (no Kafka, no ClickHouse, no JSON):
// plain pre-normalised events, a probe-heavy mix over many scopes. Printed by
// `npm run bench`, never asserted in tests (timing depends on the machine).
//
// Events are generated in chunks outside the timed loop, with fresh id, service and
// region strings as JSON.parse would give, so string hashing is measured honestly
// and the heap does not hold a million pre-built events.
import type { SqaEvent } from '../../events/types.js';
import { createProcessorCore } from './processor-core.js';

export interface CoreBenchOptions {
  /** Timed events (default 2,000,000). */
  events?: number;
  /** Active scopes (default 1,000). */
  scopes?: number;
  /** Drain (and run the idle check) every this many events (default 250,000: 4 drains per second at 1M/s). */
  drainEvery?: number;
  /** Untimed warm-up events on a separate core, so the JIT is in steady state (default 300,000). */
  warmup?: number;
  /**
   * Event-time speed (default 1 event per ms: each scope opens a new minute every 60
   * events, far more window churn and rows per drain than a live feed at this rate;
   * 1,000 means event time keeps pace with a 1M events/s feed).
   */
  eventsPerMs?: number;
}

export interface CoreBenchResult {
  events: number;
  scopes: number;
  eventsPerMs: number;
  seconds: number;
  eventsPerSec: number;
  drains: number;
  rowsDrained: number;
  /** Of `seconds`, the time spent in drain() and closeIdle(). */
  drainSeconds: number;
  /**
   * Events per second of this process's CPU time in the timed loop: steadier than
   * wall time on a shared machine (GC helper threads count too, so it is not flattering).
   */
  eventsPerCpuSec: number;
}

const SERVICES = ['mobile-data', 'voice', 'broadband', 'iptv', 'sms'];
const START = Date.UTC(2026, 0, 1);

/** A fresh copy of a string (a new object with its hash not yet computed). */
const fresh = (s: string): string => `${s} `.slice(0, -1);

/**
 * Deterministic event i of the mix: 94 % probes (1 % of them failed, latency
 * log-normal, median 40 ms), 3 % surveys, 2 % alarms (each raised, acknowledged and
 * cleared within minutes in its scope), 1 % tickets (opened, acknowledged, resolved,
 * closed). Event time advances 1 ms per event by default, so with 1,000 scopes each
 * sees about one event per second of event time and windows open and close all
 * through the run.
 *
 * Each event is one object literal per type (as a literal-building normaliser or
 * JSON.parse gives): objects built with spread (`{...base, type}`) were measured to
 * cost 50–90 ns per property read on Node 20, ten times a literal's.
 */
export function benchEvent(i: number, scopes: number, start = START, eventsPerMs = 1): SqaEvent {
  const s = i % scopes;
  const round = Math.floor(i / scopes);
  const id = `e${i}`;
  const ts = start + Math.floor(i / eventsPerMs);
  const service = fresh(SERVICES[s % SERVICES.length]!);
  const region = `r${Math.floor(s / SERVICES.length)}`;
  const k = round % 100;
  // A hash of i as the "random" number: deterministic and allocation-free.
  const h = (Math.imul(i ^ (i >>> 16), 0x45d9f3b) >>> 0) / 4294967296;
  if (k < 94) {
    if (h < 0.01) return { id, ts, service, region, type: 'probe', ok: false };
    const z = Math.sqrt(-2 * Math.log(1 - h)) * Math.cos(2 * Math.PI * ((i * 0.618034) % 1));
    return { id, ts, service, region, type: 'probe', ok: true, latencyMs: 40 * Math.exp(0.6 * z) };
  }
  if (k < 97) {
    return k === 94
      ? { id, ts, service, region, type: 'survey', scale: 'csat', score: 1 + (round % 5) }
      : { id, ts, service, region, type: 'survey', scale: 'nps', score: round % 11 };
  }
  const cycle = Math.floor(round / 100);
  if (k < 99) {
    // Rounds 97 and 98 of every 100: raise then ack in even cycles, a repeated ack then the clear in odd ones.
    const state = cycle % 2 === 0 ? (k === 97 ? 'raised' : 'acknowledged') : k === 97 ? 'acknowledged' : 'cleared';
    return { id, ts, service, region, type: 'alarm', alarmId: `a${s}-${cycle >> 1}`, state, severity: 'major', serviceAffecting: true };
  }
  const states = ['opened', 'acknowledged', 'resolved', 'closed'] as const;
  return { id, ts, service, region, type: 'complaint', ticketId: `t${s}-${cycle >> 2}`, state: states[cycle % 4]!, category: 'network' };
}

export function* benchEventStream(count: number, scopes: number, start = START): Generator<SqaEvent> {
  for (let i = 0; i < count; i++) yield benchEvent(i, scopes, start);
}

export function benchEvents(count: number, scopes: number, start = START): SqaEvent[] {
  return [...benchEventStream(count, scopes, start)];
}

const CHUNK = 4096;

/**
 * The densities `npm run bench -- core` reports, worst first. With S scopes and event
 * time advancing eventsPerMs events per ms, each scope sees 60,000 × eventsPerMs / S
 * events per minute window, so the rows drained per event fall as density rises:
 *  - eventsPerMs 1: a catch-up replay of a sparse feed (1,000 events/s of event time
 *    replayed at full speed): every scope opens a new minute every S/1,000 × 60 events.
 *    The worst case for window churn and rows per drain; the headline figure.
 *  - eventsPerMs 20: catching up a 20,000 events/s feed (the latency bench's rate).
 *  - eventsPerMs 1000: a live feed at 1,000,000 events/s, event time keeping pace with
 *    the wall clock: this is the case the "1M events/s on one core" describes.
 * Each density with 1,000 and with 10,000 scopes (with 10,000 the drain dominates).
 */
export const CORE_BENCH_CASES: readonly { scopes: number; eventsPerMs: number }[] = [
  { scopes: 1000, eventsPerMs: 1 },
  { scopes: 1000, eventsPerMs: 20 },
  { scopes: 1000, eventsPerMs: 1000 },
  { scopes: 10_000, eventsPerMs: 1 },
  { scopes: 10_000, eventsPerMs: 20 },
  { scopes: 10_000, eventsPerMs: 1000 },
];

export async function benchCore(o: CoreBenchOptions = {}): Promise<CoreBenchResult> {
  const count = o.events ?? 2_000_000;
  const scopes = o.scopes ?? 1000;
  const drainEvery = o.drainEvery ?? 250_000;
  const warm = createProcessorCore({ clock: () => 0 });
  for (let i = 0; i < (o.warmup ?? 300_000); i++) {
    warm.apply(benchEvent(i, scopes, START, o.eventsPerMs), i);
    if (i % drainEvery === drainEvery - 1) warm.drain();
  }
  warm.drain();

  const core = createProcessorCore({ clock: () => 0 });
  const chunk: SqaEvent[] = new Array<SqaEvent>(CHUNK);
  let ms = 0;
  let drainMs = 0;
  let cpuMs = 0;
  let drains = 0;
  let rows = 0;
  for (let from = 0; from < count; from += CHUNK) {
    const n = Math.min(CHUNK, count - from);
    for (let j = 0; j < n; j++) chunk[j] = benchEvent(from + j, scopes, START, o.eventsPerMs);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let j = 0; j < n; j++) {
      const i = from + j;
      core.apply(chunk[j]!, i);
      if (i % drainEvery === drainEvery - 1) {
        const d0 = performance.now();
        core.closeIdle();
        const d = core.drain();
        drainMs += performance.now() - d0;
        rows += d.rollups.length + d.alarms.length + d.tickets.length;
        drains++;
      }
    }
    ms += performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpuMs += (c.user + c.system) / 1000;
    await Promise.resolve(); // let the caller's other work in between chunks
  }
  const t0 = performance.now();
  const d = core.drain();
  ms += performance.now() - t0;
  drainMs += performance.now() - t0;
  rows += d.rollups.length + d.alarms.length + d.tickets.length;
  return {
    events: count, scopes, eventsPerMs: o.eventsPerMs ?? 1, seconds: ms / 1000, eventsPerSec: count / (ms / 1000), drains: drains + 1, rowsDrained: rows, drainSeconds: drainMs / 1000,
    eventsPerCpuSec: count / (cpuMs / 1000),
  };
}

/**
 * Memory held by the core with `scopes` active scopes (each with open windows and
 * recent ids): JS heap plus typed-array buffers (sketches and id tables live there).
 */
export function coreMemory(scopes: number, eventsPerScope = 20): { scopes: number; heapMb: number; bytesPerScope: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  // Several collections: a typed array's buffer is freed by the collection after the
  // one that found it dead, so after the core bench a single gc() left ~85 MB of its
  // buffers counted in the baseline, and the figure came out negative.
  const settle = () => { for (let k = 0; k < 4; k++) gc?.(); };
  settle();
  const before = used();
  const core = createProcessorCore({ clock: () => 0 });
  let i = 0;
  for (const e of benchEventStream(scopes * eventsPerScope, scopes)) {
    core.apply(e, i++);
    if ((i & 0xffff) === 0) core.drain();
  }
  core.drain();
  settle();
  const bytes = used() - before;
  if (core.scopeCount() !== scopes) throw new Error(`expected ${scopes} scopes, got ${core.scopeCount()}`);
  return { scopes, heapMb: bytes / 2 ** 20, bytesPerScope: bytes / scopes };
}
