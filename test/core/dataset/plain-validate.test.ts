/**
 * `validate` checks a plain chat line from its bytes (line-check.ts plainLine): no decoding, no
 * JSON.parse, no rules, since they could find nothing in it. The batch it gives must be the one
 * the full check gives, column for column and issue for issue, on random lines plain, nearly
 * plain and broken, with a BOM, CRLF endings, blank lines and bytes that are not UTF-8; and only
 * where nothing but the structure is asked (no tokens, no profile rule, no other kind forced).
 */
import { describe, expect, it } from 'vitest';
import { checkPackedLines, checkSlices, packSlices, type CheckedBatch, type LineCheckOptions } from '../../../src/core/dataset/line-check.js';
import type { LineSlice } from '../../../src/core/dataset/lines.js';
import { mutateLine, randomChatLine } from '../../helpers/chat-lines.js';
import { rng } from '../../helpers/rng.js';

const OPTIONS: LineCheckOptions = { file: 'f.jsonl', forced: undefined, profile: undefined, encoding: null, maxLineBytes: 4000 };
/** A profile hook that changes nothing but turns the byte path off. */
const FULL = { readExample: (): undefined => undefined };

function slicesOf(lines: Buffer[]): LineSlice[] {
  let offset = 0;
  return lines.map((buf, i) => {
    const slice: LineSlice = { line: i + 1, offset, bytes: buf.length, buf: buf.length > 4000 ? null : buf };
    offset += buf.length + 1;
    return slice;
  });
}

const WORDS = ['Hello', 'world', 'How', 'are you?', 'Fine.', 'café', '你好', '👍', 'line\nbreak', '"quoted"', 'tab\there', 'a\\b'];

/** A chat example as most datasets hold them: the line is plain unless a turn is empty or comes out of order. */
function cleanExample(random: () => number): unknown {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const text = (): string => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(WORDS)).join(' ');
  const messages: { role: string; content: string }[] = [];
  if (random() < 0.5) messages.push({ role: 'system', content: text() });
  for (let turns = 1 + Math.floor(random() * 3); turns > 0; turns--) messages.push({ role: 'user', content: text() }, { role: 'assistant', content: random() < 0.03 ? ' ' : text() });
  return { messages };
}

function randomLines(random: () => number, n: number): Buffer[] {
  const lines: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    let line: Buffer = Buffer.from(randomChatLine(random).replaceAll('\n', ' ').replaceAll('\r', ' '));
    const r = random();
    if (r < 0.2) line = mutateLine(line, random);
    else if (r < 0.22) line = Buffer.alloc(0);
    else if (r < 0.24) line = Buffer.from([0x7b, 0xff, 0x7d]);
    else if (r < 0.25) line = Buffer.from(`{"messages":[{"role":"user","content":"${'x'.repeat(5000)}"},{"role":"assistant","content":"y"}]}`);
    else if (r > 0.6) line = Buffer.from(JSON.stringify(cleanExample(random)));
    if (random() < 0.1) line = Buffer.concat([line, Buffer.from('\r')]);
    lines.push(line);
  }
  if (random() < 0.5) lines[0] = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), lines[0] as Buffer]);
  return lines;
}

const withoutCount = ({ plain: _plain, ...rest }: CheckedBatch): Omit<CheckedBatch, 'plain'> => rest;

describe('validate: plain chat lines checked from their bytes', () => {
  it('gives the full check batch for batch on 300 batches of random lines, and takes most plain lines from their bytes', () => {
    const random = rng(7);
    let plain = 0;
    let lines = 0;
    for (let b = 0; b < 300; b++) {
      const slices = slicesOf(randomLines(random, 40));
      const fast = checkSlices(slices, OPTIONS, undefined);
      const full = checkSlices(slices, OPTIONS, FULL);
      expect(withoutCount(fast)).toEqual(withoutCount(full));
      expect(full.plain).toBe(0);
      // The worker side (packed lines) takes the same path.
      expect(withoutCount(checkPackedLines(packSlices(slices), OPTIONS))).toEqual(withoutCount(full));
      plain += fast.plain;
      lines += slices.length;
    }
    expect(plain).toBeGreaterThan(lines / 4);
    expect(plain).toBeLessThan(lines / 2);
  });

  it('checks every line in full when tokens are counted, a profile rule runs or another kind is forced', () => {
    const slices = slicesOf([Buffer.from('{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]}')]);
    expect(checkSlices(slices, OPTIONS, undefined).plain).toBe(1);
    expect(checkSlices(slices, { ...OPTIONS, forced: 'chat' }, undefined).plain).toBe(1);
    expect(checkSlices(slices, { ...OPTIONS, encoding: 'o200k_base' }, undefined).plain).toBe(0);
    expect(checkSlices(slices, { ...OPTIONS, forced: 'preference' }, undefined).plain).toBe(0);
    expect(checkSlices(slices, OPTIONS, { checkExample: () => [] }).plain).toBe(0);
  });
});
