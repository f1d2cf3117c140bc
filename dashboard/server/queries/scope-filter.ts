// Which scopes a query reads. Turned into SQL with query parameters only; the
// only text spliced into statements is fixed column names.
import type { Scope } from '../../../events/types.js';

export type ScopeFilter =
  /** One service, one region or (region null) all of its regions. */
  | { service: string; region: string | null }
  /** An explicit list of scopes (the live channel's changed scopes). */
  | { scopes: readonly Scope[] }
  | 'all';

export type Params = Record<string, unknown>;

/** A WHERE condition for the filter; fills `params`. Never empty: 'all' is `1`. */
export function scopeCondition(f: ScopeFilter, params: Params): string {
  if (f === 'all') return '1';
  if ('scopes' in f) {
    // Tuples cannot be passed as query parameters through the client, so scopes
    // travel as `service|region` keys; the service list keeps the primary key usable.
    params.f_services = [...new Set(f.scopes.map((s) => s.service))];
    params.f_keys = f.scopes.map((s) => `${s.service}|${s.region}`);
    return `service IN {f_services:Array(String)} AND has({f_keys:Array(String)}, concat(service, '|', region))`;
  }
  params.f_service = f.service;
  if (f.region === null) return 'service = {f_service:String}';
  params.f_region = f.region;
  return 'service = {f_service:String} AND region = {f_region:String}';
}

/** Either filter optional: one service (and region), one region across services, or everything. */
export function optionalScopeCondition(service: string | null, region: string | null, params: Params): string {
  if (service !== null) return scopeCondition({ service, region }, params);
  if (region === null) return '1';
  params.f_region = region;
  return 'region = {f_region:String}';
}

/** Epoch ms → a DateTime condition operand, as a parameter. */
export function secondsParam(params: Params, name: string, ms: number): string {
  params[name] = Math.floor(ms / 1000);
  return `toDateTime({${name}:UInt32}, 'UTC')`;
}

export function millisParam(params: Params, name: string, ms: number): string {
  params[name] = Math.floor(ms);
  return `fromUnixTimestamp64Milli({${name}:Int64}, 'UTC')`;
}
