// The live channel's messages (docs/api.md, "Live channel"): JSON text frames.
//   client → server: {"type":"subscribe","filter":{"service"?,"region"?}} | {"type":"ping"}
//   server → client: snapshot | update | error | pong | alert
// Malformed client input is answered with an error frame, never by closing.
import type { Alert } from '../../../events/alerts.js';
import type { LiveScope } from '../../../events/live.js';
import { NAME_PATTERN } from '../routes/query-params.js';

export type { LiveScope };

/** An anomaly or SLO alert pushed as it fires or resolves; filtered by its labels' scope. */
export type LiveAlert = Alert;

export interface LiveFilter {
  service?: string;
  region?: string;
}

export type ClientMessage = { type: 'subscribe'; filter: LiveFilter } | { type: 'ping' };

export type ServerMessage =
  | { type: 'snapshot'; at: string; scopes: LiveScope[] }
  | { type: 'update'; at: string; scopes: LiveScope[] }
  | { type: 'error'; error: LiveErrorCode; details: string }
  | { type: 'pong' }
  | { type: 'alert'; alert: LiveAlert };

/** Every error code the live channel sends, in one place. */
export const LIVE_ERRORS = {
  badMessage: 'SQA_E_BAD_MESSAGE',
  unavailable: 'SQA_E_UNAVAILABLE',
} as const;
export type LiveErrorCode = (typeof LIVE_ERRORS)[keyof typeof LIVE_ERRORS];

/** WebSocket close codes the server uses, and why. */
export const CLOSE_CODES = {
  /** The client did not read its updates for too long (bufferedAmount over the limit). */
  slowConsumer: 4008,
  /** The server is shutting down. */
  goingAway: 1001,
} as const;

export type Parsed = { ok: true; message: ClientMessage } | { ok: false; details: string };

const bad = (details: string): Parsed => ({ ok: false, details });

function parseFilter(raw: unknown): LiveFilter | string {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return 'filter: must be an object';
  const filter: LiveFilter = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k !== 'service' && k !== 'region') return `filter.${k}: unknown key (allowed: service, region)`;
    if (typeof v !== 'string' || !NAME_PATTERN.test(v)) return `filter.${k}: must be a string matching ${NAME_PATTERN.source}`;
    filter[k] = v;
  }
  return filter;
}

export function parseClientMessage(text: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return bad(`not JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('must be a JSON object with a "type"');
  const { type, filter, ...rest } = raw as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (type === 'ping') return extra.length || filter !== undefined ? bad('ping: takes no other fields') : { ok: true, message: { type: 'ping' } };
  if (type === 'subscribe') {
    if (extra.length) return bad(`subscribe: unknown field "${extra[0]}"`);
    const f = parseFilter(filter);
    return typeof f === 'string' ? bad(f) : { ok: true, message: { type: 'subscribe', filter: f } };
  }
  return bad(`type: must be "subscribe" or "ping", got ${JSON.stringify(type)?.slice(0, 40)}`);
}

export const matches = (f: LiveFilter, s: { service?: unknown; region?: unknown }): boolean =>
  (f.service === undefined || s.service === undefined || f.service === s.service)
  && (f.region === undefined || s.region === undefined || f.region === s.region);
