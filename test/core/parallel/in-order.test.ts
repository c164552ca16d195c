/**
 * Converting a file's chunks in worker threads and on the calling thread gives what one thread
 * gives: the same bytes in the same order, the same counts and notes, and the first error of the
 * file (by line), of the same class and code, wherever its chunk ran. A pool whose workers cannot
 * start leaves all the work to the calling thread. The task is the Vertex conversion `tune start`
 * runs (workers load it from dist/, which `npm test` builds first).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../../src/core/errors.js';
import { inOrder, type Placement } from '../../../src/core/parallel/in-order.js';
import { LineChunkReader } from '../../../src/core/parallel/line-chunks.js';
import { createChunkPool, type ChunkPool } from '../../../src/core/parallel/pool.js';
import { geminiChunk, type GeminiChunk } from '../../../src/core/providers/vertex/format/chunk.js';
import { prepareTrainingData, trainingBytes } from '../../../src/core/providers/vertex/training-data.js';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-in-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let pool: ChunkPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const TASK = { module: 'providers/vertex/format/chunk.js', name: 'geminiChunk' };

/** Lines of every kind the conversion meets: fast-path chat, tool calls, notes, Vertex lines, blanks, CRLF. */
function mixed(n: number, bad: number[] = []): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    if (bad.includes(i)) lines.push('{"messages": [');
    else if (i % 11 === 0) lines.push('');
    else if (i % 7 === 0) lines.push(JSON.stringify({ contents: [{ role: 'user', parts: [{ text: `q${i}` }] }, { role: 'model', parts: [{ text: 'a' }] }] }));
    else if (i % 5 === 0) lines.push(JSON.stringify({ messages: [{ role: 'user', content: `q${i}`, name: 'bob' }, { role: 'assistant', content: `a${i}`, weight: 0 }] }));
    else if (i % 3 === 0) lines.push(`${JSON.stringify({ messages: [{ role: 'user', content: `tab\t"quoted" ${i} é` }, { role: 'assistant', content: 'ok' }] })}\r`);
    else lines.push(JSON.stringify({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `question ${i} ${'x'.repeat(i % 40)}` }, { role: 'assistant', content: `answer ${i}` }] }));
  }
  return `${lines.join('\n')}\n`;
}

function file(content: string): string {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(path, content);
  return path;
}

/** The whole run: output bytes, and the chunks' results without their bytes, merged. */
async function convert(path: string, p: ChunkPool | undefined, placed?: Placement): Promise<{ out: string; examples: number; skipped: number; notes: Map<string, [number, number]> }> {
  const reader = new LineChunkReader(path, { chunkBytes: 512 });
  const arg = { name: path };
  const out: Buffer[] = [];
  let examples = 0;
  let skipped = 0;
  const notes = new Map<string, [number, number]>();
  for await (const c of inOrder<GeminiChunk>(reader, p, arg, (chunk) => geminiChunk(chunk, arg), placed)) {
    out.push(Buffer.from(c.out));
    examples += c.examples;
    skipped += c.skipped;
    for (const n of c.notes) notes.set(n.note, [(notes.get(n.note)?.[0] ?? 0) + n.count, notes.get(n.note)?.[1] ?? n.firstLine]);
  }
  return { out: Buffer.concat(out).toString('utf8'), examples, skipped, notes };
}

describe('inOrder with worker threads', () => {
  it('gives the bytes, counts and notes of one thread, with chunks done in a worker', async () => {
    const path = file(mixed(400));
    const alone = await convert(path, undefined);
    pool = createChunkPool(1, TASK);
    expect(await pool?.started()).toBe(true);
    const placed: Placement = { worker: 0, local: 0 };
    const shared = await convert(path, pool, placed);
    expect(placed.worker).toBeGreaterThan(0);
    expect(placed.worker + placed.local).toBeGreaterThan(20);
    expect(shared).toEqual(alone);
    expect(alone.examples).toBe(400 - Math.floor(400 / 11));
    expect([...alone.notes.values()].some(([count]) => count > 1)).toBe(true);
  });

  it('throws the first bad line of the file, as the same user error, wherever its chunk ran', async () => {
    const path = file(mixed(300, [1, 250]));
    pool = createChunkPool(1, TASK);
    expect(await pool?.started()).toBe(true);
    // The first chunk goes to the started worker: its error crosses the thread.
    const err = await convert(path, pool).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    expect(err).toMatchObject({ code: 'invalid_json', message: `${path}:1: the line is not valid JSON.` });
    const later = file(mixed(300, [120, 250]));
    await expect(convert(later, pool)).rejects.toMatchObject({ code: 'invalid_json', message: `${later}:120: the line is not valid JSON.` });
    await expect(convert(later, undefined)).rejects.toMatchObject({ code: 'invalid_json', message: `${later}:120: the line is not valid JSON.` });
  });

  it('converts on the calling thread when no worker can start', async () => {
    pool = createChunkPool(1, { module: 'no/such/module.js', name: 'task' });
    expect(await pool?.started()).toBe(false);
    const path = file(mixed(50));
    const placed: Placement = { worker: 0, local: 0 };
    expect(await convert(path, pool, placed)).toEqual(await convert(path, undefined));
    expect(placed.worker).toBe(0);
  });

  it('prepares and streams the same upload with and without workers', async () => {
    const path = file(mixed(3000));
    const sha = async (threads: number): Promise<string> => {
      const h = createHash('sha256');
      for await (const b of trainingBytes(path, { threads, chunkBytes: 4096 })) h.update(b);
      return h.digest('hex');
    };
    const one = await prepareTrainingData(path, { sha256: '', bytes: 0 }, { threads: 0, chunkBytes: 4096 });
    const two = await prepareTrainingData(path, { sha256: '', bytes: 0 }, { threads: 1, chunkBytes: 4096 });
    expect(two).toEqual(one);
    expect(one.notes.length).toBeGreaterThan(0);
    expect(await sha(1)).toBe(one.sha256);
    expect(await sha(0)).toBe(one.sha256);
  });
});
