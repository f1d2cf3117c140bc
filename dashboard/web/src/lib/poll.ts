// A value loaded now, every `everyMs`, and on demand (throttled), as a Svelte
// store. Loads never overlap; a failed load keeps the last good data and says why.
import { writable, type Readable } from 'svelte/store';

export interface Polled<T> {
  data: T;
  error: string | null;
  /** Client time (ms) of the last successful load; 0 = none yet. */
  loadedAt: number;
  loading: boolean;
}

export interface Poller<T> extends Readable<Polled<T>> {
  /** Load soon: at once, or when the throttle allows. */
  refresh(): void;
}

export function createPoller<T>(
  load: (signal: AbortSignal) => Promise<T>,
  initial: T,
  opts: { everyMs: number; minGapMs?: number },
): Poller<T> {
  const minGap = opts.minGapMs ?? 2_000;
  let state: Polled<T> = { data: initial, error: null, loadedAt: 0, loading: false };
  let timer: ReturnType<typeof setInterval> | null = null;
  let pending: ReturnType<typeof setTimeout> | null = null;
  let lastStart = 0;
  let inFlight: AbortController | null = null;
  let again = false;

  const store = writable(state, () => {
    run();
    timer = setInterval(run, opts.everyMs);
    return () => {
      if (timer) clearInterval(timer);
      if (pending) clearTimeout(pending);
      timer = pending = null;
      inFlight?.abort();
      inFlight = null;
    };
  });
  const set = (patch: Partial<Polled<T>>) => {
    state = { ...state, ...patch };
    store.set(state);
  };

  async function run() {
    if (inFlight) {
      again = true;
      return;
    }
    const ctrl = new AbortController();
    inFlight = ctrl;
    lastStart = Date.now();
    set({ loading: true });
    try {
      const data = await load(ctrl.signal);
      if (!ctrl.signal.aborted) set({ data, error: null, loadedAt: Date.now(), loading: false });
    } catch (e) {
      if (!ctrl.signal.aborted) set({ error: e instanceof Error ? e.message : String(e), loading: false });
    } finally {
      if (inFlight === ctrl) inFlight = null;
      if (again && !ctrl.signal.aborted) {
        again = false;
        refresh();
      }
    }
  }

  function refresh() {
    if (!timer || pending) return;
    const wait = Math.max(0, lastStart + minGap - Date.now());
    pending = setTimeout(() => {
      pending = null;
      void run();
    }, wait);
  }

  return { subscribe: store.subscribe, refresh };
}
