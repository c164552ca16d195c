import { describe, expect, it } from 'vitest';
import { bootstrapMean, comparePaired, quantile, scoreInterval, signTest, verdict, wilson } from '../../../src/core/eval/stats.js';

describe('eval statistics', () => {
  it('gives the Wilson interval of a proportion', () => {
    const [lo, hi] = wilson(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 20)[0]).toBe(0);
    expect(wilson(20, 20)[1]).toBe(1);
  });

  it('uses Wilson for pass/fail scores and a seeded bootstrap otherwise', () => {
    expect(scoreInterval([1, 1, 0, 1], 1).method).toBe('wilson');
    const frac = [0.5, 0.75, 1, 0.25, 0.5, 1, 0, 0.75];
    const a = scoreInterval(frac, 7);
    expect(a.method).toBe('bootstrap');
    expect(a.mean).toBeCloseTo(0.59375, 10);
    expect(a.ci95[0]).toBeLessThan(a.mean);
    expect(a.ci95[1]).toBeGreaterThan(a.mean);
    expect(scoreInterval(frac, 7)).toEqual(a);
    expect(bootstrapMean([0.5, 0.5, 0.5], 3)).toEqual([0.5, 0.5]);
  });

  it('computes the exact two-sided sign test', () => {
    // 9 wins, 1 loss: 2 * (C(10,0) + C(10,1)) / 2^10
    expect(signTest(9, 1)).toBeCloseTo((2 * 11) / 1024, 12);
    expect(signTest(5, 5)).toBe(1);
    expect(signTest(0, 0)).toBe(1);
    expect(signTest(3000, 2000)).toBeLessThan(1e-40);
  });

  it('interpolates percentiles between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200], 0.95)).toBeCloseTo(190.5, 10);
  });

  it('counts wins, ties and losses and claims "better" only when the interval excludes zero', () => {
    const a = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1];
    const b = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1];
    const c = comparePaired(a, b, 1);
    expect([c.wins, c.ties, c.losses]).toEqual([11, 4, 0]);
    expect(c.delta.mean).toBeCloseTo(11 / 15, 12);
    expect(c.pValue).toBeCloseTo(2 / 2048, 12);
    expect(verdict(c)).toBe('a');
    const close = comparePaired([1, 0, 1, 0], [0, 1, 1, 0], 1);
    expect(verdict(close)).toBe('none');
  });
});
