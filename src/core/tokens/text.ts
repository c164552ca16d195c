import type { Encoder } from './encodings.js';

/**
 * Longest run of one character class counted as a single BPE piece. BPE merging is quadratic in
 * a piece's length (16k letters take ~0.2 s, 400k take ~56 s), and the tokenizer's pre-split keeps
 * a run of letters, of punctuation or of whitespace together however long it is. Runs longer than
 * this are counted in chunks of this size: linear time, and a count that is off by at most a
 * token per chunk on text no real example contains.
 */
export const LONG_PIECE_CHARS = 1000;

// A run of LONG_PIECE_CHARS or more letters/marks, punctuation/symbols, or whitespace. The
// lookbehinds start a match only where a run starts, so the scan stays linear.
const LONG_RUN = new RegExp(
  [
    String.raw`(?<![\p{L}\p{M}])[\p{L}\p{M}]{${LONG_PIECE_CHARS},}`,
    String.raw`(?<![^\s\p{L}\p{N}])[^\s\p{L}\p{N}]{${LONG_PIECE_CHARS},}`,
    String.raw`(?<!\s)\s{${LONG_PIECE_CHARS},}`,
  ].join('|'),
  'gu',
);

/** Counts text with the long-piece guard and tallies how many long runs it had to split. */
export class TextCounter {
  /** Runs longer than LONG_PIECE_CHARS seen since this counter was made. */
  longPieces = 0;

  constructor(readonly encoder: Encoder) {}

  count(text: string): number {
    if (text.length < LONG_PIECE_CHARS) return this.encoder.count(text);
    let total = 0;
    let from = 0;
    LONG_RUN.lastIndex = 0;
    for (let match = LONG_RUN.exec(text); match !== null; match = LONG_RUN.exec(text)) {
      total += this.encoder.count(text.slice(from, match.index));
      total += this.countInChunks(match[0]);
      this.longPieces++;
      from = match.index + match[0].length;
    }
    return from === 0 ? this.encoder.count(text) : total + this.encoder.count(text.slice(from));
  }

  private countInChunks(run: string): number {
    let total = 0;
    for (let start = 0; start < run.length; ) {
      let end = Math.min(start + LONG_PIECE_CHARS, run.length);
      // Never split a surrogate pair: half a character would count as a replacement character.
      const code = run.charCodeAt(end - 1);
      if (end < run.length && code >= 0xd800 && code <= 0xdbff) end++;
      total += this.encoder.count(run.slice(start, end));
      start = end;
    }
    return total;
  }
}
