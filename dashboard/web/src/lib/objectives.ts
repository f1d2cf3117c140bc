// config/sla.json, bundled at build time: the wall colours cells without a round trip.
import raw from '../../../../config/sla.json';
import { objectivesFor, type Objectives, type SlaConfigFile } from './sla-colour.js';

export const slaConfig = raw as SlaConfigFile;
export const objectives = (service: string): Objectives => objectivesFor(slaConfig, service);
