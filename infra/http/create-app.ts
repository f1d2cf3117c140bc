// The fastify instance every server starts from: one error format, bearer auth,
// /healthz. Separate from listen() so tests build the app and call inject().
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { createAuthenticator, installAuth, type Authenticator } from './auth.js';
import { installErrorHandler } from './error-handler.js';

export interface AppOptions {
  config: Pick<Config, 'tokens' | 'maxBodyBytes'>;
  logger?: boolean | { level: string };
}

export function createApp(o: AppOptions): { app: FastifyInstance; auth: Authenticator } {
  const app = Fastify({
    // fastify's request log prints method and URL only; the Authorization header (a
    // token) is never part of it. Tokens in ?token= (WebSocket) are redacted below.
    logger: o.logger ?? {
      level: process.env.SQA_LOG_LEVEL || 'info',
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.replace(/([?&]token=)[^&]*/g, '$1[redacted]') }) },
    },
    bodyLimit: o.config.maxBodyBytes,
  });
  installErrorHandler(app);
  const auth = createAuthenticator(o.config.tokens);
  installAuth(app, auth);
  app.get('/healthz', async () => ({ status: 'ok' }));
  return { app, auth };
}
