/** Distribution of per-example counts. All fields are 0 for an empty input. */
export interface Summary {
  min: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
  count: number;
}

/**
 * Summarises `values` with nearest-rank percentiles: the p-th percentile is the smallest value
 * such that at least p% of the values are ≤ it, i.e. sorted[ceil(p/100 × n) − 1]. It is always a
 * value of the data (no interpolation), so p50 of [1, 2, 3, 4] is 2.
 */
export function summarize(values: ArrayLike<number>): Summary {
  const count = values.length;
  if (count === 0) return { min: 0, mean: 0, p50: 0, p95: 0, max: 0, count: 0 };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * count) - 1)] ?? 0;
  return { min: sorted[0] ?? 0, mean: sum / count, p50: rank(50), p95: rank(95), max: sorted[count - 1] ?? 0, count };
}

/**
 * An append-only list of non-negative integers stored in a growable Uint32Array, so a million
 * per-example counts cost 4 MB instead of ~8-16 MB as a JS array. Values above 2^32 − 1 are clamped.
 */
export class CountCollector {
  private data: Uint32Array;
  private size = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Uint32Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = Math.min(Math.max(0, Math.floor(value)), 0xffffffff);
  }

  /** A view of the collected values (no copy); valid until the next push. */
  values(): Uint32Array {
    return this.data.subarray(0, this.size);
  }

  /** Ensures room for `count` values in all, allocated once (see DuplicateTracker.reserve). */
  reserve(count: number): void {
    if (count <= this.data.length) return;
    const grown = new Uint32Array(count);
    grown.set(this.values());
    this.data = grown;
  }

  /** Summarises the values, sorting them in place (no copy): call it once, after the last push. */
  summarize(): Summary {
    const sorted = this.values().sort();
    const count = sorted.length;
    if (count === 0) return { min: 0, mean: 0, p50: 0, p95: 0, max: 0, count: 0 };
    let sum = 0;
    for (const value of sorted) sum += value;
    const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * count) - 1)] ?? 0;
    return { min: sorted[0] ?? 0, mean: sum / count, p50: rank(50), p95: rank(95), max: sorted[count - 1] ?? 0, count };
  }
}
