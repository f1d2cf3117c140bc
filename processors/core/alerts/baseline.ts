// The normal level of a figure and its spread: exponentially weighted mean and
// variance (West 1979 / Finch 2009 incremental form), one for all hours and one per
// hour of day. The hour profile takes over once its hour has enough history, so a
// figure with a daily rhythm is judged against the same hour of earlier days.

export class Ewma {
  n = 0;
  mean = 0;
  variance = 0;

  constructor(private readonly alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
  }

  update(x: number): void {
    this.n++;
    // The first samples are averaged plainly (alpha ≥ 1/n) so one early value does
    // not dominate a baseline that has seen little yet.
    const a = Math.max(this.alpha, 1 / this.n);
    const d = x - this.mean;
    const incr = a * d;
    this.mean += incr;
    this.variance = (1 - a) * (this.variance + d * incr);
  }
}

export interface BaselineOptions {
  /** EWMA weight of a new sample. */
  alpha: number;
  /** Samples an hour-of-day profile needs before it is used instead of the global one. */
  profileMinSamples: number;
}

export interface Band {
  mean: number;
  sd: number;
}

export class Baseline {
  readonly global: Ewma;
  readonly hours: Ewma[];

  constructor(private readonly o: BaselineOptions) {
    this.global = new Ewma(o.alpha);
    this.hours = Array.from({ length: 24 }, () => new Ewma(o.alpha));
  }

  update(x: number, hourOfDay: number): void {
    this.global.update(x);
    this.hours[hourOfDay]!.update(x);
  }

  /** The normal level for the given hour (UTC). */
  band(hourOfDay: number): Band {
    const h = this.hours[hourOfDay]!;
    const e = h.n >= this.o.profileMinSamples ? h : this.global;
    return { mean: e.mean, sd: Math.sqrt(Math.max(0, e.variance)) };
  }

  get samples(): number {
    return this.global.n;
  }
}
