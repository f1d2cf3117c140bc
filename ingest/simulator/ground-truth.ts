// The figures the pipeline must produce for a scenario, worked out directly
// from CONTRACT.md sections 1, 3 and 4 over the events in arrival order:
// validate → drop repeated ids → drop late events → figures per scope and per
// service. Independent of processors/ on purpose (it is their reference).
import type { Kpis } from '../../events/figures.js';
import { validateEvent } from '../../events/schema.js';
import { scopeKey, type AlarmEvent, type ComplaintEvent, type SqaEvent } from '../../events/types.js';
import { resolutionTargetMs, type SlaConfig } from '../../infra/sla-config.js';
import {
  alarmFigures, alarmOccurrences, complaintFigures, emptyTally, outageIntervals, probeFigures,
  surveyFigures, tickets, unionLengthMs, type AlarmOccurrence, type Period, type SurveyTally, type Ticket,
} from './truth-figures.js';

export const DEFAULT_TRUTH_LATENESS_MS = 120_000;

export interface TruthOptions {
  /** Period [from, to), epoch ms (the contract aligns both to whole minutes). */
  from: number;
  to: number;
  latenessMs?: number;
  sla: SlaConfig;
}

export interface GroundTruth {
  scopes: Kpis[];
  services: Kpis[];
  /** Ids of events dropped as late, in arrival order. */
  late: string[];
  /** Ids of dropped repeats, one entry per repeated arrival. */
  duplicates: string[];
  invalid: number;
}

export type Verdict = 'accepted' | 'invalid' | 'duplicate' | 'late';

/** What one scope contributes; probes and surveys are tallied for the period only. */
interface ScopeFacts {
  service: string;
  region: string;
  alarms: Map<string, AlarmEvent[]>;
  complaints: ComplaintEvent[];
  probeTotal: number;
  probeOk: number;
  latencies: number[];
  surveys: SurveyTally;
}

function newFacts(service: string, region: string): ScopeFacts {
  return { service, region, alarms: new Map(), complaints: [], probeTotal: 0, probeOk: 0, latencies: [], surveys: emptyTally() };
}

function collect(f: ScopeFacts, e: SqaEvent, p: Period): void {
  const inside = e.ts >= p.from && e.ts < p.to;
  switch (e.type) {
    case 'alarm': {
      const list = f.alarms.get(e.alarmId);
      if (list) list.push(e);
      else f.alarms.set(e.alarmId, [e]);
      return;
    }
    case 'complaint':
      f.complaints.push(e);
      return;
    case 'probe':
      if (!inside) return;
      f.probeTotal++;
      if (e.ok) {
        f.probeOk++;
        f.latencies.push(e.latencyMs!);
      }
      return;
    case 'survey':
      if (!inside) return;
      if (e.scale === 'nps') {
        f.surveys.npsResponses++;
        if (e.score >= 9) f.surveys.promoters++;
        else if (e.score <= 6) f.surveys.detractors++;
      } else {
        f.surveys.csatResponses++;
        if (e.score >= 4) f.surveys.satisfied++;
      }
      return;
  }
}

interface Derived {
  facts: ScopeFacts;
  occurrences: AlarmOccurrence[];
  tickets: Ticket[];
}

function derive(facts: ScopeFacts): Derived {
  const occurrences = [...facts.alarms.values()].flatMap((events) => alarmOccurrences(events));
  return { facts, occurrences, tickets: tickets(facts.complaints) };
}

/**
 * Kpis over one or more scopes of a service. Availability of several regions is
 * the plain mean of the regional ones (§4), and so is downtime, so that
 * availability = 1 − downtime / period holds at every level (decision in
 * docs/figures.md); everything else is over the union of events.
 */
function kpis(parts: Derived[], region: string | null, p: Period, sla: SlaConfig): Kpis {
  const service = parts[0]!.facts.service;
  const periodMs = p.to - p.from;
  const occurrences = parts.flatMap((d) => d.occurrences);
  const downtimes = parts.map((d) => unionLengthMs(outageIntervals(d.occurrences, p), p));
  const regional = downtimes.map((ms) => 1 - ms / periodMs);
  const latencies = parts.flatMap((d) => d.facts.latencies);
  const tally = emptyTally();
  for (const d of parts) for (const k of Object.keys(tally) as (keyof SurveyTally)[]) tally[k] += d.facts.surveys[k];
  return {
    service,
    region,
    from: new Date(p.from).toISOString(),
    to: new Date(p.to).toISOString(),
    availability: regional.reduce((a, b) => a + b, 0) / regional.length,
    downtimeSeconds: downtimes.reduce((a, b) => a + b, 0) / downtimes.length / 1000,
    ...alarmFigures(occurrences, p),
    probes: probeFigures(
      parts.reduce((n, d) => n + d.facts.probeTotal, 0),
      parts.reduce((n, d) => n + d.facts.probeOk, 0),
      latencies,
    ),
    complaints: complaintFigures(parts.flatMap((d) => d.tickets), p, resolutionTargetMs(sla, service)),
    ...surveyFigures(tally),
  };
}

/** Feed events one by one in arrival order, then ask for the result. */
export function createGroundTruth(opts: TruthOptions): { add(raw: unknown): Verdict; result(): GroundTruth } {
  if (!(opts.to > opts.from)) throw new RangeError('ground truth period: to must be after from');
  const period: Period = { from: opts.from, to: opts.to };
  const lateness = opts.latenessMs ?? DEFAULT_TRUTH_LATENESS_MS;
  const seen = new Set<string>();
  const newest = new Map<string, number>();
  const scopes = new Map<string, ScopeFacts>();
  const late: string[] = [];
  const duplicates: string[] = [];
  let invalid = 0;

  function add(raw: unknown): Verdict {
    const v = validateEvent(raw);
    if (!v.ok) {
      invalid++;
      return 'invalid';
    }
    const e = v.event;
    // A repeated id is a duplicate whatever became of its first arrival (§1).
    if (seen.has(e.id)) {
      duplicates.push(e.id);
      return 'duplicate';
    }
    seen.add(e.id);
    const key = scopeKey(e);
    const top = newest.get(key);
    // Watermark per scope = newest event time seen minus the lateness (§3).
    if (top !== undefined && e.ts < top - lateness) {
      late.push(e.id);
      return 'late';
    }
    if (top === undefined || e.ts > top) newest.set(key, e.ts);
    let facts = scopes.get(key);
    if (!facts) scopes.set(key, (facts = newFacts(e.service, e.region)));
    collect(facts, e, period);
    return 'accepted';
  }

  function result(): GroundTruth {
    const derived = [...scopes.values()]
      .sort((a, b) => a.service.localeCompare(b.service) || a.region.localeCompare(b.region))
      .map(derive);
    const byService = new Map<string, Derived[]>();
    for (const d of derived) {
      const list = byService.get(d.facts.service);
      if (list) list.push(d);
      else byService.set(d.facts.service, [d]);
    }
    return {
      scopes: derived.map((d) => kpis([d], d.facts.region, period, opts.sla)),
      services: [...byService.values()].map((parts) => kpis(parts, null, period, opts.sla)),
      late: [...late],
      duplicates: [...duplicates],
      invalid,
    };
  }

  return { add, result };
}

export function computeGroundTruth(events: Iterable<unknown>, opts: TruthOptions): GroundTruth {
  const truth = createGroundTruth(opts);
  for (const e of events) truth.add(e);
  return truth.result();
}
