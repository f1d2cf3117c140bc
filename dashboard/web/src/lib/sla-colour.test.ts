import { describe, expect, it } from 'vitest';
import { objectivesFor } from '../../../../events/sla.js';
import { availabilityStatus, cellStatus, latencyStatus, maxStatus, minStatus, probeStatus, worst } from './sla-colour.js';
import type { Kpis } from './types.js';

const cfg = {
  defaults: { availability: 0.999, probeSuccess: 0.99, latencyP95Ms: 250, mttrSeconds: 14400, complaintTimeliness: 0.9, complaintResponseHours: 4, complaintResolutionHours: 24 },
  services: { voice: { availability: 0.9995, latencyP95Ms: 150 } },
};

describe('objectivesFor', () => {
  it('overlays the service on the defaults', () => {
    expect(objectivesFor(cfg, 'voice')).toEqual({
      availability: 0.9995, probeSuccess: 0.99, latencyP95Ms: 150, mttrSeconds: 14400, complaintTimeliness: 0.9, complaintResponseHours: 4, complaintResolutionHours: 24,
    });
    expect(objectivesFor(cfg, 'unknown').latencyP95Ms).toBe(250);
  });
});

describe('availabilityStatus', () => {
  const day = 86_400; // budget at 0.999: 86.4 s
  it('is red below the target', () => expect(availabilityStatus(0.998, 0.999, day)).toBe('bad'));
  it('is amber once 75 % of the budget is used (25 % or less left)', () => {
    expect(availabilityStatus(1 - 64 / day, 0.999, day, 64)).toBe('ok'); // 26 % left
    expect(availabilityStatus(1 - 65 / day, 0.999, day, 65)).toBe('risk'); // 24.8 % left
    expect(availabilityStatus(1 - 86.4 / day, 0.999, day, 86.4)).toBe('risk'); // exactly used up: met, at risk
  });
  it('derives downtime from availability when not given', () => {
    expect(availabilityStatus(1 - 80 / day, 0.999, day)).toBe('risk');
    expect(availabilityStatus(1, 0.999, day)).toBe('ok');
  });
  it('is grey without data', () => expect(availabilityStatus(null, 0.999, day)).toBe('nodata'));
});

describe('latency and probe success', () => {
  it('latency: red above target, amber from 90 % of it', () => {
    expect(latencyStatus(151, 150)).toBe('bad');
    expect(latencyStatus(150, 150)).toBe('risk');
    expect(latencyStatus(135, 150)).toBe('risk');
    expect(latencyStatus(134, 150)).toBe('ok');
    expect(latencyStatus(null, 150)).toBe('nodata');
  });
  it('probe success: red below target, amber when failures reach 90 % of the allowed failure share', () => {
    expect(probeStatus(0.98, 0.99)).toBe('bad');
    expect(probeStatus(0.99, 0.99)).toBe('risk');
    expect(probeStatus(0.9905, 0.99)).toBe('risk');
    expect(probeStatus(0.995, 0.99)).toBe('ok');
    expect(probeStatus(undefined, 0.99)).toBe('nodata');
  });
  it('MTTR and timeliness have no amber band', () => {
    expect(maxStatus(14401, 14400)).toBe('bad');
    expect(maxStatus(14400, 14400)).toBe('ok');
    expect(minStatus(0.89, 0.9)).toBe('bad');
    expect(minStatus(0.9, 0.9)).toBe('ok');
  });
});

describe('worst', () => {
  it('ranks bad > risk > ok > nodata', () => {
    expect(worst(['ok', 'risk', 'nodata'])).toBe('risk');
    expect(worst(['ok', 'bad', 'risk'])).toBe('bad');
    expect(worst(['nodata', 'nodata'])).toBe('nodata');
    expect(worst([])).toBe('nodata');
  });
});

function kpis(over: Partial<Kpis> = {}): Kpis {
  return {
    service: 'voice',
    region: 'north',
    from: '2026-11-28T00:00:00Z',
    to: '2026-11-29T00:00:00Z',
    availability: null,
    downtimeSeconds: null,
    faults: 0,
    mttrSeconds: null,
    mttaSeconds: null,
    probes: { total: 0, successRate: null, p50: null, p95: null, p99: null },
    complaints: { opened: 0, byCategory: { network: 0, billing: 0, service: 0, other: 0 }, meanResponseSeconds: null, meanResolutionSeconds: null, timeliness: null },
    nps: { responses: 0, score: null },
    csat: { responses: 0, score: null },
    ...over,
  };
}

describe('cellStatus', () => {
  const o = objectivesFor(cfg, 'voice');
  it('is grey with no figure at all', () => expect(cellStatus(kpis(), kpis(), o).overall).toBe('nodata'));
  it('is grey with no scope', () => expect(cellStatus(undefined, undefined, o).overall).toBe('nodata'));
  it('takes the worst figure: last-hour latency over target turns a met day red', () => {
    const today = kpis({ availability: 1, downtimeSeconds: 0 });
    const hour = kpis({ probes: { total: 10, successRate: 1, p50: 20, p95: 200, p99: 300 } });
    const s = cellStatus(today, hour, o);
    expect(s.availability).toBe('ok');
    expect(s.latency).toBe('bad');
    expect(s.overall).toBe('bad');
  });
  it('is green when every figure with data is met', () => {
    const today = kpis({ availability: 1, downtimeSeconds: 0, mttrSeconds: 600 });
    const hour = kpis({ probes: { total: 10, successRate: 1, p50: 20, p95: 40, p99: 60 } });
    expect(cellStatus(today, hour, o).overall).toBe('ok');
  });
});
