// Runs the generator against a target: as fast as the target takes it, or in
// real time (simulated time follows the wall clock from the start). `npm start`
// runs this in-process with an abort signal; the CLI wraps it for the shell.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventProducer } from '../event-producer.js';
import { argsError } from './errors.js';
import { simulate } from './generator.js';
import { producerTarget, type SendBatch } from './send-targets.js';
import type { GeneratorOptions } from './sim-options.js';

export interface RunOptions {
  generator: GeneratorOptions;
  /** Exactly one of `send` and `producer`. */
  send?: SendBatch;
  producer?: EventProducer;
  /** Pace sends by the wall clock: an event goes out when its send time comes. */
  realtime?: boolean;
  batchSize?: number;
  /** Real time: how long due events gather before their batch goes out. */
  flushIntervalMs?: number;
  signal?: AbortSignal;
  /** Progress lines (stderr by default); null silences them. */
  log?: ((line: string) => void) | null;
  progressIntervalMs?: number;
  /** Wall clock, for tests. */
  now?: () => number;
}

export interface RunSummary {
  sent: number;
  rejected: number;
  batches: number;
  /** Send time of the last event sent, epoch ms; null when none was. */
  lastSendAt: number | null;
  aborted: boolean;
  elapsedMs: number;
}

function pickTarget(o: RunOptions): SendBatch {
  if ((o.send === undefined) === (o.producer === undefined)) throw argsError('runSimulation needs exactly one of send and producer');
  return o.send ?? producerTarget(o.producer!);
}

const aborted = (signal?: AbortSignal) => signal?.aborted === true;

export async function runSimulation(o: RunOptions): Promise<RunSummary> {
  const send = pickTarget(o);
  const now = o.now ?? Date.now;
  const batchSize = o.batchSize ?? 500;
  const flushIntervalMs = o.flushIntervalMs ?? 200;
  const log = o.log === undefined ? (line: string) => process.stderr.write(`${line}\n`) : o.log;
  const realtime = o.realtime ?? false;
  const wallStart = now();
  const simStart = o.generator.start;
  const wallOf = (simTs: number) => wallStart + (simTs - simStart);
  const s: RunSummary = { sent: 0, rejected: 0, batches: 0, lastSendAt: null, aborted: false, elapsedMs: 0 };

  let lastReport = { at: wallStart, sent: 0 };
  const report = (final: boolean) => {
    if (!log) return;
    const t = now();
    // Progress shows the current rate; the final line the run's average.
    const since = final ? { at: wallStart, sent: 0 } : lastReport;
    const rate = ((s.sent - since.sent) * 1000) / Math.max(1, t - since.at);
    lastReport = { at: t, sent: s.sent };
    const sim = s.lastSendAt === null ? '-' : new Date(s.lastSendAt).toISOString();
    const lag = realtime && s.lastSendAt !== null ? `, lag ${((t - wallOf(s.lastSendAt)) / 1000).toFixed(1)} s` : '';
    log(`[simulate] ${final ? 'done: ' : ''}sent ${s.sent} events (${Math.round(rate)}/s), rejected ${s.rejected}, simulated time ${sim}${lag}`);
  };
  const timer = setInterval(() => report(false), o.progressIntervalMs ?? 2000);
  timer.unref();

  let batch: unknown[] = [];
  let batchLastAt = 0;
  let lastFlush = wallStart;
  const flush = async () => {
    if (batch.length === 0) return;
    const { rejected } = await send(batch, o.signal);
    s.sent += batch.length;
    s.rejected += rejected;
    s.batches++;
    s.lastSendAt = batchLastAt;
    batch = [];
    lastFlush = now();
  };

  try {
    const it = simulate(o.generator)[Symbol.iterator]();
    let next = it.next();
    while (!next.done && !aborted(o.signal)) {
      const due = realtime ? simStart + (now() - wallStart) : Infinity;
      while (!next.done && next.value.sendAt <= due && batch.length < batchSize) {
        batch.push(next.value.event);
        batchLastAt = next.value.sendAt;
        next = it.next();
      }
      if (batch.length >= batchSize || next.done || !realtime) {
        await flush();
        continue;
      }
      // Real time and nothing more is due: send what gathered, then wait for the
      // next event, but at least flushIntervalMs, so batches stay reasonably full.
      await flush();
      const wait = Math.max(wallOf(next.value.sendAt), lastFlush + flushIntervalMs) - now();
      if (wait > 0) await sleep(wait, undefined, { signal: o.signal });
    }
    if (!aborted(o.signal)) await flush();
  } catch (err) {
    // An abort interrupts a sleep or a send; that ends the run, it is not a failure.
    if (!aborted(o.signal)) throw err;
  } finally {
    clearInterval(timer);
  }
  s.aborted = aborted(o.signal);
  s.elapsedMs = now() - wallStart;
  report(true);
  return s;
}
