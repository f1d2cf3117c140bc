// A simulated stretch of network life run through the real pure stages: simulator →
// schema → processor core → minute rollups and alarm intervals → alert engine. No
// broker or engine: this is about what the detectors make of realistic data.
import type { Alert } from '../../events/alerts.js';
import { validateEvent } from '../../events/schema.js';
import { simulate, type GeneratorOptions } from '../../ingest/simulator/generator.js';
import { createProcessorCore, type AlarmRecord, type Rollup } from '../../processors/core/index.js';
import { AlertEngine, type AlertEngineOptions } from '../../processors/core/alerts/alert-engine.js';
import { buildMinuteInputs } from '../../processors/core/alerts/minute-inputs.js';

export interface WeekResult {
  alerts: Alert[];
  events: number;
}

export function runAlertWeek(sim: GeneratorOptions, engine: AlertEngineOptions): WeekResult {
  const core = createProcessorCore({ clock: () => 0, latenessMs: sim.latenessMs });
  const rollups = new Map<string, Rollup>();
  const alarms = new Map<string, AlarmRecord>();
  const take = () => {
    const d = core.drain();
    for (const r of d.rollups) if (r.res === '1m') rollups.set(`${r.service}|${r.region}|${r.start}`, r);
    for (const a of d.alarms) alarms.set(`${a.service}|${a.region}|${a.alarmId}|${a.raisedTs}`, a);
  };
  let events = 0;
  for (const e of simulate(sim)) {
    const v = validateEvent(e.event);
    if (!v.ok) continue;
    core.apply(v.event, ++events);
    if (events % 20_000 === 0) take();
  }
  take();

  const from = sim.start;
  const to = sim.start + sim.durationMs;
  const scopes = new Set([...rollups.values()].map((r) => `${r.service}|${r.region}`));
  const alertEngine = new AlertEngine(engine);
  const alerts: Alert[] = [];
  for (const scope of [...scopes].sort()) {
    const [service, region] = scope.split('|') as [string, string];
    const mine = [...rollups.values()].filter((r) => r.service === service && r.region === region).map((r) => ({
      start: r.start, probes: r.probes, probesOk: r.probesOk, latency: r.latency, faults: r.faults,
      complaints: r.openedNetwork + r.openedBilling + r.openedService + r.openedOther,
    }));
    const outages = [...alarms.values()].filter((a) => a.service === service && a.region === region && a.outage && !a.deleted)
      .map((a) => ({ start: a.raisedTs, end: a.clearedTs }));
    for (const m of buildMinuteInputs(from, to, mine, outages)) alerts.push(...alertEngine.step(service, region, m));
  }
  return { alerts, events };
}
