// A scenario on disk: the raw events in send order as NDJSON, and truth.json
// with the options that made them and the figures the pipeline must reach
// (ground-truth.ts). Replaying the NDJSON into the pipeline and comparing its
// answers with truth.json is the end-to-end correctness check.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { loadSlaConfig, type SlaConfig } from '../../infra/sla-config.js';
import { scenarioError } from './errors.js';
import { simulate, type FaultKind } from './generator.js';
import { createGroundTruth, type GroundTruth } from './ground-truth.js';
import { DEFAULT_LATENESS_MS, resolvePlan, type GeneratorOptions } from './sim-options.js';

export const EVENTS_FILE = 'events.ndjson';
export const TRUTH_FILE = 'truth.json';
const MINUTE = 60_000;

export interface ScenarioTruthFile {
  version: 1;
  options: GeneratorOptions;
  plan: { elementsPerScope: number; probeIntervalMs: number; runTag: string };
  /** The period the figures cover: the run widened to whole minutes (CONTRACT.md §4). */
  from: string;
  to: string;
  latenessMs: number;
  sla: SlaConfig;
  counts: { events: number; faults: FaultCounts };
  truth: GroundTruth;
}

export function scenarioPeriod(start: number, durationMs: number): { from: number; to: number } {
  const from = Math.floor(start / MINUTE) * MINUTE;
  const to = Math.max(from + MINUTE, Math.ceil((start + durationMs) / MINUTE) * MINUTE);
  return { from, to };
}

export interface WriteOptions {
  /** Progress lines every 2 s while writing. */
  log?: (line: string) => void;
}

type FaultCounts = Record<FaultKind, number>;

/** Streams the events to NDJSON while feeding the ground truth, in one pass. */
async function writeEvents(path: string, options: GeneratorOptions, truth: ReturnType<typeof createGroundTruth>, counts: { events: number; faults: FaultCounts }): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let chunk = '';
  for (const e of simulate(options)) {
    counts.events++;
    if (e.fault) counts.faults[e.fault]++;
    truth.add(e.event);
    chunk += `${JSON.stringify(e.event)}\n`;
    if (chunk.length >= 1 << 20) {
      // Respect back-pressure: a long scenario must not sit in memory as pending writes.
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
}

/** Generates the scenario into `dir` (created if missing); returns what truth.json holds. */
export async function writeScenario(dir: string, options: GeneratorOptions, sla: SlaConfig = loadSlaConfig(), w: WriteOptions = {}): Promise<ScenarioTruthFile> {
  if (!Number.isFinite(options.durationMs)) throw scenarioError('a scenario file needs a finite duration');
  const plan = resolvePlan(options);
  const latenessMs = options.latenessMs ?? DEFAULT_LATENESS_MS;
  const { from, to } = scenarioPeriod(options.start, options.durationMs);
  const truth = createGroundTruth({ from, to, latenessMs, sla });
  const counts = { events: 0, faults: { duplicate: 0, 'out-of-order': 0, late: 0, invalid: 0 } };

  await mkdir(dir, { recursive: true });
  const progress = w.log && setInterval(() => w.log!(`[simulate] ${counts.events} events written`), 2000);
  try {
    await writeEvents(join(dir, EVENTS_FILE), options, truth, counts);
  } finally {
    if (progress) clearInterval(progress);
  }

  const file: ScenarioTruthFile = {
    version: 1,
    options,
    plan: { elementsPerScope: plan.elementsPerScope, probeIntervalMs: plan.probeIntervalMs, runTag: plan.runTag },
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    latenessMs,
    sla,
    counts,
    truth: truth.result(),
  };
  await writeFile(join(dir, TRUTH_FILE), `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

/** The raw events of a scenario, in send order. */
export async function* readScenarioEvents(dir: string): AsyncGenerator<unknown> {
  const lines = createInterface({ input: createReadStream(join(dir, EVENTS_FILE), { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as unknown;
    } catch (err) {
      throw scenarioError(`${join(dir, EVENTS_FILE)}:${n}: not JSON`, err);
    }
  }
}

export async function readScenarioTruth(dir: string): Promise<ScenarioTruthFile> {
  const path = join(dir, TRUTH_FILE);
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<ScenarioTruthFile>;
  if (parsed.version !== 1 || !parsed.truth) throw scenarioError(`${path}: not a version 1 scenario truth file`);
  return parsed as ScenarioTruthFile;
}
