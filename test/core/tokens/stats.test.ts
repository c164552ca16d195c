import { describe, expect, it } from 'vitest';
import { CountCollector, summarize } from '../../../src/core/tokens/stats.js';

describe('summarize', () => {
  it('uses nearest-rank percentiles (always a value of the data)', () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ min: 1, mean: 2.5, p50: 2, p95: 4, max: 4, count: 4 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(hundred)).toMatchObject({ p50: 50, p95: 95, min: 1, max: 100, mean: 50.5 });
    const twenty = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(summarize(twenty)).toMatchObject({ p50: 100, p95: 190 });
  });

  it('handles one value and no values', () => {
    expect(summarize([7])).toEqual({ min: 7, mean: 7, p50: 7, p95: 7, max: 7, count: 1 });
    expect(summarize([])).toEqual({ min: 0, mean: 0, p50: 0, p95: 0, max: 0, count: 0 });
  });

  it('sorts numerically, not as strings', () => {
    expect(summarize([10, 9, 100, 2])).toMatchObject({ min: 2, p50: 9, max: 100 });
  });
});

describe('CountCollector', () => {
  it('grows past its initial capacity and keeps every value in order', () => {
    const collector = new CountCollector(2);
    for (let i = 0; i < 1000; i++) collector.push(i * 3);
    expect(collector.length).toBe(1000);
    expect(collector.values()[999]).toBe(2997);
    expect(collector.values()).toBeInstanceOf(Uint32Array);
    expect(collector.summarize()).toMatchObject({ min: 0, max: 2997, count: 1000, p50: 1497 });
  });

  it('reserve() keeps the values pushed so far, and summarize() sorts numerically in place', () => {
    const collector = new CountCollector(2);
    for (const v of [30, 4, 100]) collector.push(v);
    collector.reserve(10_000);
    for (const v of [7, 1000]) collector.push(v);
    expect([...collector.values()]).toEqual([30, 4, 100, 7, 1000]);
    expect(collector.summarize()).toEqual({ min: 4, mean: 228.2, p50: 30, p95: 1000, max: 1000, count: 5 });
  });

  it('clamps values into the unsigned 32-bit range', () => {
    const collector = new CountCollector();
    collector.push(-5);
    collector.push(2 ** 40);
    collector.push(12.9);
    expect([...collector.values()]).toEqual([0, 0xffffffff, 12]);
  });
});
