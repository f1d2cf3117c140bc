// Live figures cover the current UTC day (events/live.ts), so a bench that counts
// on them must not run across midnight: it waits for the new day instead.
const DAY_MS = 86_400_000;

export async function avoidMidnight(needMs: number, log: (m: string) => void): Promise<void> {
  const left = DAY_MS - (Date.now() % DAY_MS);
  if (left > needMs) return;
  log(`waiting ${Math.ceil(left / 1000)} s for the UTC day to turn: live figures restart at midnight`);
  await new Promise((r) => setTimeout(r, left + 1000));
}
