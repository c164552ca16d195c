/**
 * The chunk reader against a plain split of the same bytes: every line in exactly one chunk, in
 * order, with its number and byte offset, whatever the chunk size (down to a few bytes, so lines
 * cross reads), with CRLF endings, blank lines, no final newline, and lines over the limit, which
 * stand alone as `tooLong` chunks and never shift the numbering of the lines after them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineChunkReader } from '../../../src/core/parallel/line-chunks.js';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  line: number;
  offset: number;
  text: string | null;
  tooLong?: number;
}

/** The lines as the reader gives them (a chunk's lines split here, recycling each buffer at once). */
async function read(content: string | Buffer, opts: { chunkBytes: number; maxLineBytes?: number }): Promise<Seen[]> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(path, content);
  const reader = new LineChunkReader(path, opts);
  const seen: Seen[] = [];
  let expectedLine = 1;
  for await (const chunk of reader) {
    expect(chunk.firstLine).toBe(expectedLine);
    if (chunk.tooLong !== undefined) {
      expect(chunk.bytes.length).toBe(0);
      seen.push({ line: chunk.firstLine, offset: chunk.offset, text: null, tooLong: chunk.tooLong });
      expectedLine++;
      continue;
    }
    let offset = chunk.offset;
    let line = chunk.firstLine;
    for (let start = 0; start < chunk.bytes.length; line++) {
      let nl = chunk.bytes.indexOf(0x0a, start);
      if (nl === -1) nl = chunk.bytes.length;
      seen.push({ line, offset, text: chunk.bytes.toString('utf8', start, nl) });
      offset += nl - start + 1;
      start = nl + 1;
    }
    expectedLine = line;
    reader.recycle(chunk.bytes);
  }
  return seen;
}

/** What a plain split says, with lines over `max` bytes marked. */
function expected(content: string, max = Infinity): Seen[] {
  const parts = content.split('\n');
  if (parts.at(-1) === '') parts.pop();
  let offset = 0;
  return parts.map((text, i) => {
    const bytes = Buffer.byteLength(text);
    const s: Seen = bytes > max ? { line: i + 1, offset, text: null, tooLong: bytes } : { line: i + 1, offset, text };
    offset += bytes + 1;
    return s;
  });
}

const sample = ['{"a":1}', '', '{"b":"ünïcödé 你好"}\r', '   ', '{"c":"' + 'x'.repeat(300) + '"}', '{"d":4}'].join('\n');

describe('LineChunkReader', () => {
  it.each([3, 7, 64, 1024, 1 << 20])('gives every line once, numbered, at its offset (chunks of %i bytes)', async (chunkBytes) => {
    expect(await read(`${sample}\n`, { chunkBytes })).toEqual(expected(`${sample}\n`));
    expect(await read(sample, { chunkBytes })).toEqual(expected(sample)); // no final newline
  });

  it('gives nothing for an empty file', async () => {
    expect(await read('', { chunkBytes: 16 })).toEqual([]);
  });

  it.each([8, 50, 4096])('skips lines over the limit wherever they fall (chunks of %i bytes)', async (chunkBytes) => {
    const long = 'y'.repeat(500);
    const content = ['{"a":1}', long, '{"b":2}', long + long, long, '{"c":3}', long].join('\n');
    expect(await read(content, { chunkBytes, maxLineBytes: 100 })).toEqual(expected(content, 100));
    expect(await read(`${long}\n{"z":1}\n`, { chunkBytes, maxLineBytes: 100 })).toEqual(expected(`${long}\n{"z":1}\n`, 100));
  });

  it('keeps a line exactly at the limit', async () => {
    const content = `${'z'.repeat(100)}\n{"a":1}\n`;
    expect(await read(content, { chunkBytes: 16, maxLineBytes: 100 })).toEqual(expected(content, 100));
  });
});
