import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { generateEvents } from './generator.js';
import { computeGroundTruth } from './ground-truth.js';
import { readScenarioEvents, readScenarioTruth, scenarioPeriod, writeScenario } from './scenario-file.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('scenario files', () => {
  it('widens the run to whole minutes', () => {
    const start = Date.parse('2026-01-05T10:00:30Z');
    expect(scenarioPeriod(start, 10 * 60_000)).toEqual({ from: Date.parse('2026-01-05T10:00:00Z'), to: Date.parse('2026-01-05T10:11:00Z') });
  });

  it('writes the events in send order and a truth that the events reproduce', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sqa-scenario-'));
    dirs.push(dir);
    const options = {
      seed: 7, start: Date.parse('2026-01-05T10:00:00Z'), durationMs: 15 * 60_000, rate: 50,
      faults: { duplicateRate: 0.01, outOfOrderRate: 0.01, lateRate: 0.002, invalidRate: 0.002 },
    };
    const sla = loadSlaConfig();
    const written = await writeScenario(dir, options, sla);

    const events: unknown[] = [];
    for await (const e of readScenarioEvents(dir)) events.push(e);
    expect(events).toEqual([...generateEvents(options)]);
    expect(written.counts.events).toBe(events.length);

    const stored = await readScenarioTruth(dir);
    expect(stored).toEqual(written);
    expect(stored.options).toEqual(options);
    expect(stored.from).toBe('2026-01-05T10:00:00.000Z');
    expect(stored.to).toBe('2026-01-05T10:15:00.000Z');
    const again = computeGroundTruth(events, { from: Date.parse(stored.from), to: Date.parse(stored.to), latenessMs: stored.latenessMs, sla });
    expect(again).toEqual(stored.truth);
    expect(stored.truth.late.length).toBe(stored.counts.faults.late);
    expect(stored.truth.duplicates.length).toBe(stored.counts.faults.duplicate);
    expect(stored.truth.invalid).toBe(stored.counts.faults.invalid);
    expect(stored.truth.scopes).toHaveLength(25);
    expect(stored.truth.services.map((s) => s.service)).toEqual(['broadband', 'iptv', 'mobile-data', 'sms', 'voice']);
  });

  it('refuses an endless scenario', async () => {
    await expect(writeScenario('/nonexistent', { seed: 1, start: 0, durationMs: Infinity, rate: 1 })).rejects.toThrow(/finite/);
  });
});
