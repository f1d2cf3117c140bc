// `npm run bench`: prints the speed and memory figures recorded in
// docs/benchmarks.md. Nothing here is asserted; it measures.
//   npm run bench                 all parts
//   npm run bench -- core memory  only the named parts (core, memory, pipeline)
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { benchCore, coreMemory } from '../processors/core/bench-core.js';
import { startBroker, stopBroker } from '../infra/kafka/broker.js';
import { benchPipeline } from './pipeline.js';

const parts = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (p: string) => parts.length === 0 || parts.includes(p);
const out = (line: string) => process.stdout.write(`${line}\n`);

out(`# sqa benchmark — ${new Date().toISOString()}`);
out(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);

if (want('core')) {
  const r = await benchCore();
  out(`core: ${r.events} events over ${r.scopes} scopes in ${r.seconds.toFixed(2)} s → ${Math.round(r.eventsPerSec).toLocaleString('en')} events/s on one core (target 1,000,000)`);
}

if (want('memory')) {
  if (!(globalThis as { gc?: unknown }).gc) out('memory: run with node --expose-gc for exact figures (npm run bench does)');
  for (const scopes of [10_000, 100_000]) {
    const m = coreMemory(scopes);
    out(`memory: ${scopes.toLocaleString('en')} active scopes → ${m.heapMb.toFixed(0)} MiB heap (${Math.round(m.bytesPerScope)} bytes/scope)`);
  }
}

if (want('pipeline')) {
  let brokers = process.env.KAFKA_BROKERS?.split(',');
  const dir = resolve('.data', 'bench-kafka');
  const port = Number(process.env.SQA_BENCH_KAFKA_PORT || 19292);
  if (!brokers) {
    await startBroker({ dir: join(dir), port, log: (m) => process.stderr.write(`${m}\n`) });
    brokers = [`127.0.0.1:${port}`];
  }
  try {
    const r = await benchPipeline(brokers, Number(process.env.SQA_BENCH_EVENTS || 300_000));
    out(`pipeline: ${r.events} events; bare kafkajs consumer (parse only) ${Math.round(r.bareEventsPerSec).toLocaleString('en')} events/s; `
      + `broker → processors → ClickHouse ${Math.round(r.pipelineEventsPerSec).toLocaleString('en')} events/s; ratio ${r.ratio.toFixed(2)} (target ≥ 0.8)`);
  } finally {
    if (!process.env.KAFKA_BROKERS) await stopBroker({ dir, port });
  }
}
