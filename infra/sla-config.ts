// Service objectives (CONTRACT.md section 4, "SLA attainment"). One JSON file holds
// defaults and per-service overrides so operators change targets without code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export { objectivesFor, type Objectives, type SlaConfig } from '../events/sla.js';
import { objectivesFor, type Objectives, type SlaConfig } from '../events/sla.js';

export const DEFAULT_SLA_PATH = fileURLToPath(new URL('../config/sla.json', import.meta.url));

const KEYS: (keyof Objectives)[] = [
  'availability', 'probeSuccess', 'latencyP95Ms', 'mttrSeconds',
  'complaintTimeliness', 'complaintResponseHours', 'complaintResolutionHours',
];

function checkObjectives(o: Record<string, unknown>, where: string, partial: boolean): void {
  for (const [k, v] of Object.entries(o)) {
    if (!KEYS.includes(k as keyof Objectives)) throw new Error(`${where}.${k}: unknown objective`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}.${k}: must be a number >= 0`);
  }
  if (!partial) for (const k of KEYS) if (!(k in o)) throw new Error(`${where}.${k}: required`);
}

export function parseSlaConfig(json: unknown, source = 'sla config'): SlaConfig {
  if (typeof json !== 'object' || json === null) throw new Error(`${source}: must be an object`);
  const { defaults, services } = json as { defaults?: unknown; services?: unknown };
  if (typeof defaults !== 'object' || defaults === null) throw new Error(`${source}: defaults: required object`);
  checkObjectives(defaults as Record<string, unknown>, `${source}: defaults`, false);
  const svc = (services ?? {}) as Record<string, unknown>;
  for (const [name, o] of Object.entries(svc)) {
    if (typeof o !== 'object' || o === null) throw new Error(`${source}: services.${name}: must be an object`);
    checkObjectives(o as Record<string, unknown>, `${source}: services.${name}`, true);
  }
  return { defaults: defaults as Objectives, services: svc as Record<string, Partial<Objectives>> };
}

export function loadSlaConfig(path = DEFAULT_SLA_PATH): SlaConfig {
  return parseSlaConfig(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** The complaint resolution target of a service, in ms (default 24 h). */
export function resolutionTargetMs(cfg: SlaConfig, service: string): number {
  return objectivesFor(cfg, service).complaintResolutionHours * 3_600_000;
}

/**
 * A processor's resolution targets: `fixedMs` for every service when given (the
 * benches), otherwise those of the SLA file at `slaPath` (default: the shipped one).
 */
export function resolutionTargets(slaPath: string | null, fixedMs?: number): (service: string) => number {
  if (fixedMs !== undefined) return () => fixedMs;
  const sla = loadSlaConfig(slaPath ?? undefined);
  return (service) => resolutionTargetMs(sla, service);
}
