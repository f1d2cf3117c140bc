// `npm run bench`: prints the speed and memory figures recorded in
// docs/benchmarks.md. Nothing here is asserted; it measures.
//   npm run bench                 the default parts: core, memory, pipeline
//   npm run bench -- core memory  only the named parts
//   npm run bench -- latency      event-to-screen latency under 20k events/s (issue #4, ~3 min)
//   npm run bench -- api          kpis/series over 30 days × 1,000 scopes (issue #4, ~3 min)
//   npm run bench -- load-ingest [--duration 60]  ingest under autocannon (issue #6)
//   npm run bench -- load-ws [--duration 60] [--scopes 100]  200 live clients, one stalled (issue #6)
// SQA_BENCH_CPU_PROFILE=<dir> writes CPU profiles of the bare and pipeline phases there.
// SQA_BENCH_WARM (default 150,000) + SQA_BENCH_EVENTS (default 600,000) events are produced
// once; SQA_BENCH_ROUNDS (default 5) rounds of bare consumer then pipeline read them, each
// timed over the last SQA_BENCH_EVENTS, and the median ratio is the figure.
// A broker is started on SQA_BENCH_KAFKA_PORT (default 19292) unless KAFKA_BROKERS is set.
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { benchCore, CORE_BENCH_CASES, coreMemory } from '../processors/core/bench-core.js';
import { benchBroker } from './bench-broker.js';
import { benchApi } from './api.js';
import { benchLatency } from './latency.js';
import { benchLoadIngest } from './load-ingest.js';
import { benchLoadWs } from './load-ws.js';
import { formatSummary } from './percentiles.js';
import { benchPipeline, type CpuPerEvent } from './pipeline.js';

const DEFAULT_PARTS = ['core', 'memory', 'pipeline'];
const ALL_PARTS = [...DEFAULT_PARTS, 'latency', 'api', 'load-ingest', 'load-ws'];

const { values: flags, positionals: parts } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { duration: { type: 'string' }, requests: { type: 'string' }, probes: { type: 'string' }, scopes: { type: 'string' } },
});
const unknown = parts.filter((p) => !ALL_PARTS.includes(p));
if (unknown.length > 0) throw new Error(`unknown bench part "${unknown[0]}" (parts: ${ALL_PARTS.join(', ')})`);
const want = (p: string) => (parts.length === 0 ? DEFAULT_PARTS.includes(p) : parts.includes(p));
const out = (line: string) => process.stdout.write(`${line}\n`);

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`--${name}: must be a positive number, got "${raw}"`);
  return n;
}
const duration = positive('duration', flags.duration);
const requests = positive('requests', flags.requests);
const probes = positive('probes', flags.probes);
const scopes = positive('scopes', flags.scopes);

