import type { Encoder } from './encodings.js';

/**
 * Longest run of one character class counted as a single BPE piece. BPE merging is quadratic in
 * a piece's length (16k letters take ~0.2 s, 400k take ~56 s), and the tokenizer's pre-split keeps
 * a run of letters, of punctuation or of whitespace together however long it is. Runs longer than
 * this are counted in chunks of this size: linear time, and a count that is off by at most a
 * token per chunk on text no real example contains.
 */
export const LONG_PIECE_CHARS = 1000; // UTF-16 code units

// Character classes of the tokenizers' pre-split: a piece never spans two of them (digits come
// in pieces of at most 3, so they always end a run).
const enum Cls {
  Unknown = 0,
  Letter = 1,
  Digit = 2,
  Space = 3,
  Other = 4,
}
const LETTER = /[\p{L}\p{M}]/u;
const DIGIT = /\p{N}/u;
const SPACE = /\s/u;
/** Class of each BMP code unit, filled on first sight (a regex test per distinct character). */
const bmpClass = new Uint8Array(0x10000);

function classify(char: string): Cls {
  return LETTER.test(char) ? Cls.Letter : DIGIT.test(char) ? Cls.Digit : SPACE.test(char) ? Cls.Space : Cls.Other;
}

/** The class of the character at code unit `i` (a low surrogate takes its pair's class). */
function classAt(text: string, i: number): Cls {
  let code = text.charCodeAt(i);
  if (code >= 0xdc00 && code <= 0xdfff && i > 0) code = text.charCodeAt(--i);
  if (code >= 0xd800 && code <= 0xdbff) return classify(text.slice(i, i + 2));
  let cls = bmpClass[code] as Cls;
  if (cls === Cls.Unknown) bmpClass[code] = cls = classify(String.fromCharCode(code));
  return cls;
}

const STRIDE = LONG_PIECE_CHARS / 2;

/**
 * The next run of at least LONG_PIECE_CHARS characters of one class (letters, whitespace or
 * other) at or after `from`, as [start, end), or undefined. Such a run always holds two sample
 * points STRIDE apart, so the scan samples every STRIDE characters and looks closer only where two
 * neighbouring samples share a class; in prose a class changes within a few characters, so this
 * reads a few characters per STRIDE (a regex with Unicode classes costs as much as tokenizing).
 */
function nextLongRun(text: string, from: number): [number, number] | undefined {
  for (let p = from; p + STRIDE < text.length; p += STRIDE) {
    const cls = classAt(text, p);
    if (cls === Cls.Digit) continue; // digits are split into pieces of at most 3
    let q = p + 1;
    while (q <= p + STRIDE && classAt(text, q) === cls) q++;
    if (q <= p + STRIDE) continue;
    let start = p;
    while (start > from && classAt(text, start - 1) === cls) start--;
    let end = p + STRIDE + 1;
    while (end < text.length && classAt(text, end) === cls) end++;
    if (end - start >= LONG_PIECE_CHARS) return [start, end];
    p = end - STRIDE; // the next run starts at `end` or later
  }
  return undefined;
}

/** Counts text with the long-piece guard and tallies how many long runs it had to split. */
export class TextCounter {
  /** Runs longer than LONG_PIECE_CHARS seen since this counter was made. */
  longPieces = 0;

  constructor(readonly encoder: Encoder) {}

  count(text: string): number {
    if (text.length < LONG_PIECE_CHARS) return this.encoder.count(text);
    let total = 0;
    let from = 0;
    for (let run = nextLongRun(text, 0); run !== undefined; run = nextLongRun(text, from)) {
      const [start, end] = run;
      total += this.encoder.count(text.slice(from, start));
      total += this.countInChunks(text.slice(start, end));
      this.longPieces++;
      from = end;
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
