// The fastify instance every server starts from: one error format, bearer auth,
// /healthz. Separate from listen() so tests build the app and call inject().
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { createAuthenticator, installAuth, type Authenticator } from './auth.js';
import { installErrorHandler } from './error-handler.js';

export interface AppOptions {
  config: Pick<Config, 'tokens' | 'maxBodyBytes'> & Partial<Pick<Config, 'rateLimitPerMinute'>>;
  logger?: boolean | { level: string };
  /** Where the default logger writes (default stdout); tests read what it logs. */
  logStream?: NodeJS.WritableStream;
}

export function createApp(o: AppOptions): { app: FastifyInstance; auth: Authenticator } {
  const app = Fastify({
    // fastify's request log prints method and URL only; the Authorization header (a
    // token) is never part of it. Tokens in ?token= (WebSocket) are redacted below.
    logger: o.logger ?? {
      level: process.env.SQA_LOG_LEVEL || 'info',
      ...(o.logStream ? { stream: o.logStream } : {}),
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.replace(/([?&]token=)[^&]*/g, '$1[redacted]') }) },
    },
    bodyLimit: o.config.maxBodyBytes,
  });
  installErrorHandler(app);
  const perMinute = o.config.rateLimitPerMinute ?? 0;
  if (perMinute > 0) {
    // Per token (a digest, never the token itself), or per client address without one.
    void app.register(rateLimit, {
      global: true,
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) => {
        const h = req.headers.authorization;
        return h ? `t:${createHash('sha256').update(h).digest('hex').slice(0, 16)}` : `ip:${req.ip}`;
      },
      allowList: (req: FastifyRequest) => req.url === '/healthz' || req.url === '/readyz',
    });
  }
  const auth = createAuthenticator(o.config.tokens);
  installAuth(app, auth);
  app.get('/healthz', async () => ({ status: 'ok' }));
  return { app, auth };
}
