// HTTP client of /api/v1 (relative URLs). A `?token=` on the page URL is kept in
// sessionStorage and sent as `Authorization: Bearer`; the live channel puts it
// on its URL instead (browsers cannot set headers on a WebSocket).
import type { TicketView } from '../../../../events/tickets.js';
import type { Alert, Incident, IncidentDetail, Kpis, Metric, SeriesPoint, SlaReport, Step } from './types.js';

const TOKEN_KEY = 'sqa.token';
export const API = '/api/v1';

/** Reads ?token= once, stores it, and drops it from the address bar. */
export function initToken(): void {
  try {
    const url = new URL(location.href);
    const t = url.searchParams.get('token');
    if (t) {
      sessionStorage.setItem(TOKEN_KEY, t);
      url.searchParams.delete('token');
      history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    }
  } catch {
    /* no storage: run without a token */
  }
}

export function token(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Params = Record<string, string | number | null | undefined>;

export function query(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function getJson<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  const res = await fetch(`${API}${path}${query(params)}`, { headers, signal });
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: string; details?: unknown };
      if (body?.error) msg = `${body.error}${body.details ? `: ${typeof body.details === 'string' ? body.details : JSON.stringify(body.details)}` : ''}`;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, msg);
  }
  return (await res.json()) as T;
}

/** 404 (an endpoint not deployed yet) answers `fallback` instead of failing. */
async function orEmpty<T>(p: Promise<T>, fallback: T): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 501)) return fallback;
    throw e;
  }
}

export interface ScopeQuery {
  service: string;
  region?: string | null;
  from: string;
  to: string;
}

export const getKpis = (q: ScopeQuery, signal?: AbortSignal) => getJson<Kpis>('/kpis', { ...q }, signal);

export const getSeries = (q: ScopeQuery & { metric: Metric; step: Step }, signal?: AbortSignal) =>
  getJson<{ points: SeriesPoint[] }>('/series', { ...q }, signal).then((r) => r.points ?? []);

export const getIncidents = (q: Partial<ScopeQuery> & { state?: 'open' | 'resolved' }, signal?: AbortSignal) =>
  orEmpty(getJson<{ incidents: Incident[] }>('/incidents', { ...q }, signal), { incidents: [] }).then((r) => r.incidents ?? []);

export const getIncident = (id: string, signal?: AbortSignal) =>
  orEmpty<IncidentDetail | null>(getJson<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`, {}, signal), null);

export const getAlerts = (state: 'firing' | 'resolved' = 'firing', signal?: AbortSignal) =>
  orEmpty(getJson<{ alerts: Alert[] }>('/alerts', { state }, signal), { alerts: [] }).then((r) => r.alerts ?? []);

export interface TicketList {
  tickets: TicketView[];
  total: number;
  overdue: Record<'response' | 'resolution', number>;
}

/** The complaint loop: open (or overdue) tickets of a scope, whatever their age. */
export const getTickets = (q: { service: string; region?: string | null; state: 'open' | 'overdue' }, signal?: AbortSignal) =>
  orEmpty(getJson<TicketList>('/tickets', { ...q, limit: 50 }, signal), { tickets: [], total: 0, overdue: { response: 0, resolution: 0 } });

export const getSla = (q: { service: string; from: string; to: string }, signal?: AbortSignal) => getJson<SlaReport>('/sla', { ...q }, signal);

/** ws(s)://host/api/v1/live[?token=…] */
export function liveUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const t = token();
  return `${proto}//${location.host}${API}/live${t ? `?token=${encodeURIComponent(t)}` : ''}`;
}
