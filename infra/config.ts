// Configuration is read and validated once at start-up (CONTRACT.md section 6)
// into one typed object that is passed down; nothing deeper reads process.env.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export type TokenScope = 'ingest' | 'read' | 'admin';
export const TOKEN_SCOPES: readonly TokenScope[] = ['ingest', 'read', 'admin'];

export interface TokenGrant {
  token: string;
  scopes: Set<TokenScope>;
}

export interface ClickHouseConfig {
  /** null = the embedded chdb engine in `dataDir/clickhouse`. */
  url: string | null;
  user: string;
  password: string;
  database: string;
  /** Embedded engine's data directory. */
  path: string;
}

export interface Topics {
  events: string;
  dlq: string;
  alerts: string;
}

export interface AlertConfig {
  /** How often the alert evaluator looks for newly closed minutes (SQA_ALERT_EVAL_MS). */
  evalIntervalMs: number;
  /** Alertmanager-format webhook receivers (SQA_WEBHOOK_URLS, comma-separated). */
  webhookUrls: string[];
  /** The dashboard's address as receivers should link to it (SQA_EXTERNAL_URL). */
  externalUrl: string;
}

export interface Config {
  host: string;
  port: number;
  tokens: TokenGrant[] | null;
  simulate: boolean;
  simulateRate: number;
  dataDir: string;
  latenessMs: number;
  idleCloseMs: number;
  kafka: {
    /** null = start the local broker from infra/kafka. */
    brokers: string[] | null;
    localPort: number;
    partitions: number;
    clientId: string;
    consumerGroup: string;
    /** Consumer session timeout: how fast a crashed processor's partitions move on. */
    sessionTimeoutMs: number;
    topics: Topics;
  };
  clickhouse: ClickHouseConfig;
  maxBodyBytes: number;
  /** Requests per minute per token (or client address); 0 = no limit. */
  rateLimitPerMinute: number;
  flushIntervalMs: number;
  snapshotIntervalMs: number;
  /**
   * Processors per process, each on a worker thread of its own and a member of the
   * consumer group (processors/processor-threads.ts); 0 runs one on the main thread.
   */
  processorThreads: number;
  rawTtlDays: number;
  slaPath: string | null;
  alerts: AlertConfig;
}

export class ConfigError extends Error {
  readonly code = 'SQA_E_CONFIG';
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name}: must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name}: must be 0 or 1, got "${raw}"`);
}

export function parseTokens(raw: string | undefined): TokenGrant[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  return raw.split(',').map((entry, i) => {
    const [token, scopeList] = entry.trim().split(':', 2) as [string, string | undefined];
    if (!token) throw new ConfigError(`SQA_TOKENS: entry ${i + 1} has an empty token`);
    if (scopeList === undefined) return { token, scopes: new Set(TOKEN_SCOPES) };
    const scopes = new Set<TokenScope>();
    for (const s of scopeList.split('+')) {
      if (!(TOKEN_SCOPES as readonly string[]).includes(s)) {
        throw new ConfigError(`SQA_TOKENS: entry ${i + 1} has unknown scope "${s}" (allowed: ${TOKEN_SCOPES.join(', ')})`);
      }
      scopes.add(s as TokenScope);
    }
    return { token, scopes };
  });
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.SQA_DATA_DIR || '.data');
  const prefix = env.SQA_TOPIC_PREFIX ?? '';
  const brokers = env.KAFKA_BROKERS?.trim();
  return {
    host: env.SQA_HOST || '0.0.0.0',
    port: int(env, 'SQA_PORT', 8080, 0, 65535),
    tokens: parseTokens(env.SQA_TOKENS),
    simulate: bool(env, 'SQA_SIMULATE', true),
    simulateRate: int(env, 'SQA_SIMULATE_RATE', 200, 1),
    dataDir,
    latenessMs: int(env, 'SQA_LATENESS_MS', 120_000),
    idleCloseMs: int(env, 'SQA_IDLE_CLOSE_MS', 300_000, 1),
    kafka: {
      brokers: brokers ? brokers.split(',').map((b) => b.trim()).filter(Boolean) : null,
      localPort: int(env, 'SQA_KAFKA_PORT', 9092, 1, 65535),
      partitions: int(env, 'SQA_KAFKA_PARTITIONS', 6, 1, 1000),
      clientId: env.SQA_KAFKA_CLIENT_ID || 'sqa',
      consumerGroup: env.SQA_CONSUMER_GROUP || `${prefix}sqa-processors`,
      sessionTimeoutMs: int(env, 'SQA_SESSION_TIMEOUT_MS', 30_000, 1000),
      topics: { events: `${prefix}sqa.events`, dlq: `${prefix}sqa.dlq`, alerts: `${prefix}sqa.alerts` },
    },
    clickhouse: {
      url: env.CLICKHOUSE_URL || null,
      user: env.CLICKHOUSE_USER || 'default',
      password: env.CLICKHOUSE_PASSWORD || '',
      database: env.CLICKHOUSE_DATABASE || 'sqa',
      path: resolve(dataDir, 'clickhouse'),
    },
    maxBodyBytes: int(env, 'SQA_MAX_BODY_BYTES', 10 * 1024 * 1024, 1024),
    rateLimitPerMinute: int(env, 'SQA_RATE_LIMIT_PER_MIN', 6000),
    flushIntervalMs: int(env, 'SQA_FLUSH_MS', 1000, 50),
    snapshotIntervalMs: int(env, 'SQA_SNAPSHOT_MS', 5000, 100),
    // One per core: one JS thread is what limits a processor (docs/benchmarks.md).
    processorThreads: int(env, 'SQA_PROCESSOR_THREADS', Math.min(8, availableParallelism()), 0, 64),
    rawTtlDays: int(env, 'SQA_RAW_TTL_DAYS', 30, 1),
    slaPath: env.SQA_SLA_CONFIG || null,
    alerts: {
      evalIntervalMs: int(env, 'SQA_ALERT_EVAL_MS', 10_000, 100),
      webhookUrls: parseUrls(env.SQA_WEBHOOK_URLS, 'SQA_WEBHOOK_URLS'),
      externalUrl: env.SQA_EXTERNAL_URL || `http://localhost:${int(env, 'SQA_PORT', 8080, 0, 65535)}`,
    },
  };
}

/** Comma-separated http(s) URLs; the error names the entry but never prints it (it may hold a secret). */
function parseUrls(v: string | undefined, name: string): string[] {
  const urls = (v ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  urls.forEach((u, i) => {
    if (!URL.canParse(u) || !['http:', 'https:'].includes(new URL(u).protocol)) throw new ConfigError(`${name}: entry ${i + 1} is not an http(s) URL`);
  });
  return urls;
}
