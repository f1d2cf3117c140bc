// `npm run simulate`: generate a feed and send it over HTTP, straight to Kafka,
// or into a scenario directory. Configuration is read here, at the edge, once.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../infra/config.js';
import { createKafka, ensureTopics, resolveBrokers } from '../../infra/kafka/client.js';
import { createKafkaEventProducer } from '../kafka-producer.js';
import { parseCli, USAGE, type CliSettings } from './cli-args.js';
import { SimulatorError } from './errors.js';
import { runSimulation, type RunSummary } from './run-simulation.js';
import { writeScenario } from './scenario-file.js';
import { httpTarget } from './send-targets.js';

export { runSimulation, type RunOptions, type RunSummary } from './run-simulation.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function toFile(s: CliSettings): Promise<void> {
  const dir = resolve(s.out!);
  const file = await writeScenario(dir, s.generator, undefined, { log });
  const f = file.counts.faults;
  log(`[simulate] wrote ${file.counts.events} events to ${dir}/events.ndjson and the ground truth to ${dir}/truth.json`
    + ` (period ${file.from} – ${file.to}; injected: ${f.duplicate} duplicates, ${f['out-of-order']} out of order, ${f.late} late, ${f.invalid} invalid)`);
}

async function toKafka(s: CliSettings, signal: AbortSignal): Promise<RunSummary> {
  const config = loadConfig();
  const kafka = createKafka({ brokers: await resolveBrokers(config, log), clientId: `${config.kafka.clientId}-simulator` });
  await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
  const producer = createKafkaEventProducer(kafka, config.kafka.topics);
  try {
    return await runSimulation({ generator: s.generator, producer, realtime: s.realtime, batchSize: s.batchSize, signal });
  } finally {
    await producer.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  let settings: CliSettings | 'help';
  try {
    settings = parseCli(argv, process.env, Date.now());
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof SimulatorError || code.startsWith('ERR_PARSE_ARGS')) {
      log(`${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (settings === 'help') {
    log(USAGE);
    return 0;
  }
  if (settings.target === 'file') {
    await toFile(settings);
    return 0;
  }
  // The first Ctrl-C ends the run cleanly (producer closed, summary printed); a second one kills.
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (settings.target === 'kafka') {
      await toKafka(settings, ac.signal);
    } else {
      const send = httpTarget({ url: settings.url, ...(process.env.SQA_TOKEN ? { token: process.env.SQA_TOKEN } : {}) });
      await runSimulation({ generator: settings.generator, send, realtime: settings.realtime, batchSize: settings.batchSize, signal: ac.signal });
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch (err) {
    // An argv[1] that is not a readable path (e.g. `node -e`) means: imported, not run.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const e = err as Error & { code?: string };
      log(`[simulate] failed${e.code ? ` (${e.code})` : ''}: ${e.message}`);
      process.exit(1);
    },
  );
}
