// The processors' Kafka side: a consumer-group member that feeds the pure core
// one core per assigned partition, flushes what the core emits to ClickHouse, and
// commits offsets only after the state that includes them is durable
// (docs/processors.md explains why this gives exactly-once figures).
import { randomBytes } from 'node:crypto';
import { PartitionAssigners, Partitioners, type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import type { Db } from '../infra/clickhouse/client.js';
import type { Config } from '../infra/config.js';
import { validateEvent } from '../events/schema.js';
import { parseCanonicalProbe } from '../events/fast-probe.js';
import type { SqaEvent } from '../events/types.js';
import { createProcessorCore, type ApplyOutcome, type ProcessorCore, type ScopeSnapshot } from './core/index.js';
import { insertRaw, writeFigures, type SinkBatch } from './clickhouse-sink.js';
import { loadSnapshots, saveSnapshots } from './state-store.js';
import { backoffDelay } from './retry.js';
import type { ProcessorMetrics } from './metrics.js';
import { PendingRows } from './pending-rows.js';
import { superviseConsumer, type ConsumerSupervisor } from './consumer-supervisor.js';
import { balancedAssigner } from './balanced-assigner.js';
import { chunkMessages } from '../infra/kafka/chunk-messages.js';
import { deadLetterValue } from '../infra/kafka/dead-letter.js';

export interface ProcessorDeps {
  kafka: Kafka;
  db: Db;
  config: Pick<Config, 'latenessMs' | 'idleCloseMs' | 'flushIntervalMs' | 'snapshotIntervalMs' | 'kafka'>;
  resolutionTargetMs: (service: string) => number;
  metrics?: ProcessorMetrics;
  /** Called after a flush made new figures durable, with the scopes it touched. */
  onFlushed?: (scopes: Set<string>) => void;
  clock?: () => number;
  log?: (msg: string, extra?: unknown) => void;
  /** Pause consumption while this many raw events wait for the sink. */
  maxPendingEvents?: number;
  /** Write raw events early, while consuming on, once this many wait (default RAW_CHUNK_EVENTS). */
  rawChunkEvents?: number;
  /** Instrumentation: called after each snapshot became durable. */
  onSnapshot?: (s: SnapshotStats) => void;
}

export interface SnapshotStats {
  scopes: number;
  /** Bytes of snapshot data written (state rows as JSON characters, id segments as RowBinary bytes). */
  bytes: number;
  /** Serialising the scopes (synchronous: the event loop waits for it). */
  captureMs: number;
  /** Writing the snapshot to the state store. */
  writeMs: number;
}

interface PartitionState {
  core: ProcessorCore;
  /** Last offset handed to the core (applied, skipped, late or rejected). */
  lastOffset: number;
}

export interface Processor {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Flush now (tests, shutdown). */
  flush(snapshot?: boolean): Promise<void>;
  /** partitions: those assigned to this member at the last group join. */
  stats(): { partitions: number[]; scopes: number; pendingRaw: number; pendingRows: number; handled: number };
}

/**
 * Raw events written early in chunks of this many. Each insert is a part the engine
 * later merges: at 20,000 the engine's insert and merge CPU was 0.74–0.89 µs per
 * event in the pipeline bench, at 50,000 0.58–0.69. Larger chunks mean more bytes
 * waiting outside the JS heap, which bring V8's full collections sooner; at 100,000
 * that ate the gain (docs/benchmarks.md, 2026-11-29 05:20 and 07:50).
 */
const RAW_CHUNK_EVENTS = 50_000;
/** Messages handled between two checks that the batch is still wanted (not revoked or sought away). */
const STALE_CHECK_EVERY = 256;
/** Messages between two heartbeats (and chances to start an early raw write) within a batch; a multiple of STALE_CHECK_EVERY. */
const HEARTBEAT_EVERY = 20 * STALE_CHECK_EVERY;
/** A message without a value (a tombstone): refused as invalid JSON, like an empty one. */
const EMPTY = Buffer.alloc(0);
/**
 * Messages' text. Fatal: invalid UTF-8 throws instead of quietly turning bytes into
 * U+FFFD; a BOM is kept, as Buffer#toString keeps it (JSON.parse then refuses it). One
 * pass over the bytes, where isUtf8 and then toString took two (~50 ns a message).
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function createProcessor(d: ProcessorDeps): Processor {
  const clock = d.clock ?? Date.now;
  const log = d.log ?? ((m: string, e?: unknown) => console.error(`[processors] ${m}`, e ?? ''));
  const topic = d.config.kafka.topics.events;
  const group = d.config.kafka.consumerGroup;
  const consumer: Consumer = d.kafka.consumer({
    groupId: group, sessionTimeout: d.config.kafka.sessionTimeoutMs, heartbeatInterval: Math.min(1_000, d.config.kafka.sessionTimeoutMs / 3), rebalanceTimeout: 60_000,
    maxBytesPerPartition: 4 * 1024 * 1024,
    partitionAssigners: [balancedAssigner({ log, clock }), PartitionAssigners.roundRobin],
    // The supervisor, not kafkajs, restarts a crashed consumer (consumer-supervisor.ts says why).
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => false },
  });
  const producer: Producer = d.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const parts = new Map<number, PartitionState>();
  const pending = new PendingRows();
  let dlq: { value: string }[] = [];
  // Snapshots captured but not yet durable, per partition and scope (newest wins).
  const pendingSnaps = new Map<number, Map<string, ScopeSnapshot>>();
  let oldestUnflushed: number | null = null;
  let lastSnapshot = clock();
  let flushing: Promise<void> | null = null;
  let failures = 0;
  let paused = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let supervisor: ConsumerSupervisor | null = null;
  const maxPending = d.maxPendingEvents ?? 200_000;
  const rawChunk = d.rawChunkEvents ?? RAW_CHUNK_EVENTS;
  /**
   * An early raw-event write in flight. Raw events are the bulk of every flush:
   * written in chunks as they accumulate, the engine inserts them on its own threads
   * while this one goes on consuming, and they die young instead of being promoted
   * by the garbage collector while they wait a whole flush interval.
   */
  let rawWrite: Promise<void> | null = null;

  function writeRawEarly(): void {
    if (rawWrite !== null || pending.rawCount() < rawChunk) return;
    const chunk = pending.takeRaw();
    rawWrite = insertRaw(d.db, chunk)
      .then(() => pending.recycleRaw(chunk), (err: unknown) => {
        // Back in the buffer: the next flush writes them (and fails visibly if the sink is down).
        pending.restoreRaw(chunk);
        d.metrics?.sinkErrors.inc();
        log(`early raw-event write failed; the next flush retries it: ${(err as Error).message}`);
      })
      .finally(() => { rawWrite = null; });
  }

  function newCore(): ProcessorCore {
    return createProcessorCore({
      latenessMs: d.config.latenessMs, idleCloseMs: d.config.idleCloseMs, clock, resolutionTargetMs: d.resolutionTargetMs, writerId: randomBytes(8).toString('hex'),
    });
  }

  async function partitionState(partition: number): Promise<PartitionState> {
    let s = parts.get(partition);
    if (s) return s;
    const core = newCore();
    const snaps = await loadSnapshots(d.db, { group, topic, partition });
    const { missingSegments } = core.restore(snaps);
    if (missingSegments > 0) log(`partition ${partition}: ${missingSegments} id segment(s) named by the state are gone from the store (older than its TTL); those ids are forgotten`);
    s = { core, lastOffset: -1 };
    parts.set(partition, s);
    if (snaps.length > 0) log(`partition ${partition}: restored ${snaps.length} scope(s) from the state store`);
    return s;
  }

  let handled = 0;
  let assigned = new Set<number>();
  let memberId: string | null = null;
  /**
   * Outcomes counted here and added to the metric once per batch: a labelled
   * prom-client increment per message cost ~70 ns, 1–2 % of the thread.
   */
  const outcomes: Record<ApplyOutcome | 'invalid', number> = { applied: 0, duplicate: 0, late: 0, skipped: 0, invalid: 0 };
  function countOutcomes(): void {
    for (const [outcome, n] of Object.entries(outcomes) as [keyof typeof outcomes, number][]) {
      if (n === 0) continue;
      d.metrics?.events.inc({ outcome }, n);
      outcomes[outcome] = 0;
    }
  }

  /** The message's event by the full path (decode, JSON.parse, validateEvent), or null when refused: then it is a dead letter. */
  function parseFull(bytes: Buffer): SqaEvent | null {
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch (err) {
      // Decoding invalid UTF-8 would quietly turn bytes into U+FFFD inside an
      // event's strings; such a message is refused instead, as ingest refuses it.
      if ((err as NodeJS.ErrnoException).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw err;
      dlq.push({ value: deadLetterValue('message: not valid UTF-8', bytes.toString('utf8')) });
      return null;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      dlq.push({ value: deadLetterValue(`message: invalid JSON: ${(err as Error).message}`, text) });
      return null;
    }
    const v = validateEvent(raw);
    if (!v.ok) {
      dlq.push({ value: deadLetterValue(v.reason, raw, text) });
      return null;
    }
    return v.event;
  }

  function handle(s: PartitionState, offset: number, value: Buffer | null): void {
    s.lastOffset = offset;
    handled++;
    const bytes = value ?? EMPTY;
    // Probes as producers spell them are read directly; the full path decides the rest.
    const event = parseCanonicalProbe(bytes) ?? parseFull(bytes);
    if (event === null) {
      outcomes.invalid++;
      return;
    }
    const outcome = s.core.apply(event, offset);
    outcomes[outcome]++;
    if (outcome === 'late') {
      dlq.push({ value: deadLetterValue('late', event) });
      pending.addRaw(event, bytes);
    } else if (outcome === 'applied') {
      pending.addRaw(event, bytes);
      oldestUnflushed ??= clock();
    }
  }

  let inBatch: Promise<void> = Promise.resolve();
  async function eachBatch(p: EachBatchPayload): Promise<void> {
    const run = consume(p);
    // stop() only waits for the batch to end; kafkajs itself sees and handles its failure.
    inBatch = run.then(() => undefined, () => undefined);
    return run;
  }

  /**
   * Messages [from, to) of a batch. The per-message loop is here, in a function with no
   * await: in the async consume() below, V8 threw its optimized code away on resumes
   * after an await (11 times in a 1.7 s bench round) and compiled the loop with all it
   * inlines again; moved here, the pipeline bench's rate rose ~12 % (docs/benchmarks.md,
   * 2026-11-29 11:00).
   */
  function handleRange(s: PartitionState, messages: EachBatchPayload['batch']['messages'], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const m = messages[i]!;
      handle(s, Number(m.offset), m.value);
    }
  }

  async function consume({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (stopped) return;
    const s = await partitionState(batch.partition);
    const messages = batch.messages;
    let done = 0;
    // kafkajs's isStale() and resolveOffset() cost a string key and a Long each; per
    // message they took a tenth of the pipeline thread. Checked every STALE_CHECK_EVERY
    // messages and resolved once: a batch cut short resolves the last message handled,
    // so the next fetch starts right after it.
    while (done < messages.length && isRunning() && !isStale() && !stopped) {
      const to = Math.min(messages.length, done + STALE_CHECK_EVERY);
      handleRange(s, messages, done, to);
      done = to;
      if (done % HEARTBEAT_EVERY === 0) {
        writeRawEarly();
        await heartbeat();
      }
    }
    if (done > 0) resolveOffset(messages[done - 1]!.offset);
    countOutcomes();
    writeRawEarly();
    d.metrics?.lag.set({ partition: String(batch.partition) }, Math.max(0, Number(batch.highWatermark) - 1 - s.lastOffset));
    await heartbeat();
    if (pending.rawCount() >= maxPending) await flush(false);
  }

  /** Everything the cores emitted since the last flush, captured synchronously. */
  function capture(withSnapshot: boolean) {
    for (const s of parts.values()) {
      const out = s.core.drain();
      pending.add(out.rollups, out.alarms, out.tickets);
    }
    if (!withSnapshot) return { snaps: [] };
    const snaps = [...parts.entries()].map(([partition, s]) => {
      const byScope = pendingSnaps.get(partition) ?? new Map<string, ScopeSnapshot>();
      pendingSnaps.delete(partition);
      for (const sn of s.core.snapshot(true)) byScope.set(sn.scope, sn);
      return { partition, core: s.core, lastOffset: s.lastOffset, snaps: [...byScope.values()] };
    });
    return { snaps };
  }

  async function doFlush(withSnapshot: boolean): Promise<void> {
    // Offsets are committed below (at snapshots) only once every raw event before them
    // is durable. Checked again after the wait: consuming goes on meanwhile and may
    // start the next write, and capture() must follow the last check synchronously.
    while (withSnapshot && rawWrite !== null) await rawWrite;
    const started = clock();
    const t0 = performance.now();
    const { snaps } = capture(withSnapshot);
    const captureMs = performance.now() - t0;
    let snapBytes: number;
    let writeMs: number;
    let rawEvents: number;
    // Raw events wait for a chunk's worth or for the next commit (only snapshots
    // commit, and a commit needs every raw event before it durable): flushes between
    // snapshots then write only the few rows the figures are read from, which is
    // what keeps the live figures quick.
    const batch: SinkBatch = pending.take(withSnapshot || pending.rawCount() >= rawChunk);
    const dead = dlq;
    dlq = [];
    // The scopes whose rows this flush writes (a key string per row, not per event).
    const scopes = new Set<string>();
    for (const rows of [batch.rollups, batch.alarms, batch.tickets]) for (const r of rows) scopes.add(`${r.service}|${r.region}`);
    const since = oldestUnflushed;
    oldestUnflushed = null;
    try {
      await writeFigures(d.db, batch);
      // The figures are readable now: the live channel need not wait for the raw
      // events, the dead letters, the state snapshot and the commit below (a snapshot
      // is the largest write of all). If those fail, the rows stay written: they are
      // full state, and the retry writes the same or newer ones.
      if (scopes.size > 0) d.onFlushed?.(scopes);
      await insertRaw(d.db, batch.raw);
      // Written: their buffers go back for later chunks, and a failure below must not
      // put them back in the buffer (a later build overwrites their bytes).
      rawEvents = batch.raw.reduce((n, b) => n + b.events, 0);
      pending.recycleRaw(batch.raw);
      batch.raw = [];
      for (const chunk of chunkMessages(dead)) await producer.send({ topic: d.config.kafka.topics.dlq, acks: -1, messages: chunk });
      const t1 = performance.now();
      snapBytes = await saveSnapshots(d.db, { group, topic }, snaps);
      writeMs = performance.now() - t1;
      // Stored: the next snapshot of these scopes writes only the ids added since. Not
      // for a core replaced meanwhile (a rejoin restores anew from the store).
      for (const p of snaps) if (parts.get(p.partition)?.core === p.core) p.core.snapshotDurable(p.snaps);
    } catch (err) {
      // Nothing is lost: rows go back to the pending buffer (full-state rows, so a
      // later write supersedes them) and offsets stay uncommitted.
      pending.restore(batch);
      dlq = dead.concat(dlq);
      oldestUnflushed = since ?? oldestUnflushed;
      for (const p of snaps) {
        const byScope = pendingSnaps.get(p.partition) ?? new Map<string, ScopeSnapshot>();
        for (const sn of p.snaps) if (!byScope.has(sn.scope)) byScope.set(sn.scope, sn);
        pendingSnaps.set(p.partition, byScope);
      }
      throw err;
    }
    d.metrics?.sinkRows.observe(batch.rollups.length + batch.alarms.length + batch.tickets.length + rawEvents);
    d.metrics?.flushSeconds.observe((clock() - started) / 1000);
    if (since !== null) d.metrics?.emitDelay.observe((clock() - since) / 1000);
    if (snaps.length > 0) {
      d.onSnapshot?.({ scopes: snaps.reduce((n, p) => n + p.snaps.length, 0), bytes: snapBytes, captureMs, writeMs });
      const offsets = snaps.filter((p) => p.lastOffset >= 0 && parts.has(p.partition))
        .map((p) => ({ topic, partition: p.partition, offset: String(p.lastOffset + 1) }));
      if (offsets.length > 0) {
        // A commit can fail during a rebalance; the state store already holds
        // everything, so the next owner skips what it would re-read.
        await consumer.commitOffsets(offsets).catch((err: unknown) => log(`offset commit failed (state is durable; a replay will skip): ${(err as Error).message}`));
      }
      lastSnapshot = clock();
    }
  }

  async function flush(snapshot = clock() - lastSnapshot >= d.config.snapshotIntervalMs): Promise<void> {
    while (flushing) await flushing;
    flushing = doFlush(snapshot).finally(() => { flushing = null; });
    return flushing;
  }

  async function tick(): Promise<void> {
    const began = clock();
    try {
      await flushOrBackOff();
    } finally {
      // Whatever happened, the next flush is scheduled: a processor that stops flushing stops committing.
      // Flushes start every interval, not an interval after the last one ended, so a
      // figure waits at most about one interval for its flush; but at least half an
      // interval apart, so that slow flushes under a backlog do not run back to back.
      if (!stopped) {
        const delay = failures === 0 ? Math.max(d.config.flushIntervalMs / 2, d.config.flushIntervalMs - (clock() - began)) : backoffDelay(failures, d.config.flushIntervalMs, 30_000, Math.random);
        timer = setTimeout(() => void tick(), delay);
      }
    }
  }

  async function flushOrBackOff(): Promise<void> {
    for (const s of parts.values()) s.core.closeIdle();
    try {
      await flush();
      failures = 0;
      if (paused) {
        paused = false;
        supervisor?.setPaused(false);
        d.metrics?.paused.set(0);
        log('sink recovered; consumption resumed');
      }
    } catch (err) {
      failures++;
      d.metrics?.sinkErrors.inc();
      if (!paused && (failures >= 2 || pending.rawCount() >= maxPending)) {
        paused = true;
        supervisor?.setPaused(true);
        d.metrics?.paused.set(1);
      }
      log(`sink flush failed (attempt ${failures}); ${paused ? 'consumption paused, ' : ''}retrying: ${(err as Error).message}`);
    }
    d.metrics?.scopes.set([...parts.values()].reduce((n, s) => n + s.core.scopeCount(), 0));
  }

  return {
    async start() {
      await producer.connect();
      await consumer.connect();
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        if (memberId !== null && e.payload.memberId !== memberId) {
          // A new member id: this process was out of the group (a consumer crash, or a
          // session that timed out), and another member may have owned any partition
          // and moved its state on meanwhile. Every core is restored from the state
          // store at its next batch; the committed offsets replay the rest.
          log('rejoined the group as a new member; restoring partition state from the store');
          parts.clear();
          pendingSnaps.clear();
        }
        memberId = e.payload.memberId;
        assigned = new Set<number>((e.payload.memberAssignment[topic] ?? []) as number[]);
        for (const p of [...parts.keys()]) {
          if (!assigned.has(p)) {
            parts.delete(p);
            pendingSnaps.delete(p);
          }
        }
        log(`assigned partitions [${[...assigned].sort((a, b) => a - b).join(', ')}]`);
      });
      consumer.on(consumer.events.REBALANCING, () => {
        // Hand state over through the store before the partitions move.
        void flush(true).catch((err: unknown) => log(`flush before rebalance failed: ${(err as Error).message}`));
      });
      const run = () => consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch });
      supervisor = superviseConsumer({
        consumer, topic, log,
        run: async () => {
          await consumer.connect();
          await run();
        },
        onCrash: () => d.metrics?.consumerCrashes.inc(),
      });
      await consumer.subscribe({ topic, fromBeginning: true });
      await run();
      timer = setTimeout(() => void tick(), d.config.flushIntervalMs);
    },
    async stop() {
      stopped = true;
      supervisor?.stop();
      if (timer) clearTimeout(timer);
      // Finish the batch in hand, then make everything durable and commit while
      // still a group member; then leave.
      await inBatch;
      await flush(true).catch((err: unknown) => log(`final flush failed; the next start replays from the last snapshot: ${(err as Error).message}`));
      await consumer.disconnect();
      await producer.disconnect();
    },
    flush: (snapshot = true) => flush(snapshot),
    stats: () => ({
      partitions: [...assigned].sort((a, b) => a - b),
      scopes: [...parts.values()].reduce((n, s) => n + s.core.scopeCount(), 0),
      pendingRaw: pending.rawCount(),
      pendingRows: pending.rowCount(),
      handled,
    }),
  };
}

