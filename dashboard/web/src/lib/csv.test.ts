import { describe, expect, it } from 'vitest';
import { csvField, cumulativeBurn, slaCsv, slaCsvName, toCsv } from './csv.js';
import type { SlaReport } from './types.js';

const report: SlaReport = {
  service: 'voice',
  from: '2026-11-01T00:00:00Z',
  to: '2026-12-01T00:00:00Z',
  objectives: [
    { objective: 'availability', target: 0.9995, actual: 0.9991, met: false },
    { objective: 'probeSuccess', target: 0.99, actual: 0.995, met: true },
    { objective: 'complaintTimeliness', target: 0.9, actual: null, met: null },
  ],
  shareMet: 0.5,
  errorBudget: {
    allowedSeconds: 1296, usedSeconds: 2332.8, remainingSeconds: -1036.8, remainingShare: -0.8,
    burn: [{ t: '2026-11-01T00:00:00Z', usedSeconds: 10 }, { t: '2026-11-02T00:00:00Z', usedSeconds: 15 }],
  },
};

describe('csvField', () => {
  it('quotes commas, quotes, newlines and edge spaces; empties null', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(' pad')).toBe('" pad"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(0.25)).toBe('0.25');
  });
  it('joins rows with CRLF and ends with one', () => {
    expect(toCsv([['a', 1], ['b', null]])).toBe('a,1\r\nb,\r\n');
  });
});

describe('slaCsv', () => {
  const lines = slaCsv(report).trimEnd().split('\r\n');
  it('has a header, one row per objective, a summary row and the budget rows', () => {
    expect(lines[0]).toBe('service,from,to,row,name,target,actual,met');
    expect(lines.filter((l) => l.includes(',objective,'))).toHaveLength(3);
    expect(lines.filter((l) => l.includes(',budget,'))).toHaveLength(4);
    expect(lines).toHaveLength(1 + 3 + 1 + 4);
  });
  it('writes met as yes/no/empty and null actuals as empty', () => {
    expect(lines[1]).toBe('voice,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,objective,availability,0.9995,0.9991,no');
    expect(lines[2].endsWith(',yes')).toBe(true);
    expect(lines[3]).toBe('voice,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,objective,complaintTimeliness,0.9,,');
  });
  it('marks an overspent budget', () => {
    expect(lines.find((l) => l.includes(',usedSeconds,'))).toBe('voice,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,budget,usedSeconds,1296,2332.8,no');
    expect(lines.find((l) => l.includes(',remainingShare,'))?.endsWith(',-0.8,')).toBe(true);
  });
});

describe('slaCsvName', () => {
  it('is sla-<service>-<from>-<to>.csv without characters a filesystem dislikes', () => {
    expect(slaCsvName('voice', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z')).toBe('sla-voice-2026-11-01T00-00-00Z-2026-12-01T00-00-00Z.csv');
    expect(slaCsvName('mobile-data', 'a/b', 'c:d')).toBe('sla-mobile-data-a-b-c-d.csv');
  });
});

describe('burn points', () => {
  it('takes usedSeconds as the running total (docs/api.md)', () => {
    expect(cumulativeBurn(report.errorBudget.burn)).toEqual([
      { t: Date.parse('2026-11-01T00:00:00Z'), used: 10 },
      { t: Date.parse('2026-11-02T00:00:00Z'), used: 15 },
    ]);
  });
});
