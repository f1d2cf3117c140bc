// A simulator scenario with its independently computed ground truth, for the
// end-to-end, crash and rebalance tests.
import type { Kafka } from 'kafkajs';
import type { ExpectStatic } from 'vitest';
import type { Kpis } from '../../events/figures.js';
import type { Config } from '../../infra/config.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { createKafkaEventProducer } from '../../ingest/kafka-producer.js';
import { simulate } from '../../ingest/simulator/generator.js';
import { computeGroundTruth, type GroundTruth } from '../../ingest/simulator/ground-truth.js';
import { scenarioPeriod } from '../../ingest/simulator/scenario-file.js';
import { producerTarget } from '../../ingest/simulator/send-targets.js';
import type { GeneratorOptions } from '../../ingest/simulator/sim-options.js';

export interface Scenario {
  events: unknown[];
  from: number;
  to: number;
  truth: GroundTruth;
}

export function makeScenario(o: Partial<GeneratorOptions> & { seed: number; durationMs: number; rate: number }): Scenario {
  const generator: GeneratorOptions = {
    start: Date.UTC(2026, 5, 1, 8, 0), services: ['voice', 'broadband'], regions: ['north', 'south'],
    incidentsPerHour: 6, complaintsPerHour: 30, surveysPerHour: 30,
    faults: { duplicateRate: 0.01, outOfOrderRate: 0.02, lateRate: 0.002, invalidRate: 0.002 },
    ...o,
  };
  const events = [...simulate(generator)].map((e) => e.event);
  const { from, to } = scenarioPeriod(generator.start, generator.durationMs);
  const truth = computeGroundTruth(events, { from, to, latenessMs: 120_000, sla: loadSlaConfig() });
  return { events, from, to, truth };
}

/** Produces events [start, end) of the scenario to the topic, in order. */
export async function produceScenario(kafka: Kafka, config: Config, events: unknown[], start = 0, end = events.length): Promise<void> {
  const producer = createKafkaEventProducer(kafka, config.kafka.topics);
  const send = producerTarget(producer);
  try {
    for (let i = start; i < end; i += 1000) await send(events.slice(i, Math.min(end, i + 1000)));
  } finally {
    await producer.close();
  }
}

/** Compares figures read back with the ground truth: counts exactly, times to the ms, quantiles within 1 %. */
export function expectFiguresMatch(actual: Kpis, truth: Kpis, expect: ExpectStatic): void {
  const label = `${truth.service}|${truth.region ?? '*'}`;
  const close = (a: number | null, b: number | null, tol: number, what: string) => {
    if (b === null) return expect(a, `${label} ${what}`).toBeNull();
    expect(a, `${label} ${what}`).not.toBeNull();
    expect(Math.abs(a! - b), `${label} ${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
  };
  const rel = (a: number | null, b: number | null, what: string) => close(a, b, b === null ? 0 : Math.abs(b) * 0.01, what);
  close(actual.availability, truth.availability, 1e-9, 'availability');
  close(actual.downtimeSeconds, truth.downtimeSeconds, 0.001, 'downtimeSeconds');
  expect(actual.faults, `${label} faults`).toBe(truth.faults);
  close(actual.mttrSeconds, truth.mttrSeconds, 0.001, 'mttrSeconds');
  close(actual.mttaSeconds, truth.mttaSeconds, 0.001, 'mttaSeconds');
  expect(actual.probes.total, `${label} probes`).toBe(truth.probes.total);
  close(actual.probes.successRate, truth.probes.successRate, 1e-12, 'successRate');
  rel(actual.probes.p50, truth.probes.p50, 'p50');
  rel(actual.probes.p95, truth.probes.p95, 'p95');
  rel(actual.probes.p99, truth.probes.p99, 'p99');
  expect(actual.complaints.byCategory, `${label} complaints`).toEqual(truth.complaints.byCategory);
  close(actual.complaints.meanResponseSeconds, truth.complaints.meanResponseSeconds, 0.001, 'response');
  close(actual.complaints.meanResolutionSeconds, truth.complaints.meanResolutionSeconds, 0.001, 'resolution');
  close(actual.complaints.timeliness, truth.complaints.timeliness, 1e-12, 'timeliness');
  expect(actual.nps, `${label} nps`).toEqual(truth.nps);
  expect(actual.csat, `${label} csat`).toEqual(truth.csat);
}
