// The dashboard in Debian's Chromium against the real server, broker and engine:
// the wall display reacts to an outage within 5 s, the ops view drills from a
// service to an incident to its raw events and shows the complaint loop, the SLA
// view exports CSV. Screenshots
// of every view at 1920×1080 land in test-artifacts/ for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Alert } from '../../events/alerts.js';
import { saveAlerts } from '../../processors/alerts/alert-store.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { waitFor } from '../helpers/db.js';

const ART = 'test-artifacts';
const now = Date.now();
const sc = { service: 'voice', region: 'north' };
let n = 0;
const probe = (ts: number, latencyMs: number) => ({ id: `w${n++}`, type: 'probe', ts, ...sc, element: 'cell-7', ok: true, latencyMs });

describe('dashboard in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ART, { recursive: true });
    stack = await startStack();
    // A complaint opened 5 h ago and never acknowledged (voice must respond within 4 h),
    // sent first so it is not behind the watermark; then ten minutes of healthy probes
    // up to now in two scopes, and a fresh network complaint 3 minutes ago.
    const events: unknown[] = [{ id: 'tt-old', type: 'complaint', ts: now - 5 * 3_600_000, ...sc, ticketId: 'TT-OLD', state: 'opened', category: 'billing' }];
    for (let t = now - 10 * 60_000; t <= now; t += 5_000) {
      events.push(probe(t, 40 + (t % 7)));
      events.push({ ...probe(t, 25), region: 'south' });
    }
    events.push({ id: 'tt-new', type: 'complaint', ts: now - 3 * 60_000, ...sc, ticketId: 'TT-NEW', state: 'opened', category: 'network' });
    events.sort((a, b) => (a as { ts: number }).ts - (b as { ts: number }).ts);
    await stack.ingest(events);
    browser = await chromium.launch({
      executablePath: process.env.SQA_CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('wall display shows a live availability change within 5 s of an outage event', async () => {
    await page.goto(`${stack.url}/wall`);
    const cell = page.getByTestId('availability-voice-north');
    await cell.waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await cell.textContent())?.trim(), { timeout: 30_000 }).toMatch(/^100\.000/);
    await page.screenshot({ path: `${ART}/wall.png` });
    // No scrollbars at 1920×1080.
    const overflow = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(overflow.w).toBeLessThanOrEqual(1920);
    expect(overflow.h).toBeLessThanOrEqual(1080);

    const t0 = Date.now();
    await stack.ingest([{ id: 'outage-1', type: 'alarm', ts: t0 - 90_000, ...sc, element: 'cell-7', alarmId: 'LINK-7', state: 'raised', severity: 'critical' }]);
    await expect.poll(async () => (await cell.textContent())?.trim(), { timeout: 5_000, interval: 100 }).not.toMatch(/^100\.000/);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(5_000);
    await page.screenshot({ path: `${ART}/wall-outage.png` });

    // An alert written by the evaluator reaches the wall's strip live, then resolves.
    const alert: Alert = {
      fingerprint: 'e2e0000000000001', status: 'firing', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: null,
      summary: 'voice/north: availability error budget burning 50.0× over 1 h and 600.0× over 5 min (page above 14.4×; objective 99.95 %)',
      values: { rule: 'page-1h' },
      labels: { alertname: 'SloBurnRate', service: 'voice', region: 'north', kind: 'burn_rate', subject: 'availability', severity: 'page' },
    };
    await saveAlerts(stack.db, [alert]);
    const chip = page.getByTestId('alert-firing');
    await chip.waitFor({ timeout: 5_000 });
    expect(await chip.textContent()).toContain('voice · north');
    await page.screenshot({ path: `${ART}/wall-alert.png` });
    await saveAlerts(stack.db, [{ ...alert, status: 'resolved', endsAt: new Date().toISOString() }]);
    await expect.poll(() => chip.count(), { timeout: 5_000 }).toBe(0);
    expect(await page.getByTestId('alerts-strip').textContent()).toContain('1 resolved in the last hour');
  });

  it('ops view drills from a service to an incident to its raw events', async () => {
    await stack.ingest([{ id: 'clear-1', type: 'alarm', ts: Date.now() - 30_000, ...sc, element: 'cell-7', alarmId: 'LINK-7', state: 'cleared', severity: 'critical' }]);
    await waitFor('the incident to be queryable', async () => {
      const r = await fetch(`${stack.url}/api/v1/incidents?service=voice&region=north`);
      return r.ok && ((await r.json()) as { incidents: unknown[] }).incidents.length > 0;
    }, 30_000);
    await page.goto(`${stack.url}/?service=voice&region=north&period=1h`);
    await page.getByTestId('kpi-availability').waitFor({ timeout: 30_000 });
    // The complaint loop: in the last hour one network complaint; open, both tickets,
    // and the 5-hour-old one past its 4-hour response target.
    const complaints = page.getByTestId('complaints-panel');
    await expect.poll(async () => (await page.getByTestId('tickets-open').textContent())?.replace(/\s+/g, ' ').trim(), { timeout: 30_000 })
      .toBe('2 open tickets · 1 past the response target · 0 past the resolution target');
    expect((await page.getByTestId('complaints-opened').textContent())?.trim()).toBe('1');
    expect(await page.getByTestId('complaints-by-category').textContent()).toMatch(/network\s*1\s*billing\s*0/);
    await expect.poll(() => page.getByTestId('overdue-ticket-row').count()).toBe(1);
    expect(await page.getByTestId('overdue-ticket-row').textContent()).toMatch(/TT-OLD.*billing.*opened.*response/);
    await complaints.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ART}/ops.png` });
    const row = page.getByTestId('incident-row').first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.getByTestId('incident-detail').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('raw-event-row').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const text = await page.getByTestId('incident-detail').textContent();
    expect(text).toContain('LINK-7');
    await page.screenshot({ path: `${ART}/incident.png` });
    // The view is in the URL, so it can be pasted into a ticket.
    expect(page.url()).toMatch(/service=voice/);
    expect(page.url()).toMatch(/incident=/);
  });

  it('SLA view exports CSV', async () => {
    await page.goto(`${stack.url}/sla?service=voice`);
    const button = page.getByTestId('export-csv');
    await button.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${ART}/sla.png` });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^sla-voice-.*\.csv$/);
    const path = `${ART}/${download.suggestedFilename()}`;
    await download.saveAs(path);
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/target/i);
    expect(csv).toMatch(/availability/);
  });
});
