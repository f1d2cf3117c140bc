import { describe, expect, it } from 'vitest';
import type { LiveScope } from '../../../events/live.js';
import { scopesFrame } from './live-client.js';

const scope = (region: string, probes: number): LiveScope => ({
  service: 'voice', region, activeOutages: 0, provisional: true, updatedAt: '2026-03-01T10:00:00.000Z',
  kpis: { service: 'voice', region, from: 'a', to: 'b', availability: 1, downtimeSeconds: 0, faults: 0, mttrSeconds: null, mttaSeconds: null,
    probes: { total: probes, successRate: 1, p50: 1, p95: 2, p99: 3 },
    complaints: { opened: 0, byCategory: { network: 0, billing: 0, service: 0, other: 0 }, meanResponseSeconds: null, meanResolutionSeconds: null, timeliness: null },
    nps: { responses: 0, score: null }, csat: { responses: 0, score: null } },
  lastHour: { service: 'voice', region, from: 'a', to: 'b', availability: null, downtimeSeconds: null, faults: 0, mttrSeconds: null, mttaSeconds: null,
    probes: { total: 0, successRate: null, p50: null, p95: null, p99: null },
    complaints: { opened: 0, byCategory: { network: 0, billing: 0, service: 0, other: 0 }, meanResponseSeconds: null, meanResolutionSeconds: null, timeliness: null },
    nps: { responses: 0, score: null }, csat: { responses: 0, score: null } },
});

describe('live frames', () => {
  it('are the same text JSON.stringify gives, whichever scopes and however often they are reused', () => {
    const a = scope('north', 3);
    const b = scope('south "quoted"', 4);
    for (const scopes of [[a, b], [b], [a, b, a], []]) {
      expect(scopesFrame('update', '2026-03-01T10:00:01.000Z', scopes)).toBe(JSON.stringify({ type: 'update', at: '2026-03-01T10:00:01.000Z', scopes }));
    }
    expect(JSON.parse(scopesFrame('snapshot', 'x', [a]))).toEqual({ type: 'snapshot', at: 'x', scopes: [a] });
  });
});
