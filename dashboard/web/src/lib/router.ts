// A tiny router on location.pathname: /wall, /sla, anything else = ops. The query
// string belongs to the view (its state); `search` follows it so Back/Forward
// within a view restore that view's earlier state.
import { readable, writable } from 'svelte/store';

export type Route = 'wall' | 'ops' | 'sla';

export function routeOf(pathname: string): Route {
  const p = pathname.replace(/\/+$/, '') || '/';
  if (p === '/wall') return 'wall';
  if (p === '/sla') return 'sla';
  return 'ops';
}

const hasWindow = typeof window !== 'undefined';
export const path = writable(hasWindow ? location.pathname : '/');
export const search = writable(hasWindow ? location.search : '');

if (hasWindow) {
  window.addEventListener('popstate', () => {
    path.set(location.pathname);
    search.set(location.search);
  });
}

/** Client-side navigation to a same-origin path (with its query, if any). */
export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  path.set(location.pathname);
  search.set(location.search);
}

/**
 * Writes a view's state into the query string. `push` adds a history entry
 * (opening an incident); otherwise the entry is replaced (every selector change
 * would flood Back). No-op when unchanged.
 */
export function setQuery(query: string, push = false): void {
  if (query === location.search || (query === '' && location.search === '')) return;
  const href = `${location.pathname}${query}${location.hash}`;
  if (push) history.pushState(null, '', href);
  else history.replaceState(null, '', href);
  search.set(location.search);
}

/** A store of Date.now(), ticking every second (shared by clocks and ages). */
export const now = readable(Date.now(), (set) => {
  const id = setInterval(() => set(Date.now()), 1000);
  return () => clearInterval(id);
});
