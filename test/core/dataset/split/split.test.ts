import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeExample, promptOf } from '../../../../src/core/dataset/split/normalize.js';
import { splitFile, type SplitOptions } from '../../../../src/core/dataset/split/run.js';
import { SmallestN, splitScore } from '../../../../src/core/dataset/split/score.js';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmgw-split-'));
});

const line = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
const sample = Array.from({ length: 40 }, (_, i) => line(`Question ${i}: what is ${i} squared?`, `${i * i}.`));

function files(lines: string[], extra: Partial<SplitOptions> = {}) {
  const sub = mkdtempSync(join(dir, `case${++n}-`));
  const input = join(sub, 'data.jsonl');
  writeFileSync(input, `${lines.join('\n')}\n`);
  return { sub, input, opts: { trainOut: join(sub, 'data.train.jsonl'), valOut: join(sub, 'data.val.jsonl'), seed: '42', ...extra } };
}
const read = (p: string) => readFileSync(p, 'utf8').trim().split('\n').filter(Boolean);

describe('split scores', () => {
  it('are fixed numbers for a fixed seed and example (same on any machine)', () => {
    expect(splitScore('42', '{"a":1}')).toBe(splitScore('42', '{"a":1}'));
    expect(splitScore('42', '{"a":1}')).not.toBe(splitScore('43', '{"a":1}'));
    // Pinned (checked with Python: int(sha256(b"42\\n{\"a\":1}")[:8]) >> 11, / 2**53) so a change of the recipe is caught.
    expect(splitScore('42', '{"a":1}').toFixed(12)).toBe('0.523815485881');
  });

  it('normalise whitespace and key order, and find the prompt without system or final answer', () => {
    expect(normalizeExample({ b: ' x\n\n y ', a: [1] })).toBe(normalizeExample({ a: [1], b: 'x y' }));
    const withSystem = { messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }] };
    expect(promptOf(withSystem)).toBe(promptOf({ messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'other' }] }));
  });

  it('keeps the n smallest (score, line) pairs in a bounded heap', () => {
    const heap = new SmallestN(3);
    for (const [s, l] of [[0.5, 1], [0.1, 2], [0.9, 3], [0.1, 4], [0.3, 5], [0.05, 6]] as const) heap.offer(s, l);
    expect(heap.threshold()).toEqual({ score: 0.1, line: 4 });
  });
});

describe('splitFile', () => {
  it('gives the same split on every run and a pinned split for seed 42', async () => {
    const a = files(sample);
    const b = files(sample);
    const ra = await splitFile(a.input, a.opts);
    const rb = await splitFile(b.input, b.opts);
    expect(read(a.opts.valOut)).toEqual(read(b.opts.valOut));
    expect(ra).toMatchObject({ examples: 40, written: true });
    expect(rb.validation.examples).toBe(ra.validation.examples);
    const valQuestions = read(a.opts.valOut).map((l) => (JSON.parse(l) as { messages: { content: string }[] }).messages[0]?.content.split(':')[0]);
    expect(valQuestions).toMatchInlineSnapshot(`
      [
        "Question 0",
        "Question 4",
        "Question 12",
        "Question 13",
        "Question 36",
      ]
    `);
    // Every line lands in exactly one file, byte for byte.
    expect([...read(a.opts.trainOut), ...read(a.opts.valOut)].sort()).toEqual([...sample].sort());
  });

  it('gives exactly --validation-count examples (two passes, bounded heap)', async () => {
    const f = files(sample, { count: 7 });
    const r = await splitFile(f.input, f.opts);
    expect(r).toMatchObject({ mode: 'count', train: { examples: 33 }, validation: { examples: 7 } });
    expect(read(f.opts.valOut)).toHaveLength(7);
  });

  it('drops whitespace-normalised duplicates with --dedupe and reports their lines', async () => {
    const dup = JSON.stringify({ messages: [{ role: 'user', content: 'Question 3:  what is 3 squared?' }, { role: 'assistant', content: '9.' }] });
    const f = files([...sample, dup], { dedupe: true });
    const r = await splitFile(f.input, f.opts);
    expect(r.dedupe).toEqual({ enabled: true, dropped: 1, lines: [{ line: 41, duplicateOf: 4 }] });
    expect(r.examples).toBe(40);
  });

  it('refuses a validation example that is also in train, writing nothing, unless allowed', async () => {
    // Ten copies of one example score the same; --validation-count 3 cuts the group at the
    // boundary (ties broken by line), so copies land on both sides.
    const copies = Array.from({ length: 10 }, () => line('What is the capital of France?', 'Paris.'));
    const f = files(copies, { count: 3 });
    const r = await splitFile(f.input, f.opts);
    expect(r.written).toBe(false);
    expect(r.leaks.count).toBe(7);
    expect(r.leaks.examples[0]).toEqual({ valLine: 1, trainLine: 4 });
    expect(readdirSync(f.sub)).toEqual(['data.jsonl']);
    const allowed = await splitFile(f.input, { ...f.opts, allowLeak: true });
    expect(allowed.written).toBe(true);
    expect(existsSync(f.opts.valOut)).toBe(true);
    const deduped = await splitFile(f.input, { ...f.opts, count: undefined, fraction: 0.5, dedupe: true, force: true });
    expect(deduped).toMatchObject({ examples: 1, leaks: { count: 0 }, written: true });
  });

  it('warns (without refusing) when the same prompt with another answer is on both sides', async () => {
    const same = Array.from({ length: 30 }, (_, i) => line('What is the capital of France?', `Paris (${i}).`));
    const f = files(same, { fraction: 0.5 });
    const r = await splitFile(f.input, f.opts);
    expect(r.written).toBe(true);
    expect(r.leaks.count).toBe(0);
    expect(r.promptOverlaps.count).toBeGreaterThan(0);
    expect(r.promptOverlaps.examples[0]).toEqual({ valLine: expect.any(Number), trainLine: expect.any(Number) });
  });

  it('turns Ctrl-C into an interruption in either pass, writing nothing', async () => {
    const ctrlC = new AbortController();
    ctrlC.abort();
    for (const extra of [{}, { count: 3 }]) {
      const f = files(sample, { ...extra, signal: ctrlC.signal });
      await expect(splitFile(f.input, f.opts)).rejects.toMatchObject({ code: 'interrupted', exitCode: 130 });
      expect(readdirSync(f.sub)).toEqual(['data.jsonl']);
    }
  });

  it('refuses invalid JSON and a count that leaves no training data, leaving no files', async () => {
    const bad = files([line('a', 'b'), '{not json']);
    await expect(splitFile(bad.input, bad.opts)).rejects.toMatchObject({ code: 'invalid_json' });
    expect(readdirSync(bad.sub)).toEqual(['data.jsonl']);
    const small = files([line('a', 'b'), line('c', 'd')], { count: 2 });
    await expect(splitFile(small.input, small.opts)).rejects.toMatchObject({ code: 'validation_too_large' });
  });
});
