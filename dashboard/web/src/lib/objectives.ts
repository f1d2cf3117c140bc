// config/sla.json, bundled at build time: the wall colours cells without a round trip.
// The server validates the same file at start (infra/sla-config.ts) and a test checks it parses.
import raw from '../../../../config/sla.json';
import { objectivesFor, type Objectives, type SlaConfig } from '../../../../events/sla.js';

export const slaConfig = raw as SlaConfig;
export const objectives = (service: string): Objectives => objectivesFor(slaConfig, service);
