// Sums of a per-minute series over trailing windows (5 min … 3 days) in O(1) per
// minute: a ring of the last `capacity` minutes plus one running sum per window.
// Minutes never seen count as zero, so a window that reaches back before the
// first minute simply holds less.

export class WindowSums {
  // Int32: inputs are per-minute ms (≤ 60 000) or counts; 4 bytes × 4,320 minutes per series.
  private readonly ring: Int32Array;
  private readonly sums: Float64Array;
  private count = 0;

  /** windows: lengths in minutes, each ≤ capacity. */
  constructor(private readonly windows: readonly number[], capacity = Math.max(...windows)) {
    if (windows.some((w) => !(Number.isInteger(w) && w >= 1 && w <= capacity))) throw new RangeError('window lengths must be integers from 1 to capacity');
    this.ring = new Int32Array(capacity);
    this.sums = new Float64Array(windows.length);
  }

  /** Appends the next minute's value (an integer); the oldest minute of each window drops out. */
  push(value: number): void {
    if (!Number.isInteger(value)) throw new RangeError(`window sums take integers, got ${value}`);
    const cap = this.ring.length;
    for (let i = 0; i < this.windows.length; i++) {
      const w = this.windows[i]!;
      const outIndex = this.count - w;
      const leaving = outIndex >= 0 ? this.ring[outIndex % cap]! : 0;
      this.sums[i] = this.sums[i]! + value - leaving;
    }
    this.ring[this.count % cap] = value;
    this.count++;
  }

  /** Sum of the last `window` minutes (a length given to the constructor). */
  sum(window: number): number {
    const i = this.windows.indexOf(window);
    if (i < 0) throw new RangeError(`no running sum for a ${window}-minute window`);
    return this.sums[i]!;
  }

  /** Minutes pushed so far. */
  get length(): number {
    return this.count;
  }
}
