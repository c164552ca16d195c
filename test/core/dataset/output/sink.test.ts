import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSink, streamSink, unwritable } from '../../../../src/core/dataset/output/sink.js';
import { OutputClosedError, UsageError } from '../../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('line sinks', () => {
  it('writes lines of every size in order, and the file appears only on commit', async () => {
    const path = join(dir, 'out.jsonl');
    const sink = await openFileSink(path);
    // Short lines, lines that straddle the 1 MiB buffer, one larger than a buffer, multi-byte text.
    const lines = [...Array.from({ length: 3000 }, (_, i) => `{"i":${i},"t":"${'é'.repeat(i % 700)}"}`), 'x'.repeat(3 << 20), '{"end":true}'];
    for (const l of lines) await sink.write(l);
    expect(existsSync(path)).toBe(false);
    await sink.commit();
    expect(readFileSync(path, 'utf8')).toBe(`${lines.join('\n')}\n`);
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('writes past the background flushes (every 16 MiB) whole, and aborts cleanly in the middle of them', async () => {
    const path = join(dir, 'big.jsonl');
    const sink = await openFileSink(path);
    const line = `{"t":"${'a'.repeat(4000)}"}`;
    for (let i = 0; i < 10_000; i++) await sink.write(line); // ~40 MB: two flushes start on the way
    await sink.commit();
    const out = readFileSync(path);
    expect(out.length).toBe((line.length + 1) * 10_000);
    expect(out.toString('latin1', out.length - line.length - 1)).toBe(`${line}\n`);
    const cut = await openFileSink(join(dir, 'cut.jsonl'));
    for (let i = 0; i < 6000; i++) await cut.write(line);
    await cut.abort();
    expect(readdirSync(dir).filter((f) => f.startsWith('cut') || f.endsWith('.tmp'))).toEqual([]);
    rmSync(path);
  });

  it('leaves nothing behind on abort', async () => {
    const sink = await openFileSink(join(dir, 'gone.jsonl'));
    sink.write('{"a":1}');
    await sink.abort();
    expect(readdirSync(dir)).not.toContain('gone.jsonl');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('waits for drain on a stream that asks it to', async () => {
    const chunks: string[] = [];
    let drained = 0;
    const target = {
      write: (c: string | Uint8Array) => (chunks.push(Buffer.from(c as Uint8Array).toString()), false),
      once: (event: 'drain' | 'close' | 'error', cb: () => void) => {
        if (event === 'drain') setImmediate(() => (drained++, cb()));
      },
    };
    const sink = streamSink(target);
    for (let i = 0; i < 40_000; i++) await sink.write(`{"row":${i},"pad":"${'p'.repeat(40)}"}`);
    await sink.commit();
    expect(chunks.join('').split('\n').length - 1).toBe(40_000);
    expect(drained).toBe(chunks.length);
  });

  it('stops with OutputClosedError when the reader closes the stream instead of draining it (`| head`)', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const sink = streamSink(stream);
    setImmediate(() => stream.destroy());
    const write = async (): Promise<void> => {
      for (let i = 0; i < 100_000; i++) await sink.write(`{"row":${i},"pad":"${'p'.repeat(40)}"}`);
      await sink.commit();
    };
    await expect(write()).rejects.toBeInstanceOf(OutputClosedError);
    expect(stream.listenerCount('drain') + stream.listenerCount('close')).toBe(0);
  });

  it('turns a folder that refuses writes into a usage error with the fix', async () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOSPC']) {
      const err = unwritable('/mnt/ro/out.jsonl', Object.assign(new Error(code), { code }));
      expect(err, code).toBeInstanceOf(UsageError);
    }
    expect(unwritable('/mnt/ro/out.jsonl', Object.assign(new Error('EROFS'), { code: 'EROFS' }))).toMatchObject({ code: 'output_not_writable', message: 'cannot write /mnt/ro/out.jsonl: /mnt/ro is on a read-only file system' });
    await expect(openFileSink('/sys/llmgw-sink-test.jsonl')).rejects.toMatchObject({ code: 'output_not_writable' });
  });
});
