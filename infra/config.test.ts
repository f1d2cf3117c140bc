import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseTokens } from './config.js';
import { parseSlaConfig, objectivesFor, resolutionTargetMs, loadSlaConfig } from './sla-config.js';
import { createAuthenticator } from './http/auth.js';

describe('configuration', () => {
  it('has the contract defaults (CONTRACT.md section 6)', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.tokens).toBeNull();
    expect(c.simulate).toBe(true);
    expect(c.dataDir.endsWith('/.data')).toBe(true);
    expect(c.latenessMs).toBe(120_000);
    expect(c.idleCloseMs).toBe(300_000);
    expect(c.kafka.brokers).toBeNull();
    expect(c.kafka.partitions).toBe(6);
    expect(c.kafka.topics).toEqual({ events: 'sqa.events', dlq: 'sqa.dlq', alerts: 'sqa.alerts' });
    expect(c.clickhouse.url).toBeNull();
  });

  it('reads the variables and names the bad one', () => {
    const c = loadConfig({ SQA_PORT: '9000', SQA_SIMULATE: '0', KAFKA_BROKERS: 'a:1, b:2', SQA_TOPIC_PREFIX: 'x.', CLICKHOUSE_URL: 'http://ch:8123' });
    expect([c.port, c.simulate, c.kafka.brokers, c.kafka.topics.events, c.clickhouse.url]).toEqual([9000, false, ['a:1', 'b:2'], 'x.sqa.events', 'http://ch:8123']);
    expect(() => loadConfig({ SQA_PORT: 'eighty' })).toThrow(/^SQA_PORT: must be an integer/);
    expect(() => loadConfig({ SQA_SIMULATE: 'maybe' })).toThrow(ConfigError);
  });

  it('parses tokens with scopes; a bare token has every scope', () => {
    const t = parseTokens('root, reader:read, feeder:ingest+read')!;
    expect(t.map((g) => [g.token, [...g.scopes].sort()])).toEqual([
      ['root', ['admin', 'ingest', 'read']], ['reader', ['read']], ['feeder', ['ingest', 'read']],
    ]);
    expect(() => parseTokens('x:write')).toThrow(/unknown scope "write"/);
    expect(parseTokens('')).toBeNull();
  });

  it('matches bearer tokens exactly', () => {
    const auth = createAuthenticator(parseTokens('abc:read'));
    expect(auth.match('Bearer abc')?.scopes.has('read')).toBe(true);
    expect(auth.match('Bearer abcd')).toBeNull();
    expect(auth.match('Bearer ab')).toBeNull();
    expect(auth.match('Basic abc')).toBeNull();
    expect(auth.match(undefined)).toBeNull();
  });
});

describe('SLA objectives', () => {
  it('merges service overrides over defaults', () => {
    const cfg = parseSlaConfig({ defaults: loadSlaConfig().defaults, services: { voice: { availability: 0.9995, complaintResolutionHours: 48 } } });
    expect(objectivesFor(cfg, 'voice').availability).toBe(0.9995);
    expect(objectivesFor(cfg, 'iptv').availability).toBe(loadSlaConfig().defaults.availability);
    expect(resolutionTargetMs(cfg, 'voice')).toBe(48 * 3_600_000);
  });
  it('names a bad objective', () => {
    expect(() => parseSlaConfig({ defaults: { availability: 1 } })).toThrow(/defaults\.probeSuccess: required/);
    expect(() => parseSlaConfig({ defaults: loadSlaConfig().defaults, services: { voice: { uptime: 1 } } })).toThrow(/services\.voice\.uptime: unknown objective/);
  });
});
