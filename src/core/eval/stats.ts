/**
 * The statistics of an eval report, pure and deterministic (bootstrap resamples come from a
 * seeded generator, so a report is reproducible to the last digit).
 * - A candidate's score: the mean per-example score with a 95 % interval: Wilson's score
 *   interval when every score is 0 or 1, a percentile bootstrap otherwise.
 * - A pair of candidates on the same examples: wins, ties and losses, the exact two-sided sign
 *   test on wins against losses (for pass/fail scores this is the exact McNemar test), and a paired
 *   bootstrap interval for the mean difference.
 * - Latency percentiles by linear interpolation between order statistics (R's type 7).
 */

export const Z95 = 1.959963984540054;
export const BOOTSTRAP_RESAMPLES = 2000;

export interface Interval {
  mean: number;
  /** 95 % interval [low, high]. */
  ci95: [number, number];
  method: 'wilson' | 'bootstrap';
  n: number;
}

/** A small, fast, seeded generator (mulberry32) for bootstrap resampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Wilson score interval for `successes` out of `n` (95 %). */
export function wilson(successes: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [NaN, NaN];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** The q-quantile (0..1) of sorted values, interpolating linearly (type 7). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (h - lo);
}

export function quantile(values: readonly number[], q: number): number {
  return quantileSorted([...values].sort((x, y) => x - y), q);
}

/** Percentile bootstrap interval of the mean of `xs`. */
export function bootstrapMean(xs: readonly number[], seed: number, resamples = BOOTSTRAP_RESAMPLES): [number, number] {
  const n = xs.length;
  if (n === 0) return [NaN, NaN];
  const rand = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[Math.floor(rand() * n)] as number;
    means[r] = s / n;
  }
  means.sort();
  return [quantileSorted(Array.from(means), 0.025), quantileSorted(Array.from(means), 0.975)];
}

/** The mean score and its 95 % interval (Wilson for pass/fail scores, bootstrap otherwise). */
export function scoreInterval(xs: readonly number[], seed: number): Interval {
  const m = mean(xs);
  if (xs.every((x) => x === 0 || x === 1)) {
    const successes = xs.reduce((s: number, x) => s + x, 0);
    return { mean: m, ci95: wilson(successes, xs.length), method: 'wilson', n: xs.length };
  }
  return { mean: m, ci95: bootstrapMean(xs, seed), method: 'bootstrap', n: xs.length };
}

/** log(n!) for the binomial terms, exact enough for n up to millions. */
function logFactorials(n: number): Float64Array {
  const lf = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) lf[i] = (lf[i - 1] as number) + Math.log(i);
  return lf;
}

/**
 * Exact two-sided sign test: the chance of a split at least as uneven as `wins` : `losses`
 * when either side is equally likely to win each discordant example. Ties do not count.
 */
export function signTest(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  const lf = logFactorials(n);
  const ln2n = n * Math.LN2;
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp((lf[n] as number) - (lf[i] as number) - (lf[n - i] as number) - ln2n);
  return Math.min(1, 2 * tail);
}

export interface PairedComparison {
  wins: number;
  ties: number;
  losses: number;
  /** Mean of a − b over the examples both answered, with its paired bootstrap 95 % interval. */
  delta: { mean: number; ci95: [number, number] };
  pValue: number;
  n: number;
}

/** Compares a and b example by example (same index = same example). */
export function comparePaired(a: readonly number[], b: readonly number[], seed: number): PairedComparison {
  if (a.length !== b.length) throw new Error('paired samples differ in length');
  let wins = 0;
  let ties = 0;
  let losses = 0;
  const diffs = a.map((x, i) => {
    const d = x - (b[i] as number);
    if (d > 0) wins++;
    else if (d < 0) losses++;
    else ties++;
    return d;
  });
  return { wins, ties, losses, delta: { mean: mean(diffs), ci95: bootstrapMean(diffs, seed) }, pValue: signTest(wins, losses), n: diffs.length };
}

/** What a reviewer may say about a pair: "better" only when the interval of the difference excludes zero. */
export function verdict(c: PairedComparison): 'a' | 'b' | 'none' {
  if (c.n === 0) return 'none';
  if (c.delta.ci95[0] > 0 && c.pValue < 0.05) return 'a';
  if (c.delta.ci95[1] < 0 && c.pValue < 0.05) return 'b';
  return 'none';
}
