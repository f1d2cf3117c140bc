// Event times on the wire. The contract accepts RFC 3339 with an offset or epoch
// milliseconds (CONTRACT.md section 1); the simulator uses both, as real feeds
// from different systems would.

/** `'epoch'` = integer epoch ms; a number = RFC 3339 at that UTC offset in minutes. */
export type TsStyle = 'epoch' | number;

export function formatTs(ms: number, style: TsStyle): string | number {
  if (style === 'epoch') return ms;
  if (style === 0) return new Date(ms).toISOString();
  // Shift the instant by the offset, print it as UTC, then replace `Z` by the offset.
  const local = new Date(ms + style * 60_000).toISOString().slice(0, 23);
  const sign = style < 0 ? '-' : '+';
  const abs = Math.abs(style);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
