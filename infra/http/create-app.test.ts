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
});
