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
    logger: o.logger ?? { level: process.env.SQA_LOG_LEVEL || 'info' },
    bodyLimit: o.config.maxBodyBytes,
    // Tokens must never reach the log: redact the header fastify would print.
    disableRequestLogging: true,
  });
  installErrorHandler(app);
  const auth = createAuthenticator(o.config.tokens);
  installAuth(app, auth);
  app.get('/healthz', async () => ({ status: 'ok' }));
  return { app, auth };
}
