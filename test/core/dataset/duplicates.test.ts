import { describe, expect, it } from 'vitest';
import { DuplicateTracker } from '../../../src/core/dataset/duplicates.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('DuplicateTracker', () => {
  it('returns the first line of an exact repeat and 0 for new examples', () => {
    const t = new DuplicateTracker();
    expect(t.seen(b('{"a":1}'), 1)).toBe(0);
    expect(t.seen(b('{"a":2}'), 2)).toBe(0);
    expect(t.seen(b('{"a":1}'), 3)).toBe(1);
    expect(t.seen(b('{"a":1}'), 4)).toBe(1);
    expect(t.seen(b('{"a":1} '), 5)).toBe(0);
    expect(t.size).toBe(3);
  });

  it('tells apart lines that differ in one byte or only in length (zero padding)', () => {
    const t = new DuplicateTracker();
    expect(t.seen(b('abcd'), 1)).toBe(0);
    expect(t.seen(b('abcd\0'), 2)).toBe(0);
    expect(t.seen(b('abce'), 3)).toBe(0);
    expect(t.seen(b(''), 4)).toBe(0);
    expect(t.seen(b(''), 5)).toBe(4);
  });

  it('keeps every entry through growth, with no false duplicates among 200k distinct lines', () => {
    const t = new DuplicateTracker(16);
    let falseHits = 0;
    for (let i = 1; i <= 200_000; i++) if (t.seen(b(`{"messages":[{"role":"user","content":"question ${i}"}]}`), i) !== 0) falseHits++;
    expect(falseHits).toBe(0);
    expect(t.size).toBe(200_000);
    expect(t.seen(b('{"messages":[{"role":"user","content":"question 123456"}]}'), 200_001)).toBe(123_456);
    // 12 bytes per slot, at most half full: bounded, not proportional to the line text.
    expect(t.bytes).toBeLessThanOrEqual(524_288 * 12 + 4096);
  });

  it('reserve() sizes the table once for the expected entries, keeping what was seen before', () => {
    const t = new DuplicateTracker(16);
    expect(t.seen(b('early'), 1)).toBe(0);
    t.reserve(100_000);
    const reserved = t.bytes;
    expect(reserved).toBeGreaterThanOrEqual((100_000 / 0.7) * 12);
    for (let i = 2; i <= 100_000; i++) expect(t.seen(b(`line ${i}`), i)).toBe(0);
    expect(t.bytes).toBe(reserved); // no growth while the estimate holds
    expect(t.seen(b('early'), 100_001)).toBe(1);
    t.reserve(10); // never shrinks
    expect(t.bytes).toBe(reserved);
  });
});