out(`# sqa benchmark — ${new Date().toISOString()}`);
out(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

if (want('core')) {
  // The headline is the default (1,000 scopes, event time 1 ms per event: the worst case
  // for window churn); the table shows the other densities (CORE_BENCH_CASES says which
  // is which: eventsPerMs 1000 is a live feed at 1M events/s).
  const r = await benchCore();
  out(`core: ${r.events} events over ${r.scopes} scopes in ${r.seconds.toFixed(2)} s → ${Math.round(r.eventsPerSec).toLocaleString('en')} events/s on one core (target 1,000,000)`);
  out('core: scopes | eventsPerMs | events/s | events/CPU-s | rows drained | drain share | µs per drained row');
  for (const c of CORE_BENCH_CASES) {
    const x = await benchCore(c);
    const cells = [
      x.scopes.toLocaleString('en').padStart(6), String(x.eventsPerMs).padStart(11), Math.round(x.eventsPerSec).toLocaleString('en').padStart(9),
      Math.round(x.eventsPerCpuSec).toLocaleString('en').padStart(12), x.rowsDrained.toLocaleString('en').padStart(12),
      `${((100 * x.drainSeconds) / x.seconds).toFixed(0)} %`.padStart(11), ((x.drainSeconds * 1e6) / x.rowsDrained).toFixed(2).padStart(18),
    ];
    out(`core: ${cells.join(' | ')}`);
  }
}

if (want('memory')) {
  if (!(globalThis as { gc?: unknown }).gc) out('memory: run with node --expose-gc for exact figures (npm run bench does)');
  for (const scopes of [10_000, 100_000]) {
    const m = coreMemory(scopes);
    out(`memory: ${scopes.toLocaleString('en')} active scopes → ${m.heapMb.toFixed(0)} MiB heap (${Math.round(m.bytesPerScope)} bytes/scope)`);
  }
}

const broker = benchBroker();
try {
  if (want('pipeline')) {
    const rounds = Number(process.env.SQA_BENCH_ROUNDS || 5);
    const r = await benchPipeline(await broker.brokers(), Number(process.env.SQA_BENCH_EVENTS || 600_000), broker.pid(), rounds, Number(process.env.SQA_BENCH_WARM ?? 150_000));
    const cpu = (c: CpuPerEvent) => `${c.process.toFixed(2)} µs in this process${c.broker === null ? '' : ` + ${c.broker.toFixed(2)} µs in the broker`}`
      + `${c.elsewhere === null ? '' : ` (elsewhere on the machine ${c.elsewhere.toFixed(2)}, stolen ${c.steal!.toFixed(2)})`}, JS thread busy ${(100 * c.jsBusy).toFixed(0)} %`;
    const total = (c: CpuPerEvent) => c.process + (c.broker ?? 0);
    r.rounds.forEach((x, i) => {
      const round = `pipeline: round ${i + 1}/${r.rounds.length}:`;
      out(`${round} ${r.events} events after ${r.warm} warm-up; bare kafkajs consumer (parse only) ${Math.round(x.bareEventsPerSec).toLocaleString('en')} events/s; `
        + `broker → processors → ClickHouse ${Math.round(x.pipelineEventsPerSec).toLocaleString('en')} events/s; ratio ${x.ratio.toFixed(2)}`);
      out(`${round} CPU per event: bare ${cpu(x.bareCpu)}; pipeline ${cpu(x.pipelineCpu)} (JS thread, GC and the engine's threads); `
        + `at that cost ${cpus().length} fully busy cores would carry at most ${Math.round((cpus().length * 1e6) / total(x.pipelineCpu)).toLocaleString('en')} events/s `
        + `= ${((cpus().length * 1e6) / total(x.pipelineCpu) / x.bareEventsPerSec).toFixed(2)} × bare`);
      out(`${round} µs per event by thread (main = the JS thread; sqa-processor = the processors' worker threads; node = V8's helper threads (garbage collection, compiling) and libuv's pool (files, the embedded engine's statements); ThreadPool and MergeMutate = the engine): bare ${x.bareCpu.threads}; pipeline ${x.pipelineCpu.threads}`);
    });
    out(`pipeline: median ratio over ${r.rounds.length} round(s) ${r.medianRatio.toFixed(2)} (target ≥ 0.8); ratios ${r.rounds.map((x) => x.ratio.toFixed(2)).join(', ')}`);
  }

  if (want('latency')) {
    const r = await benchLatency({ brokers: await broker.brokers(), ...(probes ? { probes } : {}) });
    out(`latency: ${r.probesPerSec} probe events/s over ${r.markerScopes} marker scopes while the simulator produced ${r.backgroundRate.toLocaleString('en')} events/s `
      + `(processors handled ${Math.round(r.processedPerSec).toLocaleString('en')} events/s)`);
    out(`latency: POST → live frame ${formatSummary(r.screen)}; lost ${r.lost} (target p99 ≤ 2000 ms)`);
    out(`latency: POST → 202 ${formatSummary(r.ingest)}`);
    out(`latency: event-loop delay of the pipeline process p50 ${r.loopDelay.p50.toFixed(0)} ms, p99 ${r.loopDelay.p99.toFixed(0)} ms, max ${r.loopDelay.max.toFixed(0)} ms`);
    const sn = r.snapshots;
    out(`latency: ${sn.count} state snapshots; bytes written p50 ${sn.bytes.p50.toLocaleString('en')}, max ${sn.bytes.max.toLocaleString('en')}; `
      + `capture (event loop blocked) p50 ${sn.captureMs.p50.toFixed(0)} ms, max ${sn.captureMs.max.toFixed(0)} ms; write p50 ${sn.writeMs.p50.toFixed(0)} ms, max ${sn.writeMs.max.toFixed(0)} ms`);
  }

  if (want('api')) {
    const r = await benchApi({ ...(requests ? { requestsPerCase: requests } : {}) });
    out(`api: ${r.scopes.toLocaleString('en')} scopes × 30 days (${r.rows.day.toLocaleString('en')} day, ${r.rows.hour.toLocaleString('en')} hour, `
      + `${r.rows.minute.toLocaleString('en')} minute rollup rows, ${r.rows.alarms.toLocaleString('en')} alarms; filled in ${r.fillSeconds.toFixed(0)} s)`);
    for (const c of r.cases) out(`api: ${c.name.padEnd(34)} ${formatSummary(c.summary)}`);
    out(`api: all ${formatSummary(r.all)} (target p95 ≤ 200 ms)`);
  }

  if (want('load-ingest')) {
    const r = await benchLoadIngest({ brokers: await broker.brokers(), ...(duration ? { durationSec: duration } : {}) });
    out(`load-ingest: calibration ${r.calibration.connections} connections, closed loop ${r.calibration.seconds} s → ${r.calibration.requestsPerSec.toFixed(1)} requests/s`);
    out(`load-ingest: ${r.durationSec} s at ${r.targetRate.toFixed(1)} requests/s offered (batches of ${r.batch}), ${r.connections} connections: `
      + `${r.requestsPerSec.toFixed(1)} requests/s, ${Math.round(r.eventsPerSec).toLocaleString('en')} events/s, latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`);
    out(`load-ingest: responses ${JSON.stringify(r.statusCodes)}, 5xx ${r.serverErrors}, socket errors ${r.errors}, timeouts ${r.timeouts} (target: zero 5xx, p99 ≤ 250 ms)`);
    out(`load-ingest: ingest server RSS idle ${r.rss.idle} MiB, before the run ${r.rss.before} MiB, after ${r.rss.after} MiB (${r.rss.growthPct.toFixed(1)} %, target ≤ 20 %), `
      + `5 s later ${r.rss.settled} MiB`);
  }

  if (want('load-ws')) {
    const r = await benchLoadWs({ ...(duration ? { durationSec: duration } : {}), ...(scopes ? { scopes } : {}) });
    out(`load-ws: ${r.clients} clients for ${r.durationSec} s, ${r.scopes} scopes changing every ${r.tickMs} ms; ${r.frames.toLocaleString('en')} frames to healthy clients`);
    out(`load-ws: update delay of the ${r.clients - 1} healthy clients ${formatSummary(r.delay)} (target < 2000 ms); healthy clients closed early: ${r.healthyClosed}`);
    out(`load-ws: stalled client: ${r.stalled}`);
  }
} finally {
  await broker.stop();
}
// Kafka clients, the embedded engine and sockets may keep handles open.
process.exit(0);
