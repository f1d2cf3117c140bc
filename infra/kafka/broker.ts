// A real single-node Apache Kafka broker (KRaft) for development, tests and
// `npm start`, with no Docker: the broker's jars come from Maven Central through
// `mvn` into a cache outside the source tree and run on this machine's Java.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KAFKA_VERSION = '4.4.0';
const HERE = fileURLToPath(new URL('.', import.meta.url));

export class BrokerSetupError extends Error {
  readonly code = 'SQA_E_KAFKA_SETUP';
}

export interface BrokerOptions {
  /** Log dirs, pid file and broker log live here (e.g. `.data/kafka`). */
  dir: string;
  port: number;
  /** KRaft controller port; default port + 1. */
  controllerPort?: number;
  /** Where the jars are cached; default ~/.cache/sqa/kafka-<version>. */
  cacheDir?: string;
  heapMb?: number;
  /**
   * How long a new consumer group waits for more members before its first assignment.
   * Kafka's own default is 3000; tests and `npm start` want a lone member to start at
   * once (0, the default here). The bench uses Kafka's, as a production broker would:
   * processor threads that start together then get their partitions together, instead
   * of the first consuming alone and the group replaying after the rebalance.
   */
  initialRebalanceDelayMs?: number;
  log?: (msg: string) => void;
}

export function defaultCacheDir(): string {
  const base = process.env.SQA_KAFKA_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sqa');
  return join(base, `kafka-${KAFKA_VERSION}`);
}

function need(cmd: string, args: string[], install: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new BrokerSetupError(
      `${cmd} was not found or failed (${r.error?.message ?? r.stderr.trim()}). ` +
        `Install it (${install}), or set KAFKA_BROKERS to an existing Kafka cluster.`,
    );
  }
}

/** Downloads the broker jars once; later calls return at once. */
export function fetchBroker(cacheDir = defaultCacheDir(), log: (m: string) => void = () => {}): string {
  const libs = join(cacheDir, 'libs');
  if (existsSync(join(cacheDir, '.complete'))) return libs;
  need('java', ['-version'], 'Java 17 or newer: apt-get install -y openjdk-17-jre-headless');
  need('mvn', ['-v'], 'Apache Maven: apt-get install -y maven');
  log(`fetching Apache Kafka ${KAFKA_VERSION} from Maven Central into ${cacheDir} ...`);
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(libs, { recursive: true });
  const r = spawnSync('mvn', ['-q', '-B', '-f', join(HERE, 'pom.xml'), 'dependency:copy-dependencies',
    `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new BrokerSetupError(`mvn could not fetch org.apache.kafka:kafka_2.13:${KAFKA_VERSION}: ${(r.stdout + r.stderr).slice(-2000)}`);
  }
  if (!readdirSync(libs).some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    throw new BrokerSetupError(`mvn finished but ${libs} holds no kafka_2.13-${KAFKA_VERSION}.jar`);
  }
  writeFileSync(join(cacheDir, '.complete'), `${KAFKA_VERSION}\n`);
  return libs;
}

function serverProperties(o: BrokerOptions, logDir: string): string {
  const cport = o.controllerPort ?? o.port + 1;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${cport}`,
    `listeners=PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${cport}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${o.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${logDir}`,
    // The application creates its topics itself with the configured partition count.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=6',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    `group.initial.rebalance.delay.ms=${o.initialRebalanceDelayMs ?? 0}`,
    'group.min.session.timeout.ms=1000',
    'log.retention.hours=168',
    // A deleted topic's files go a second later, not a minute (the default): the
    // benches delete their topics just before stopping the broker (bench/bench-broker.ts).
    'log.segment.delete.delay.ms=1000',
    '',
  ].join('\n');
}

function pidFile(o: BrokerOptions): string {
  return join(o.dir, 'broker.pid');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return true;
    return false;
  }
}

export function runningPid(o: BrokerOptions): number | null {
  const f = pidFile(o);
  if (!existsSync(f)) return null;
  const pid = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

/**
 * Formats the KRaft log directory on first use, starts the broker detached and
 * waits until it accepts connections. Idempotent: a running broker is reused.
 */
export async function startBroker(o: BrokerOptions, timeoutMs = 90_000): Promise<{ pid: number; started: boolean }> {
  const log = o.log ?? (() => {});
  const existing = runningPid(o);
  if (existing !== null) {
    await waitForPort(o.port, timeoutMs, existing);
    return { pid: existing, started: false };
  }
  if (await portOpen(o.port)) {
    throw new BrokerSetupError(`port ${o.port} is already in use by another process; set SQA_KAFKA_PORT or KAFKA_BROKERS`);
  }
  const libs = fetchBroker(o.cacheDir, log);
  const logDir = join(o.dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const props = join(o.dir, 'server.properties');
  writeFileSync(props, serverProperties(o, logDir));
  const cp = `${libs}/*`;
  const jvm = [`-Xmx${o.heapMb ?? 512}m`, '-Xms128m', '-XX:+UseG1GC', '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(HERE, 'log4j2.properties')}`, `-Dkafka.logs.dir=${o.dir}`, '-cp', cp];
  if (!existsSync(join(logDir, 'meta.properties'))) {
    // A base64url id starting with '-' would be read by kafka-storage as an option
    // (1 start in 32 failed with "argument --cluster-id/-t: expected one argument").
    const clusterId = randomBytes(16).toString('base64url').replace(/^-/, 'A');
    const r = spawnSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], { encoding: 'utf8' });
    if (r.status !== 0) throw new BrokerSetupError(`formatting the KRaft log dir failed: ${(r.stdout + r.stderr).slice(-2000)}`);
  }
  const out = openSync(join(o.dir, 'stdout.log'), 'a');
  const child = spawn('java', [...jvm, 'kafka.Kafka', props], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (child.pid === undefined) throw new BrokerSetupError('java did not start');
  writeFileSync(pidFile(o), `${child.pid}\n`);
  log(`Kafka ${KAFKA_VERSION} starting on 127.0.0.1:${o.port} (pid ${child.pid}, logs in ${o.dir})`);
  await waitForPort(o.port, timeoutMs, child.pid);
  return { pid: child.pid, started: true };
}

async function waitForPort(port: number, timeoutMs: number, pid: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) throw new BrokerSetupError(`the Kafka broker (pid ${pid}) exited during start-up; see its stdout.log and server.log`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new BrokerSetupError(`the Kafka broker did not open port ${port} within ${timeoutMs} ms`);
}

/** Stops the broker started from this directory, by its own pid. */
export async function stopBroker(o: BrokerOptions, timeoutMs = 30_000): Promise<boolean> {
  const pid = runningPid(o);
  if (pid === null) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(o), { force: true });
  return true;
}
