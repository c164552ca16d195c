import { describe, expect, it } from 'vitest';
import { collectPages, guardedPages } from '../../../src/core/providers/pages.js';
import type { Page } from '../../../src/core/providers/types.js';

const item = (id: string) => ({ id });

describe('guardedPages', () => {
  it('reads every page while the cursor advances', async () => {
    const all = ['a', 'b', 'c', 'd', 'e'].map(item);
    const load = async (after: string | undefined): Promise<Page<{ id: string }>> => {
      const start = after === undefined ? 0 : all.findIndex((i) => i.id === after) + 1;
      const data = all.slice(start, start + 2);
      return { data, hasMore: start + 2 < all.length, nextCursor: data.at(-1)?.id ?? null };
    };
    const warnings: string[] = [];
    expect((await collectPages(load, { what: 'letters', onWarning: (m) => warnings.push(m) })).map((i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(warnings).toEqual([]);
    expect((await collectPages(load, { what: 'letters', max: 3 })).map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });

  it('stops with one warning when a provider says "more" with the same cursor and items', async () => {
    let calls = 0;
    const load = async (): Promise<Page<{ id: string }>> => {
      calls++;
      return { data: [item('job-1')], hasMore: true, nextCursor: 'job-1' };
    };
    const warnings: string[] = [];
    const seen = await collectPages(load, { what: 'the jobs of Test', onWarning: (m) => warnings.push(m) });
    expect(seen.map((i) => i.id)).toEqual(['job-1']);
    expect(calls).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Stopped listing the jobs of Test: the provider said there was more/);
  });

  it('stops when a page repeats items under a new cursor, keeping only new ones', async () => {
    let n = 0;
    const load = async (): Promise<Page<{ id: string }>> => {
      n++;
      return { data: [item('x'), item(`y${n}`)], hasMore: true, nextCursor: `c${n}` };
    };
    const warnings: string[] = [];
    const pages: string[][] = [];
    for await (const items of guardedPages(load, { what: 'events', onWarning: (m) => warnings.push(m) })) pages.push(items.map((i) => i.id));
    expect(pages).toEqual([['x', 'y1'], ['y2']]);
    expect(warnings).toHaveLength(1);
  });
});
