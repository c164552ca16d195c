import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openInput } from '../../../../src/core/dataset/input/open.js';
import { computeStats } from '../../../../src/core/dataset/stats/compute.js';
import { histogram, Longest } from '../../../../src/core/dataset/stats/histogram.js';
import { defaultModel } from '../../../../src/core/models/catalog.js';
import { countExampleTokens } from '../../../../src/core/tokens/count.js';
import { createTokenPool } from '../../../../src/core/tokens/pool.js';

const pool = createTokenPool({ threads: 0 });
afterAll(() => pool.close());

const chat = (system: string | null, q: string, a: string) => ({
  messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: q }, { role: 'assistant', content: a }],
});

describe('histogram and longest', () => {
  it('bins from 0 with a round width and counts every value once', () => {
    const bins = histogram([1, 5, 9, 10, 19, 95]);
    expect(bins[0]).toEqual({ from: 0, to: 10, count: 3 });
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(6);
    expect(bins.at(-1)).toEqual({ from: 90, to: 100, count: 1 });
  });

  it('keeps the n largest, largest first, first line on ties', () => {
    const l = new Longest(2);
    for (const [line, t] of [[1, 5], [2, 9], [3, 9], [4, 1]] as const) l.offer(line, t);
    expect(l.items).toEqual([{ line: 2, tokens: 9 }, { line: 3, tokens: 9 }]);
  });
});

describe('computeStats', () => {
  it('reports structure, tokens, duplicates, system prompts, limit and billing', async () => {
    const model = defaultModel();
    const examples = [
      chat('You are terse.', 'Hi', 'Hello.'),
      chat('You are terse.', 'Capital of Peru?', 'Lima.'),
      chat('You are verbose.', 'Hi', 'Hello there, how can I help you today?'),
      chat(null, 'Hi', 'Hello.'),
      chat(null, 'Hi ', 'Hello.'), // duplicate of the line above after whitespace normalisation
      chat(null, 'Long', 'word '.repeat(model.maxExampleTokens + 10)),
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'llmgw-stats-')), 'data.jsonl');
    writeFileSync(file, `${examples.map((e) => JSON.stringify(e)).join('\n')}\n\nnot json\n`);
    const tokens = examples.map((e) => countExampleTokens(e, 'chat', model.encoding).total);

    const r = await computeStats(await openInput(file), { model, pool, top: 2 });
    expect(r).toMatchObject({
      kind: 'chat',
      examples: 6,
      unreadableLines: 1,
      messages: { total: 15, perExample: { min: 2, mean: 2.5, max: 3 } },
      roles: { system: 3, user: 6, assistant: 6 },
      systemPrompts: { examplesWith: 3, share: 0.5, distinct: 2 },
      duplicates: { count: 1, examples: [{ line: 5, duplicateOf: 4 }] },
    });
    expect(r.tokens).toMatchObject({ total: tokens.reduce((a, b) => a + b, 0), min: Math.min(...tokens), max: Math.max(...tokens), overLimit: 1, overLimitLines: [6] });
    expect(r.longest).toEqual([
      { line: 6, tokens: tokens[5] },
      { line: 3, tokens: tokens[2] },
    ]);
    expect(r.tokens.histogram.reduce((s, b) => s + b.count, 0)).toBe(6);
    // 6 examples: the default-epoch rule raises epochs to min(25, floor(100 / 6)) = 16.
    const billedPerEpoch = tokens.reduce((s, t) => s + Math.min(t, model.maxExampleTokens), 0);
    expect(r.billing).toMatchObject({ epochs: 16, epochsSource: 'default-rule', billedTokensPerEpoch: billedPerEpoch, billedTokens: billedPerEpoch * 16 });
  });

  it('takes --epochs and a price override', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llmgw-stats-')), 'data.jsonl');
    writeFileSync(file, `${JSON.stringify(chat(null, 'Hi', 'Hello.'))}\n`);
    const r = await computeStats(await openInput(file), { model: defaultModel(), pool, epochs: 2, pricePerMillion: 1_000_000 });
    expect(r.billing).toMatchObject({ epochs: 2, epochsSource: 'flag', priceSource: 'override', estimatedCostUsd: r.tokens.total * 2 });
  });
});
