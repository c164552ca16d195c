import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { countLines, type LineCounts, type LineInput } from '../../../src/core/tokens/batch.js';
import { createTokenPool, resolveWorkerFile, type TokenPool } from '../../../src/core/tokens/pool.js';

const root = join(import.meta.dirname, '../../..');

/** Deterministic lines: chat examples of varied sizes, with a few broken ones mixed in. */
function lines(n: number): LineInput[] {
  const words = ['alpha', 'beta', 'gamma', 'café', '你好', '👍', 'tokens', 'are', 'fun', '<|endoftext|>'];
  return Array.from({ length: n }, (_, i) => {
    if (i % 97 === 13) return { line: i + 1, text: '{"messages": [' };
    const content = Array.from({ length: 1 + (i % 40) }, (_, j) => words[(i * 7 + j) % words.length]).join(' ');
    const example = { messages: [{ role: 'user', content: `Q${i}: ${content}` }, { role: 'assistant', content, weight: i % 5 === 0 ? 0 : 1 }] };
    return { line: i + 1, text: JSON.stringify(example) };
  });
}

/** Drives a pool the documented way: at most `capacity` batches in flight, awaited in order. */
async function countAll(pool: TokenPool, input: LineInput[], batchSize: number) {
  const results: LineCounts[] = [];
  const inFlight: Array<Promise<LineCounts[]>> = [];
  for (let i = 0; i < input.length; i += batchSize) {
    inFlight.push(pool.count('chat', 'o200k_base', input.slice(i, i + batchSize)));
    if (inFlight.length >= pool.capacity) results.push(...(await inFlight.shift()!));
  }
  for (const pending of inFlight) results.push(...(await pending));
  return results;
}

let pool: TokenPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('token pool', () => {
  it('finds the built worker (dist/) when running from the TypeScript sources', () => {
    const file = resolveWorkerFile();
    expect(file && fileURLToPath(file)).toBe(join(root, 'dist/core/tokens/worker.js'));
  });

  it('gives the same counts as the calling thread, in order, for a few thousand lines', async () => {
    const input = lines(3000);
    const expected = countLines('chat', 'o200k_base', input);
    pool = createTokenPool({ threads: 2 });
    expect(pool.threads).toBe(2);
    expect(pool.note).toBeUndefined();
    const results = await countAll(pool, input, 64);
    expect(results).toEqual(expected);
    expect(results.filter((r) => r.error === 'invalid_json')).toHaveLength(31);
  });

  it('loads the rank table in each worker as it starts when asked (preload), and is ready only then', async () => {
    const input = lines(200);
    pool = createTokenPool({ threads: 1, preload: 'cl100k_base' });
    expect(pool.ready).toBe(false);
    const started = Date.now();
    while (!pool.ready) {
      if (Date.now() - started > 30_000) throw new Error('the worker never said it was ready');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await countAll(pool, input, 50)).toEqual(countLines('chat', 'o200k_base', input));
  });

  it('counts in the calling thread with threads: 0', async () => {
    const input = lines(300);
    pool = createTokenPool({ threads: 0 });
    expect(pool.threads).toBe(0);
    expect(await countAll(pool, input, 50)).toEqual(countLines('chat', 'o200k_base', input));
  });

  it('keeps working after bad lines', async () => {
    pool = createTokenPool({ threads: 1 });
    const bad = await pool.count('chat', 'o200k_base', [{ line: 1, text: 'not json' }, { line: 2, text: '[1,2' }]);
    expect(bad.map((r) => r.error)).toEqual(['invalid_json', 'invalid_json']);
    const good = await pool.count('chat', 'o200k_base', [{ line: 3, text: '{"messages":[{"role":"user","content":"hello world"}]}' }]);
    expect(good).toEqual([{ line: 3, total: 3 + 3 + 1 + 2, trained: 0, messages: 1, longPieces: 0 }]);
  });

  it('refuses a caller that piles up batches without awaiting them', async () => {
    pool = createTokenPool({ threads: 1 });
    const batch = lines(5);
    const accepted = Array.from({ length: pool.capacity * 2 }, () => pool!.count('chat', 'o200k_base', batch));
    await expect(pool.count('chat', 'o200k_base', batch)).rejects.toThrow(/overloaded/);
    for (const result of await Promise.all(accepted)) expect(result).toHaveLength(5);
  });

  it('rejects work after close()', async () => {
    pool = createTokenPool({ threads: 1 });
    await pool.count('chat', 'o200k_base', lines(3));
    await pool.close();
    await expect(pool.count('chat', 'o200k_base', lines(3))).rejects.toThrow(/closed/);
  });

  it('runs its workers from the built package and lets the process exit after close()', () => {
    const entry = join(root, 'dist/core/tokens/pool.js');
    expect(existsSync(entry)).toBe(true);
    const script = `
      const { createTokenPool } = await import(${JSON.stringify(entry)});
      const pool = createTokenPool({ threads: 2 });
      const out = await pool.count('chat', 'o200k_base', [{ line: 1, text: '{"messages":[{"role":"user","content":"hello world"}]}' }]);
      const threads = pool.threads;
      await pool.close();
      console.log(JSON.stringify({ threads, note: pool.note ?? null, out, handles: process.getActiveResourcesInfo().filter((h) => h !== 'PipeWrap' && h !== 'TTYWrap') }));`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ threads: 2, note: null, out: [{ line: 1, total: 9, trained: 0, messages: 1, longPieces: 0 }], handles: [] });
  });

  it('never keeps the process alive while idle, even if the caller forgets close()', () => {
    const script = `
      const { createTokenPool } = await import(${JSON.stringify(join(root, 'dist/core/tokens/pool.js'))});
      const pool = createTokenPool({ threads: 2 });
      await pool.count('chat', 'o200k_base', [{ line: 1, text: '{}' }]);
      console.log(JSON.stringify(process.getActiveResourcesInfo().filter((h) => h !== 'PipeWrap' && h !== 'TTYWrap')));`;
    // A pool that held the process open would make this call time out and throw.
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual([]);
  });
});

describe('token pool with a worker that cannot start', () => {
  it('rejects the batch and later calls instead of restarting the worker forever', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmgw-pool-'));
    const broken = join(dir, 'worker.mjs');
    writeFileSync(broken, 'throw new Error("cannot load the encoding");\n');
    pool = createTokenPool({ threads: 1, workerFile: pathToFileURL(broken) });
    await expect(pool.count('chat', 'o200k_base', lines(2))).rejects.toThrow(/cannot load the encoding/);
    await expect(pool.count('chat', 'o200k_base', lines(2))).rejects.toThrow(/could not start/);
    expect(pool.threads).toBe(0);
  });
});
