/** One bar of the token histogram: examples with `from` ≤ tokens < `to` (the last bin includes `to`). */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/**
 * Equal-width bins from 0 to the largest value, rounded to a readable width (1, 2 or 5 × 10^k),
 * so bin edges are numbers a person would pick.
 */
export function histogram(values: ArrayLike<number>, bins = 10): HistogramBin[] {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] ?? 0);
  if (values.length === 0) return [];
  const width = niceWidth(Math.max(1, max) / bins);
  const n = Math.max(1, Math.floor(max / width) + 1);
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) {
    const at = Math.min(n - 1, Math.floor((values[i] ?? 0) / width));
    counts[at] = (counts[at] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ from: i * width, to: (i + 1) * width, count }));
}

function niceWidth(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return Math.max(1, m * pow);
  return Math.max(1, 10 * pow);
}

/** The `n` examples with the most tokens, largest first (a tiny sorted list; n is small). */
export class Longest {
  readonly items: { line: number; tokens: number }[] = [];
  constructor(private readonly n: number) {}

  offer(line: number, tokens: number): void {
    const items = this.items;
    if (items.length === this.n && (items[items.length - 1]?.tokens ?? 0) >= tokens) return;
    let at = items.findIndex((i) => i.tokens < tokens);
    if (at === -1) at = items.length;
    items.splice(at, 0, { line, tokens });
    if (items.length > this.n) items.pop();
  }
}
