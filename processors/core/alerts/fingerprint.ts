// Alert identity as Alertmanager has it: a stable hash of the sorted label set, so
// the same condition on the same scope is one alert across evaluations and restarts.
import type { AlertLabels } from '../../../events/alerts.js';

/** 64-bit FNV-1a of the sorted `name=value` pairs, as 16 hex digits. */
export function fingerprint(labels: AlertLabels): string {
  const text = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}\u0000${v}`)
    .join('\u0001');
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}
