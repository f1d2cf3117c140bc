import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createApp } from './create-app.js';

describe('HTTP plumbing', () => {
  it('limits requests per token and answers 429 in the common error format', async () => {
    const config = loadConfig({ SQA_RATE_LIMIT_PER_MIN: '3', SQA_TOKENS: 'a:read,b:read' });
    const { app } = createApp({ config, logger: false });
    // Routes come in plugins, as every sqa route does, so they load after the limiter.
    await app.register(async (a) => { a.get('/api/v1/ping', { config: { scope: 'read' } }, async () => ({ ok: true })); });
    await app.ready();
    const call = (token: string) => app.inject({ method: 'GET', url: '/api/v1/ping', headers: { authorization: `Bearer ${token}` } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await call('a')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await call('a');
    expect(limited.json().error).toBe('SQA_E_RATE_LIMITED');
    // Another token has its own budget; health checks are never limited.
    expect((await call('b')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  });

  it('never writes a token or a password to its logs', async () => {
    const secrets = ['ingest-S3cr3t', 'reader-S3cr3t', 'wrong-S3cr3t', 'ch-pa55word'];
    const config = loadConfig({ SQA_TOKENS: `${secrets[0]}:ingest,${secrets[1]}:read`, CLICKHOUSE_PASSWORD: secrets[3] });
    let logged = '';
    const logStream = new Writable({ write(chunk, _enc, done) { logged += String(chunk); done(); } });
    const { app } = createApp({ config, logStream });
    await app.register(async (a) => {
      a.get('/api/v1/ping', { config: { scope: 'read' } }, async () => ({ ok: true }));
      a.get('/api/v1/boom', { config: { scope: 'read' } }, async () => { throw new Error('an unexpected failure'); });
    });
    await app.ready();
    const codes = [
      (await app.inject({ method: 'GET', url: '/api/v1/ping', headers: { authorization: `Bearer ${secrets[1]}` } })).statusCode,
      (await app.inject({ method: 'GET', url: '/api/v1/ping', headers: { authorization: `Bearer ${secrets[2]}` } })).statusCode,
      (await app.inject({ method: 'GET', url: '/api/v1/ping', headers: { authorization: `Bearer ${secrets[0]}` } })).statusCode,
      (await app.inject({ method: 'GET', url: `/api/v1/ping?token=${secrets[1]}` })).statusCode,
      (await app.inject({ method: 'GET', url: '/api/v1/boom', headers: { authorization: `Bearer ${secrets[1]}` } })).statusCode,
    ];
    await app.close();
    // Answered as expected (200, 401 wrong, 403 ingest-only, query token is for the live channel only, 500)…
    expect(codes).toEqual([200, 401, 403, 401, 500]);
    // …and logged (requests, the 500 with its stack), yet no secret anywhere.
    expect(logged).toContain('an unexpected failure');
    expect(logged).toContain('[redacted]');
    for (const s of secrets) expect(logged).not.toContain(s);
  });
});

describe('URLs in logs', () => {
  it('mask a password written into a ClickHouse URL', async () => {
    const { displayUrl } = await import('../clickhouse/client.js');
    expect(displayUrl('https://sqa:pa55@ch.example:8443/')).toBe('https://sqa:***@ch.example:8443/');
    expect(displayUrl('http://ch:8123')).toBe('http://ch:8123/');
    expect(displayUrl('not a url')).toBe('(unparseable URL)');
  });
});
