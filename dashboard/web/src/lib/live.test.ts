import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';
import {
  applyScopes, backoffDelay, BACKOFF_MAX_MS, createLive, DEAD_AFTER_MS, dimensions, isStale, sortedScopes, STALE_AFTER_MS,
} from './live.js';
import type { LiveScope } from './types.js';

const scope = (service: string, region: string, faults = 0) => ({ service, region, kpis: { faults }, lastHour: {}, activeOutages: 0, provisional: true, updatedAt: '' }) as unknown as LiveScope;

describe('live channel, pure parts', () => {
  it('backs off exponentially with ±20 % jitter, capped', () => {
    expect(backoffDelay(0, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(8000);
    expect(backoffDelay(0, () => 0)).toBe(800);
    expect(backoffDelay(0, () => 1)).toBe(1200);
    expect(backoffDelay(50, () => 0.5)).toBe(BACKOFF_MAX_MS);
  });
  it('is stale after 10 s without a frame, counted from the start when none came', () => {
    expect(isStale(0, 1000, 1000 + STALE_AFTER_MS)).toBe(false);
    expect(isStale(0, 1000, 1001 + STALE_AFTER_MS)).toBe(true);
    expect(isStale(5000, 0, 5000 + STALE_AFTER_MS + 1)).toBe(true);
    expect(isStale(5000, 0, 9000)).toBe(false);
  });
  it('a snapshot replaces every scope, an update merges', () => {
    let m = applyScopes(new Map(), [scope('voice', 'north'), scope('sms', 'east')], true);
    m = applyScopes(m, [scope('voice', 'north', 3)], false);
    expect(sortedScopes(m).map((s) => `${s.service}/${s.region}/${s.kpis.faults}`)).toEqual(['sms/east/0', 'voice/north/3']);
    m = applyScopes(m, [scope('iptv', 'west')], true);
    expect(sortedScopes(m).map((s) => s.service)).toEqual(['iptv']);
    expect(dimensions([scope('voice', 'b'), scope('sms', 'a'), scope('voice', 'a')])).toEqual({ services: ['sms', 'voice'], regions: ['a', 'b'] });
  });
});

class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closed: number | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(s: string) {
    this.sent.push(s);
  }
  close(code: number) {
    this.closed = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  frame(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

describe('live channel, reconnect and stale detection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('goes stale when silent, reopens, and resumes from the new snapshot', () => {
    const live = createLive({ url: () => 'ws://test/api/v1/live', now: () => Date.now() });
    live.start();
    const first = FakeSocket.all[0]!;
    first.open();
    first.frame({ type: 'snapshot', at: 'x', scopes: [scope('voice', 'north')] });
    expect(get(live)).toMatchObject({ status: 'open', stale: false });
    expect(get(live).scopes).toHaveLength(1);

    // Pings go out; nothing answers.
    vi.advanceTimersByTime(STALE_AFTER_MS + 600);
    expect(first.sent.some((s) => JSON.parse(s).type === 'ping')).toBe(true);
    expect(get(live).stale).toBe(true);
    // The figures stay on screen (under the banner) until a new snapshot.
    expect(get(live).scopes).toHaveLength(1);

    vi.advanceTimersByTime(DEAD_AFTER_MS - STALE_AFTER_MS);
    expect(first.closed).not.toBeNull();
    expect(get(live).status).toBe('closed');

    vi.advanceTimersByTime(1300); // first backoff: 1 s ± 20 %
    const second = FakeSocket.all[1]!;
    expect(second).toBeDefined();
    second.open();
    second.frame({ type: 'snapshot', at: 'y', scopes: [scope('sms', 'east'), scope('voice', 'north', 2)] });
    expect(get(live)).toMatchObject({ status: 'open', stale: false, attempts: 0 });
    expect(get(live).scopes.map((s) => s.service)).toEqual(['sms', 'voice']);
    live.stop();
  });

  it('a pong keeps a quiet channel fresh', () => {
    const live = createLive({ url: () => 'ws://test', now: () => Date.now() });
    live.start();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.frame({ type: 'snapshot', at: 'x', scopes: [] });
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(4000);
      ws.frame({ type: 'pong' });
    }
    expect(get(live).stale).toBe(false);
    expect(FakeSocket.all).toHaveLength(1);
    live.stop();
  });

  it('a refused connection retries with growing delays and shows stale after 10 s', () => {
    const live = createLive({ url: () => 'ws://test', now: () => Date.now() });
    live.start();
    FakeSocket.all[0]!.onclose?.({ code: 1006, reason: '' });
    expect(get(live).status).toBe('closed');
    expect(get(live).stale).toBe(false);
    vi.advanceTimersByTime(1300);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.onclose?.({ code: 1006, reason: '' });
    vi.advanceTimersByTime(1500); // second delay is 2 s ± 20 %: not yet
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(3);
    vi.advanceTimersByTime(STALE_AFTER_MS);
    expect(get(live).stale).toBe(true);
    live.stop();
  });

  it('hands alert frames to listeners', () => {
    const live = createLive({ url: () => 'ws://test', now: () => Date.now() });
    const seen: string[] = [];
    live.onAlert((a) => seen.push(a.fingerprint));
    live.start();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.frame({ type: 'alert', alert: { fingerprint: 'f1', state: 'firing' } });
    expect(seen).toEqual(['f1']);
    live.stop();
  });
});
