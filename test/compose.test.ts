// docker-compose.yml cannot run here (no Docker engine), so this checks that it agrees
// with the code: every service the design needs, every variable it sets is one the
// code reads, commands point at files that exist, and the README documents them.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfig } from '../infra/config.js';

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; ports?: string[]; healthcheck?: unknown; depends_on?: Record<string, unknown> }>;
};
const configSource = readFileSync('infra/config.ts', 'utf8') + readFileSync('processors/main.ts', 'utf8') + readFileSync('processors/alerts/main.ts', 'utf8') + readFileSync('infra/kafka/broker.ts', 'utf8') + readFileSync('infra/http/create-app.ts', 'utf8') + readFileSync('bin/start.ts', 'utf8');
const readme = readFileSync('README.md', 'utf8');

describe('docker-compose.yml', () => {
  it('runs Kafka, ClickHouse and the services separately, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['alerts', 'clickhouse', 'dashboard', 'ingest', 'kafka', 'processors']);
    for (const [name, s] of Object.entries(compose.services)) expect(s.healthcheck, name).toBeTruthy();
    expect(compose.services.processors!.depends_on).toHaveProperty('clickhouse');
  });

  it('starts each service from a file that exists', () => {
    for (const name of ['ingest', 'processors', 'alerts', 'dashboard']) {
      const file = compose.services[name]!.command!.at(-1)!;
      expect(existsSync(file), `${name}: ${file}`).toBe(true);
    }
  });

  it('sets only variables the code reads, all documented in the README, and they parse', () => {
    for (const name of ['ingest', 'processors', 'alerts', 'dashboard']) {
      const env = compose.services[name]!.environment!;
      for (const key of Object.keys(env)) {
        expect(configSource, `${name}: ${key} is not read by the code`).toContain(key);
        expect(readme, `${key} is not in the README`).toContain(`\`${key}\``);
      }
      const sample = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').replace(/\$\{[^}]+\}/g, 'x')]));
      const cfg = loadConfig(sample);
      expect(cfg.kafka.brokers).toEqual(['kafka:9092']);
      expect(cfg.clickhouse.url).toBe('http://clickhouse:8123');
      expect(cfg.port).toBe(8080);
    }
  });

  it('publishes the dashboard on the port the services listen on', () => {
    expect(compose.services.dashboard!.ports).toContain('8080:8080');
  });
});

describe('README', () => {
  it('documents every variable the configuration reads', () => {
    // Reads look like env.NAME, process.env.NAME or int(env, 'NAME', …).
    const vars = new Set([...configSource.matchAll(/env(?:\.|, ')((?:SQA|KAFKA|CLICKHOUSE)_[A-Z_]+)/g)].map((m) => m[1]!));
    for (const v of vars) expect(readme, v).toContain(v);
  });
});
