import { createHash } from 'node:crypto';

/**
 * An example's place in the split: SHA-256 of the seed and the normalised example, read as a
 * number in [0, 1) from its first 53 bits. The same example and seed give the same score on
 * any machine; any change to either moves it anywhere.
 */
export function splitScore(seed: string, normalized: string): number {
  const digest = createHash('sha256').update(seed).update('\n').update(normalized).digest();
  // The first 53 bits (32 + 21): exactly representable in a double.
  return (digest.readUInt32BE(0) * 2 ** 21 + (digest.readUInt32BE(4) >>> 11)) / 2 ** 53;
}

/** Orders two (score, line) pairs; the line breaks ties between equal examples. */
export function compareRank(aScore: number, aLine: number, bScore: number, bLine: number): number {
  return aScore === bScore ? aLine - bLine : aScore < bScore ? -1 : 1;
}

/**
 * The `n` smallest (score, line) pairs seen, in a bounded max-heap: memory is O(n) however many
 * examples pass through. `threshold()` is the largest kept pair, i.e. the n-th smallest overall.
 */
export class SmallestN {
  private readonly scores: Float64Array;
  private readonly lines: Uint32Array;
  private size = 0;

  constructor(readonly n: number) {
    this.scores = new Float64Array(n);
    this.lines = new Uint32Array(n);
  }

  get length(): number {
    return this.size;
  }

  offer(score: number, line: number): void {
    if (this.n === 0) return;
    if (this.size < this.n) {
      this.scores[this.size] = score;
      this.lines[this.size] = line;
      this.up(this.size++);
    } else if (compareRank(score, line, this.scores[0] as number, this.lines[0] as number) < 0) {
      this.scores[0] = score;
      this.lines[0] = line;
      this.down(0);
    }
  }

  threshold(): { score: number; line: number } | undefined {
    return this.size === 0 ? undefined : { score: this.scores[0] as number, line: this.lines[0] as number };
  }

  private greater(i: number, j: number): boolean {
    return compareRank(this.scores[i] as number, this.lines[i] as number, this.scores[j] as number, this.lines[j] as number) > 0;
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i] as number;
    this.scores[i] = this.scores[j] as number;
    this.scores[j] = s;
    const l = this.lines[i] as number;
    this.lines[i] = this.lines[j] as number;
    this.lines[j] = l;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.greater(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < this.size && this.greater(l, top)) top = l;
      if (r < this.size && this.greater(r, top)) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }
}
