// What each simulated service looks like on the wire: how its synthetic probes
// behave and how its network elements are named. Latency medians follow common
// operator figures (fixed broadband RTT ~20 ms, 4G/5G data ~45 ms, VoLTE set-up
// ~60 ms, IPTV channel change ~80 ms, SMS submit-to-deliver ~0.9 s).

export interface ServiceProfile {
  /** Prefix of element ids (eNodeB, SBC, OLT, CDN edge, SMSC). */
  elementPrefix: string;
  latencyMedianMs: number;
  /** Sigma of the log-normal latency; wider for store-and-forward SMS. */
  latencySigma: number;
  /** Probe failure share on a healthy network. */
  baseFailure: number;
  probableCauses: readonly string[];
}

export const DEFAULT_SERVICES = ['mobile-data', 'voice', 'broadband', 'iptv', 'sms'] as const;
export const DEFAULT_REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;

const COMMON_CAUSES = ['LinkDown', 'PowerFailure', 'HardwareFault', 'SoftwareCrash', 'HighTemperature', 'ConfigurationError'];

const PROFILES: Record<string, ServiceProfile> = {
  'mobile-data': { elementPrefix: 'enb', latencyMedianMs: 45, latencySigma: 0.35, baseFailure: 0.01, probableCauses: [...COMMON_CAUSES, 'CellOutage', 'S1LinkFailure', 'CongestionHigh'] },
  voice: { elementPrefix: 'sbc', latencyMedianMs: 60, latencySigma: 0.3, baseFailure: 0.005, probableCauses: [...COMMON_CAUSES, 'SipTrunkDown', 'CodecMismatch'] },
  broadband: { elementPrefix: 'olt', latencyMedianMs: 20, latencySigma: 0.3, baseFailure: 0.003, probableCauses: [...COMMON_CAUSES, 'PonLosLoss', 'BgpSessionDown'] },
  iptv: { elementPrefix: 'cdn', latencyMedianMs: 80, latencySigma: 0.4, baseFailure: 0.005, probableCauses: [...COMMON_CAUSES, 'MulticastLoss', 'EncoderFailure'] },
  sms: { elementPrefix: 'smsc', latencyMedianMs: 900, latencySigma: 0.5, baseFailure: 0.02, probableCauses: [...COMMON_CAUSES, 'SmscQueueFull', 'Ss7LinkDown'] },
};

const GENERIC: ServiceProfile = { elementPrefix: 'ne', latencyMedianMs: 50, latencySigma: 0.35, baseFailure: 0.01, probableCauses: COMMON_CAUSES };

export function profileFor(service: string): ServiceProfile {
  return PROFILES[service] ?? GENERIC;
}

/**
 * UTC offset (minutes) the region's OSS writes alarm times in: RFC 3339 allows
 * any offset, and a feed that mixes them exercises normalisation downstream.
 */
export function regionOffsetMinutes(region: string): number {
  const known: Record<string, number> = { north: 0, south: 60, east: 120, west: -300, central: 330 };
  if (region in known) return known[region]!;
  let h = 0;
  for (const ch of region) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return ((h % 25) - 12) * 60;
}
