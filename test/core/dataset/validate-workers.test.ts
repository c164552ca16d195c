import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { IssueCode } from '../../../src/core/dataset/issues.js';
import { openaiProfile } from '../../../src/core/dataset/profile.js';
import { getProfile } from '../../../src/core/dataset/profiles/index.js';
import { defaultValidateThreads, PLAIN_WORKERS_MIN_BYTES, type ValidateOptions, validateFile, validateStream, WORKERS_MIN_BYTES } from '../../../src/core/dataset/validate.js';
import { defaultModel } from '../../../src/core/models/catalog.js';
import { createTokenPool } from '../../../src/core/tokens/pool.js';
import { RULES_DIR, runFixture } from './rule-fixtures.js';

// The same file must give the same report whether its lines are checked on the calling thread
// or in worker threads (where batches are packed, sent and merged back in order).
const here = createTokenPool({ threads: 0 });
const workers = createTokenPool({ threads: 2 });
const one = createTokenPool({ threads: 1 });
afterAll(async () => Promise.all([here.close(), workers.close(), one.close()]));

const tmp = mkdtempSync(join(tmpdir(), 'llmgw-workers-'));
const codes = readdirSync(RULES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name as IssueCode);

function write(name: string, lines: string[]): string {
  const path = join(tmp, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

const chat = (i: number): string => JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }] });

/** A file with one of nearly everything, long enough to span many batches. */
function mixedFile(): string {
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    if (i % 997 === 5) lines.push('{"messages": [');
    else if (i % 1009 === 7) lines.push('');
    else if (i % 499 === 11) lines.push(JSON.stringify({ prompt: 'p', completion: 'c' }));
    else if (i % 733 === 13) lines.push(chat(1)); // a duplicate of line 2
    else if (i % 811 === 17) lines.push(JSON.stringify({ messages: [{ role: 'user', content: `mail jane.doe@acme-corp.com ${i}` }, { role: 'assistant', content: 'ok' }] }));
    else if (i % 401 === 3) lines.push(JSON.stringify({ messages: [{ role: 'user', content: 'x' }], extra: true }));
    else lines.push(JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}? ${'word '.repeat(i % 40)}` }, { role: 'assistant', content: `Answer ${i}.` }] }));
  }
  return write('mixed.jsonl', lines);
}

describe('validate in worker threads', () => {
  it('gives the calling thread’s report for every rule fixture, bad and fixed, tokens counted', async () => {
    for (const code of codes) {
      for (const which of ['bad', 'fixed'] as const) {
        const expected = await runFixture(code, which, here);
        const actual = await runFixture(code, which, workers);
        expect(actual, `${code}/${which}`).toEqual(expected);
      }
    }
  });

  it('gives the same report on a large file with many kinds of problems, with and without tokens, forced kind and max-errors', async () => {
    const file = mixedFile();
    const model = defaultModel();
    const variants: ValidateOptions[] = [{ model }, { model, tokens: false }, { model, kind: 'chat' }, { model, maxErrors: 7 }, { model, profile: getProfile('together') }, { model, profile: getProfile('fireworks'), kind: 'completion' }];
    for (const options of variants) {
      const expected = await validateFile(file, { ...options, pool: here });
      // Two workers; and one, which without tokens leaves most reads to this thread.
      for (const pool of [workers, one]) {
        const actual = await validateFile(file, { ...options, pool });
        expect(actual, JSON.stringify({ ...options, model: undefined, threads: pool.threads })).toEqual(expected);
        expect(actual.summary.examples).toBeGreaterThan(0);
      }
    }
    const full = await validateFile(file, { model, pool: workers });
    for (const code of ['invalid_json', 'blank_line', 'mixed_kinds', 'duplicate_example', 'email_address', 'unknown_key'] as const) expect(full.issueCounts[code], code).toBeGreaterThan(0);
    expect(full.tokens?.total).toBeGreaterThan(0);
  });

  it('stops at the same line under --max-errors and leaves the pool free for the next file', async () => {
    const file = write('errors.jsonl', Array.from({ length: 40_000 }, (_, i) => (i % 3 === 0 ? 'not json' : chat(i))));
    const model = defaultModel();
    const expected = await validateFile(file, { model, pool: here, maxErrors: 100 });
    const actual = await validateFile(file, { model, pool: workers, maxErrors: 100 });
    expect(actual.stoppedEarly).toEqual(expected.stoppedEarly);
    expect(actual.stoppedEarly).toMatchObject({ afterErrors: 100, line: 298 });
    expect(actual).toEqual(expected);
    const next = await validateFile(write('ok.jsonl', Array.from({ length: 20 }, (_, i) => chat(i))), { model, pool: workers });
    expect(next.valid).toBe(true);
  });

  it('checks a caller-made profile rule on the calling thread, since a worker cannot look it up', async () => {
    const profile = { ...openaiProfile, name: 'house', checkExample: (_v: unknown, _k: string, loc: { file: string; line: number }) => (loc.line === 2 ? [{ code: 'unknown_key' as const, severity: 'error' as const, file: loc.file, line: 2, field: 'house', message: 'house rule', hint: '' }] : []) };
    const file = write('house.jsonl', Array.from({ length: 20 }, (_, i) => chat(i)));
    const report = await validateFile(file, { model: defaultModel(), pool: workers, profile });
    expect(report.issues.filter((i) => i.message === 'house rule').map((i) => i.line)).toEqual([2]);
  });

  it('reads a stream of small chunks (lines split across them) the same way', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => chat(i % 2500)).join('\n');
    const chunks = (): Readable => Readable.from(Array.from({ length: Math.ceil(text.length / 777) }, (_, i) => Buffer.from(text.slice(i * 777, (i + 1) * 777))));
    const model = defaultModel();
    const expected = await validateStream('s.jsonl', chunks(), { model, pool: here });
    const actual = await validateStream('s.jsonl', chunks(), { model, pool: workers });
    expect(actual).toEqual(expected);
    expect(actual.issueCounts.duplicate_example).toBe(500);
  });

  it('starts a worker per core to count tokens; without, one fewer for a large run (the main thread checks too) and none for a small one', () => {
    expect(defaultValidateThreads(10, true, 4)).toBe(4);
    expect(defaultValidateThreads(WORKERS_MIN_BYTES - 1, false, 4)).toBe(0);
    expect(defaultValidateThreads(WORKERS_MIN_BYTES, false, 4)).toBe(3);
    expect(defaultValidateThreads(WORKERS_MIN_BYTES, false, 1)).toBe(0);
    // Plain chat lines checked from their bytes keep the calling thread alone up to a larger size.
    expect(defaultValidateThreads(WORKERS_MIN_BYTES, false, 4, true)).toBe(0);
    expect(defaultValidateThreads(PLAIN_WORKERS_MIN_BYTES - 1, false, 4, true)).toBe(0);
    expect(defaultValidateThreads(PLAIN_WORKERS_MIN_BYTES, false, 4, true)).toBe(3);
    expect(defaultValidateThreads(10, true, 4, true)).toBe(4);
  });
});
