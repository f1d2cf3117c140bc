// The live channel's per-scope payload (CONTRACT.md section 5, WebSocket
// /api/v1/live). Type-only, shared by the server and the web app.
import type { Kpis } from './figures.js';

export interface LiveScope {
  service: string;
  region: string;
  /** The current UTC day so far: [00:00 today, end of the current minute). */
  kpis: Kpis;
  /** The last 60 minutes, ending at the end of the current minute. */
  lastHour: Kpis;
  /** Outage alarms open now. */
  activeOutages: number;
  /** The scope's latest minute window is not final yet (CONTRACT.md section 3). */
  provisional: boolean;
  updatedAt: string;
}
