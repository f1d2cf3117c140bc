// Command-line arguments of `npm run simulate`, parsed and checked into one
// typed object before anything runs.
import { parseArgs } from 'node:util';
import { argsError } from './errors.js';
import type { GeneratorOptions } from './sim-options.js';

export type Target = 'http' | 'kafka' | 'file';

export interface CliSettings {
  generator: GeneratorOptions;
  target: Target;
  url: string;
  out: string | null;
  realtime: boolean;
  batchSize: number;
}

export const USAGE = `Usage: npm run simulate -- [options]
  --rate <n>            events per second of simulated time (default 200)
  --duration <d>        e.g. 90s, 10m, 2h, 1d; 0 or inf = forever (default 10m)
  --seed <n>            integer seed; same seed and start = same events (default 1)
  --target <t>          http | kafka | file (default: file with --out, else http)
  --url <url>           base URL for --target http (default http://localhost:$SQA_PORT or 8080)
  --out <dir>           scenario directory for --target file (events.ndjson + truth.json)
  --start <t>           ISO time, epoch ms or 'now' (default: now when --realtime,
                        else the last <duration> before now, on a whole minute)
  --realtime            pace events by the wall clock
  --batch <n>           events per request or produce call (default 500)
  --lateness <ms>       the pipeline's allowed lateness (default $SQA_LATENESS_MS or 120000)
  --services <a,b>      services (default mobile-data,voice,broadband,iptv,sms)
  --regions <a,b>       regions (default north,south,east,west,central)
  --elements <n>        network elements per scope (default: derived from --rate)
  --duplicates <share>  inject re-sent duplicates (e.g. 0.01)
  --out-of-order <share> inject delayed events within the lateness
  --late <share>        inject probes/surveys older than the watermark
  --invalid <share>     inject invalid events
Sends with Authorization: Bearer $SQA_TOKEN when SQA_TOKEN is set.`;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m`, `90s`, `1.5h`…; `0`, `inf`, `forever` = Infinity. */
export function parseDuration(raw: string): number {
  const v = raw.trim().toLowerCase();
  if (v === '0' || v === 'inf' || v === 'infinity' || v === 'forever') return Infinity;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v);
  if (!m) throw argsError(`--duration: expected a number with a unit (ms, s, m, h, d), 0 or inf; got "${raw}"`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

function num(name: string, raw: string | undefined, def: number, check: (n: number) => boolean, what: string): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (raw.trim() === '' || !check(n)) throw argsError(`--${name}: must be ${what}, got "${raw}"`);
  return n;
}

const share = (name: string, raw: string | undefined) => num(name, raw, 0, (n) => n >= 0 && n <= 1, 'a share from 0 to 1');
const list = (raw: string | undefined) => raw?.split(',').map((s) => s.trim()).filter(Boolean);

function parseStart(raw: string | undefined, realtime: boolean, durationMs: number, nowMs: number): number {
  if (raw === undefined) {
    if (realtime || !Number.isFinite(durationMs)) return nowMs;
    // Replaying the last <duration> keeps event times recent (raw data has a TTL)
    // and in the past, so a fast replay never runs ahead of the clock.
    return Math.floor((nowMs - durationMs) / 60_000) * 60_000;
  }
  if (raw === 'now') return nowMs;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) throw argsError(`--start: expected an ISO time, epoch ms or 'now', got "${raw}"`);
  return ms;
}

export function parseCli(argv: string[], env: Record<string, string | undefined>, nowMs: number): CliSettings | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      rate: { type: 'string' }, duration: { type: 'string' }, seed: { type: 'string' },
      target: { type: 'string' }, url: { type: 'string' }, out: { type: 'string' }, start: { type: 'string' },
      realtime: { type: 'boolean' }, batch: { type: 'string' }, lateness: { type: 'string' },
      services: { type: 'string' }, regions: { type: 'string' }, elements: { type: 'string' },
      duplicates: { type: 'string' }, 'out-of-order': { type: 'string' }, late: { type: 'string' }, invalid: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return 'help';
  const target = (v.target ?? (v.out ? 'file' : 'http')) as Target;
  if (!['http', 'kafka', 'file'].includes(target)) throw argsError(`--target: must be http, kafka or file, got "${v.target}"`);
  if (target === 'file' && !v.out) throw argsError('--target file needs --out <dir>');
  const realtime = v.realtime ?? false;
  const durationMs = parseDuration(v.duration ?? '10m');
  if (target === 'file' && !Number.isFinite(durationMs)) throw argsError('--target file needs a finite --duration');
  const elements = v.elements === undefined ? undefined
    : num('elements', v.elements, 0, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1');
  const generator: GeneratorOptions = {
    seed: num('seed', v.seed, 1, Number.isSafeInteger, 'an integer'),
    start: parseStart(v.start, realtime, durationMs, nowMs),
    durationMs,
    rate: num('rate', v.rate, 200, (n) => n > 0 && Number.isFinite(n), 'a number > 0'),
    latenessMs: num('lateness', v.lateness ?? env.SQA_LATENESS_MS, 120_000, (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0'),
    ...(list(v.services) ? { services: list(v.services) } : {}),
    ...(list(v.regions) ? { regions: list(v.regions) } : {}),
    ...(elements !== undefined ? { elementsPerScope: elements } : {}),
    faults: {
      duplicateRate: share('duplicates', v.duplicates),
      outOfOrderRate: share('out-of-order', v['out-of-order']),
      lateRate: share('late', v.late),
      invalidRate: share('invalid', v.invalid),
    },
  };
  return {
    generator,
    target,
    url: v.url ?? `http://localhost:${env.SQA_PORT || 8080}`,
    out: v.out ?? null,
    realtime,
    batchSize: num('batch', v.batch, 500, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
  };
}
