// WebSocket /api/v1/live (CONTRACT.md section 5; protocol in protocol.ts and
// docs/api.md). Browsers cannot set headers on a WebSocket, so the token may also
// come as `?token=`; the Origin check stops other web sites from opening the
// channel with a user's browser (cross-site WebSocket hijacking).
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authorize, type Authenticator } from '../../../infra/http/auth.js';
import { forbidden } from '../../../infra/http/errors.js';
import type { DashboardMetrics } from '../metrics.js';
import { attachLiveClient, type LiveClientOptions } from './live-client.js';
import type { LiveSource } from './live-source.js';
import { CLOSE_CODES } from './protocol.js';

export interface LiveRouteOptions {
  source: LiveSource;
  auth: Authenticator;
  metrics: DashboardMetrics;
  client: LiveClientOptions;
  /**
   * Origins (scheme://host[:port]) allowed to open the channel; null = only pages
   * served by this host (Origin's host equals the Host header). '*' allows any.
   * Requests without an Origin header (non-browser clients) are allowed: the
   * check protects browsers, and other clients can send any header anyway.
   */
  allowedOrigins: readonly string[] | null;
  /** Largest client message, bytes (default 64 KiB); larger ones close the socket (1009). */
  maxMessageBytes?: number;
}

export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[] | null): boolean {
  if (origin === undefined) return true;
  if (allowed !== null) return allowed.includes('*') || allowed.includes(origin);
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    // An unparseable Origin cannot be same-host; refusing is the answer.
    return false;
  }
}

function tokenHeader(req: FastifyRequest): string | undefined {
  if (req.headers.authorization) return req.headers.authorization;
  const token = (req.query as Record<string, unknown>).token;
  return typeof token === 'string' && token !== '' ? `Bearer ${token}` : undefined;
}

export const liveRoute: FastifyPluginAsync<LiveRouteOptions> = async (app, o) => {
  await app.register(websocket, {
    options: { maxPayload: o.maxMessageBytes ?? 64 * 1024 },
    // Shutdown: say goodbye, and do not wait on clients that no longer read.
    preClose(done) {
      for (const c of this.websocketServer.clients) {
        c.close(CLOSE_CODES.goingAway, 'server shutting down');
        setTimeout(() => c.terminate(), 500).unref();
      }
      this.websocketServer.close(() => done());
    },
  });

  app.get('/live', {
    websocket: true,
    preValidation: async (req) => {
      req.tokenId = authorize(o.auth, { headers: { authorization: tokenHeader(req) } }, 'read');
      if (!originAllowed(req.headers.origin, req.headers.host, o.allowedOrigins)) {
        throw forbidden(`origin ${req.headers.origin} may not open the live channel`);
      }
    },
  }, (socket) => {
    attachLiveClient({ socket, source: o.source, metrics: o.metrics, options: o.client, log: (msg, err) => app.log.warn({ err }, msg) });
  });
};
