/**
 * The first pass over the held-out file: its sha256, how many examples it holds, which lines were
 * skipped and why, and which examples the run takes. `--limit N` alone takes the first N;
 * with `--seed S` it takes the N examples whose sha256(seed, example) is smallest: the same sample
 * for the same seed and file contents, wherever the examples sit in the file. Memory holds at
 * most N line numbers.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { fileHasher, readExamples, type EvalExample, type SkippedLine } from './dataset.js';

export interface ScanOptions {
  limit?: number | undefined;
  seed?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface Scan {
  sha256: string;
  /** Examples in the file (lines with a prompt and a reference). */
  usable: number;
  skippedCount: number;
  /** The first skipped lines, with reasons. */
  skipped: SkippedLine[];
  /** Lines the run takes, or undefined for "the first `total`". */
  selected: Set<number> | undefined;
  /** Examples the run takes. */
  total: number;
  /** How they were chosen: `all`, `first:N`, `seed:S:N`. */
  sample: string;
}

const KEEP_SKIPPED = 20;

/** A max-heap of [rank, line] capped at `size`: what remains are the `size` smallest ranks. */
class SmallestN {
  private readonly heap: [string, number][] = [];
  constructor(private readonly size: number) {}
  offer(rank: string, line: number): void {
    const h = this.heap;
    if (h.length < this.size) {
      h.push([rank, line]);
      for (let i = h.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if ((h[p] as [string, number])[0] >= rank) break;
        [h[p], h[i]] = [h[i] as [string, number], h[p] as [string, number]];
        i = p;
      }
      return;
    }
    if (this.size === 0 || (h[0] as [string, number])[0] <= rank) return;
    h[0] = [rank, line];
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let big = i;
      if (l < h.length && (h[l] as [string, number])[0] > (h[big] as [string, number])[0]) big = l;
      if (r < h.length && (h[r] as [string, number])[0] > (h[big] as [string, number])[0]) big = r;
      if (big === i) break;
      [h[big], h[i]] = [h[i] as [string, number], h[big] as [string, number]];
      i = big;
    }
  }
  lines(): Set<number> {
    return new Set(this.heap.map(([, line]) => line));
  }
}

export async function scanData(path: string, opts: ScanOptions = {}): Promise<Scan> {
  const hasher = fileHasher();
  const skipped: SkippedLine[] = [];
  let skippedCount = 0;
  let usable = 0;
  const { limit, seed } = opts;
  const pick = limit !== undefined && seed !== undefined ? new SmallestN(limit) : undefined;
  for await (const ex of readExamples(path, {
    signal: opts.signal,
    onBytes: (c) => hasher.update(c),
    onSkip: (s) => {
      skippedCount++;
      if (skipped.length < KEEP_SKIPPED) skipped.push(s);
    },
  })) {
    usable++;
    pick?.offer(createHash('sha256').update(`${seed}:${ex.id}`).digest('hex'), ex.line);
  }
  if (usable === 0) {
    const why = skipped[0] ? ` (line ${skipped[0].line}: ${skipped[0].reason}${skippedCount > 1 ? `, and ${skippedCount - 1} more` : ''})` : ' (the file is empty)';
    throw new UsageError('no_reference_turns', `${path} has no example with an assistant turn to compare answers with${why}.`, {
      hint: 'each line must be {"messages": [...]} ending in the reference assistant turn, e.g. the validation split of `llmgw dataset split`',
    });
  }
  const total = limit === undefined ? usable : Math.min(limit, usable);
  const sample = limit === undefined ? 'all' : seed === undefined ? `first:${limit}` : `seed:${seed}:${limit}`;
  return { sha256: hasher.digest(), usable, skippedCount, skipped, selected: pick?.lines(), total, sample };
}

/** The examples of the sample, streamed again in file order. */
export async function* sampledExamples(path: string, scan: Scan, signal?: AbortSignal): AsyncGenerator<EvalExample> {
  let taken = 0;
  for await (const ex of readExamples(path, { signal })) {
    if (taken >= scan.total) return;
    if (scan.selected && !scan.selected.has(ex.line)) continue;
    taken++;
    yield ex;
  }
}
