import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const line = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

async function run(args: string[], lines: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'llmgw-cli-split-'));
  writeFileSync(join(cwd, 'data.jsonl'), `${lines.join('\n')}\n`);
  const io = memoryIo({ cwd });
  const code = await main(['dataset', 'split', 'data.jsonl', ...args], io);
  return { code, out: io.out(), err: io.err(), cwd };
}

const sample = Array.from({ length: 30 }, (_, i) => line(`Q${i}`, `A${i}`));

describe('llmgw dataset split', () => {
  it('writes <name>.train.jsonl and <name>.val.jsonl and reports the counts', async () => {
    const r = await run(['--validation-count', '5', '--seed', 'abc'], sample);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✔ train +25 +data\.train\.jsonl/);
    expect(r.out).toMatch(/✔ validation +5 +data\.val\.jsonl/);
    expect(readFileSync(join(r.cwd, 'data.val.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('prints the documented JSON shape', async () => {
    const r = await run(['--json', '--dedupe'], [...sample, sample[0] ?? '']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['input', 'seed', 'mode', 'requested', 'examples', 'train', 'validation', 'dedupe', 'leaks', 'promptOverlaps', 'written']);
    expect(doc).toMatchObject({ input: 'data.jsonl', seed: '0', mode: 'fraction', requested: 0.1, examples: 30, dedupe: { dropped: 1, lines: [{ line: 31, duplicateOf: 1 }] }, written: true });
  });

  it('exits 1 on a leak and names both lines; --allow-leak writes anyway', async () => {
    const copies = Array.from({ length: 10 }, () => line('Same question?', 'Same answer.'));
    const r = await run(['--validation-count', '3'], copies);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✖ examples are in both train and validation (7 copies across the split): nothing written');
    expect(r.out).toContain('validation line 1 ↔ train line 4');
    expect(r.out).toContain('fix: add --dedupe');
    expect((await run(['--validation-count', '3', '--allow-leak'], copies)).code).toBe(0);
  });

  it('warns about the same prompt with other answers on both sides, and still writes', async () => {
    const r = await run(['--validation', '0.5'], Array.from({ length: 20 }, (_, i) => line('Same question?', `Answer ${i}`)));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/⚠ \d+ validation examples? asks? a prompt that train also has/);
  });

  it('exits 2 on conflicting or bad flags', async () => {
    expect((await run(['--validation', '0.1', '--validation-count', '3'], sample)).code).toBe(2);
    expect((await run(['--validation', '1.5'], sample)).code).toBe(2);
  });

  it('a JSON array is one not_jsonl error with the convert command, not "line 1 is not valid JSON"', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-split-'));
    writeFileSync(join(cwd, 'data.json'), readFileSync(join(import.meta.dirname, '../../datasets/formats/sharegpt.json')));
    const io = memoryIo({ cwd });
    expect(await main(['dataset', 'split', 'data.json', '--json'], io)).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'not_jsonl', hint: 'convert it: `llmgw dataset convert data.json -o data.jsonl`' } });
  });
});
