// Statistical anomalies of one figure of one scope: the figure leaving its learnt
// band upwards for a sustained number of minutes. Only upward: slower probes, more
// faults and more complaints hurt; the opposite is good news. Quiet during warm-up,
// one alert while it lasts (the caller keys it by scope and figure), and the
// baseline does not learn from out-of-band minutes, so an anomaly never becomes
// the new normal while it lasts.
import { Baseline, type BaselineOptions } from './baseline.js';

export interface AnomalyOptions extends BaselineOptions {
  /** Band half-width in standard deviations. */
  k: number;
  /** Floors of the standard deviation, so a near-constant baseline does not alert on noise. */
  relSdFloor: number;
  absSdFloor: number;
  /** Counts: the spread is at least Poisson's √mean. */
  poisson: boolean;
  /** Consecutive out-of-band minutes before firing. */
  sustainMinutes: number;
  /** Consecutive in-band minutes before resolving. */
  clearMinutes: number;
  /** Samples the baseline needs before anything may fire. */
  warmupSamples: number;
}

export interface AnomalyChange {
  status: 'firing' | 'resolved';
  value: number;
  mean: number;
  upper: number;
}

export class AnomalyDetector {
  private readonly baseline: Baseline;
  private above = 0;
  private below = 0;
  firing = false;

  constructor(private readonly o: AnomalyOptions) {
    this.baseline = new Baseline(o);
  }

  upperBound(hourOfDay: number): { mean: number; upper: number } {
    const { mean, sd } = this.baseline.band(hourOfDay);
    const floor = Math.max(this.o.relSdFloor * Math.abs(mean), this.o.absSdFloor, this.o.poisson ? Math.sqrt(Math.max(mean, 0)) : 0);
    return { mean, upper: mean + this.o.k * Math.max(sd, floor) };
  }

  /** One minute's value of the figure; null (no data, or an explained minute) changes nothing. */
  step(value: number | null, hourOfDay: number): AnomalyChange | null {
    if (value === null) return null;
    if (this.baseline.samples < this.o.warmupSamples) {
      this.baseline.update(value, hourOfDay);
      return null;
    }
    const { mean, upper } = this.upperBound(hourOfDay);
    if (value > upper) {
      this.above++;
      this.below = 0;
    } else {
      this.below++;
      this.above = 0;
      this.baseline.update(value, hourOfDay);
    }
    if (!this.firing && this.above >= this.o.sustainMinutes) {
      this.firing = true;
      return { status: 'firing', value, mean, upper };
    }
    if (this.firing && this.below >= this.o.clearMinutes) {
      this.firing = false;
      return { status: 'resolved', value, mean, upper };
    }
    return null;
  }
}
