import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openInput, unreadable } from '../../../../src/core/dataset/input/open.js';
import { registerInputScheme } from '../../../../src/core/dataset/input/schemes.js';
import { CheckFailedError, UsageError } from '../../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-input-'));
const LINES = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] })).join('\n');

async function all(input: { chunks(): AsyncIterable<Buffer> }): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of input.chunks()) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

describe('openInput', () => {
  it('opens a local file by path, with its size, name, folder and head', async () => {
    writeFileSync(join(dir, 'plain.jsonl'), LINES);
    const input = await openInput('plain.jsonl', { cwd: dir });
    expect(input).toMatchObject({ name: 'plain.jsonl', size: Buffer.byteLength(LINES), gzip: false, path: join(dir, 'plain.jsonl'), dir });
    expect(input.head.toString('utf8')).toBe(LINES.slice(0, input.head.length));
    expect(await all(input)).toBe(LINES);
  });

  it('decompresses gzip data found by its magic bytes, whatever the name says', async () => {
    const gz = gzipSync(LINES);
    writeFileSync(join(dir, 'looks-plain.jsonl'), gz);
    const input = await openInput(join(dir, 'looks-plain.jsonl'));
    expect(input).toMatchObject({ gzip: true, path: join(dir, 'looks-plain.jsonl'), size: gz.length });
    expect(input.head.subarray(0, 12).toString()).toBe('{"messages":');
    expect(await all(input)).toBe(LINES);
    expect(input.storedBytesRead(Buffer.byteLength(LINES))).toBe(gz.length);
  });

  it('reads `-` from the stdin it is given, refuses a terminal, and gunzips a pipe', async () => {
    const piped = await openInput('-', { stdin: Readable.from([Buffer.from(LINES.slice(0, 10)), Buffer.from(LINES.slice(10))]) });
    expect(piped).toMatchObject({ name: 'stdin', size: null, path: null, dir: null });
    expect(await all(piped)).toBe(LINES);
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    await expect(openInput('-', { stdin: tty })).rejects.toMatchObject({ code: 'stdin_is_terminal' });
    const zipped = await openInput('-', { stdin: Readable.from([gzipSync(LINES)]) });
    expect(zipped.gzip).toBe(true);
    expect(await all(zipped)).toBe(LINES);
  });

  it('reports corrupt gzip data as the user\'s file (exit 1), not a bug', async () => {
    const gz = gzipSync(LINES);
    writeFileSync(join(dir, 'cut.jsonl.gz'), gz.subarray(0, 40));
    const input = await openInput(join(dir, 'cut.jsonl.gz')).then(all).catch((e: unknown) => e);
    expect(input).toBeInstanceOf(CheckFailedError);
    expect(input).toMatchObject({ code: 'invalid_gzip' });
  });

  it('opens a URI through the opener registered for its scheme, and refuses unknown schemes with the fix', async () => {
    const seen: string[] = [];
    registerInputScheme('mem', async (uri) => {
      seen.push(uri);
      return { stream: Readable.from([gzipSync('{"a":1}\n')]), size: 27, name: uri };
    });
    const input = await openInput('mem://bucket/train.jsonl.gz');
    expect(seen).toEqual(['mem://bucket/train.jsonl.gz']);
    expect(input).toMatchObject({ name: 'mem://bucket/train.jsonl.gz', size: 27, gzip: true, dir: null });
    expect(await all(input)).toBe('{"a":1}\n');
    await expect(openInput('https://example.com/x.jsonl')).rejects.toMatchObject({ code: 'unsupported_uri', hint: expect.stringContaining('mem://') });
  });

  it('turns a missing file, a folder and a permission error into usage errors with the fix', async () => {
    await expect(openInput(join(dir, 'nope.jsonl'))).rejects.toMatchObject({ code: 'file_not_found', exitCode: 2 });
    await expect(openInput(dir)).rejects.toMatchObject({ code: 'not_a_file', exitCode: 2 });
    const denied = unreadable('train.jsonl', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    expect(denied).toBeInstanceOf(UsageError);
    expect(denied).toMatchObject({ code: 'permission_denied', hint: expect.stringContaining('chmod u+r train.jsonl') });
  });
});
