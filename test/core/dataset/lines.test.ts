import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type LineReaderOptions, type RawLine, readLineBatches, readLines } from '../../../src/core/dataset/lines.js';

/** Reads `chunks` (each delivered as its own chunk) and returns every line. */
async function read(chunks: (string | Buffer)[], options: LineReaderOptions = {}): Promise<RawLine[]> {
  const lines: RawLine[] = [];
  const source = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)), { objectMode: true });
  for await (const line of readLines(source, options)) lines.push(line);
  return lines;
}

const texts = (lines: RawLine[]): (string | null)[] => lines.map((l) => l.text);

describe('readLines', () => {
  it('numbers lines from 1 with byte offsets and lengths', async () => {
    const lines = await read(['{"a":1}\n{"b":"é"}\n']);
    expect(texts(lines)).toEqual(['{"a":1}', '{"b":"é"}']);
    expect(lines.map((l) => [l.line, l.offset, l.bytes])).toEqual([
      [1, 0, 7],
      [2, 8, 10],
    ]);
  });

  it('reads a last line without a trailing newline, and nothing after a final newline', async () => {
    expect(texts(await read(['{"a":1}\n{"b":2}']))).toEqual(['{"a":1}', '{"b":2}']);
    expect(texts(await read(['{"a":1}\n']))).toEqual(['{"a":1}']);
    expect(await read([''])).toEqual([]);
  });

  it('joins a line split across chunks, also in the middle of a multi-byte character', async () => {
    const bytes = Buffer.from('{"t":"日本語"}\n{"u":1}\n');
    const cut = bytes.indexOf(Buffer.from('本')) + 1; // inside the 3-byte sequence
    const lines = await read([bytes.subarray(0, cut), bytes.subarray(cut, cut + 1), bytes.subarray(cut + 1)]);
    expect(texts(lines)).toEqual(['{"t":"日本語"}', '{"u":1}']);
    expect(lines.every((l) => !l.invalidUtf8)).toBe(true);
  });

  it('strips a BOM from line 1 and flags it, only there', async () => {
    const lines = await read([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, ...Buffer.from('{"a":1}\n{"b":2}\n')])]);
    expect(texts(lines)).toEqual(['{"a":1}', '{"b":2}']);
    expect(lines.map((l) => l.bom)).toEqual([true, false]);
  });

  it('strips \\r from CRLF endings and flags the line', async () => {
    const lines = await read(['{"a":1}\r\n{"b":2}\n{"c":3}\r']);
    expect(texts(lines)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(lines.map((l) => l.crlf)).toEqual([true, false, true]);
  });

  it('flags invalid UTF-8 but not a genuine U+FFFD', async () => {
    const lines = await read([Buffer.concat([Buffer.from('{"a":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"b":"\uFFFD"}\n')])]);
    expect(lines.map((l) => l.invalidUtf8)).toEqual([true, false]);
    expect(lines[0]?.text).toBe('{"a":"caf\uFFFD"}');
  });

  it('flags blank and whitespace-only lines', async () => {
    const lines = await read(['{"a":1}\n\n   \t\n{"b":2}\n']);
    expect(lines.map((l) => l.blank)).toEqual([false, true, true, false]);
  });

  it('skips a line over the limit without keeping it, then reads the following lines', async () => {
    const long = 'x'.repeat(5000);
    // The long line arrives in many small chunks, as from a slow disk.
    const chunks = ['{"a":1}\n{"big":"', ...long.match(/.{1,100}/g)!, '"}\n{"b":2}\n'];
    const lines = await read(chunks, { maxLineBytes: 1000 });
    expect(texts(lines)).toEqual(['{"a":1}', null, '{"b":2}']);
    expect(lines[1]).toMatchObject({ line: 2, tooLong: true, raw: null, bytes: 5000 + 10 });
    expect(lines[2]).toMatchObject({ line: 3, offset: 8 + 5010 + 1 });
  });

  it('skips an over-long last line without a newline', async () => {
    const lines = await read(['{"a":1}\n', 'y'.repeat(3000)], { maxLineBytes: 1000 });
    expect(lines.map((l) => l.tooLong)).toEqual([false, true]);
  });

  it('reports bytes read with each batch', async () => {
    const source = Readable.from([Buffer.from('{"a":1}\n{"b'), Buffer.from('":2}\n')]);
    const seen: [number, number][] = [];
    for await (const batch of readLineBatches(source)) seen.push([batch.lines.length, batch.bytesRead]);
    expect(seen).toEqual([
      [1, 11],
      [1, 16],
    ]);
  });
});

describe('readLines from a file path', () => {
  it('reads the same lines at any read size, though its two read buffers are reused (lines spanning reads, skipped long lines)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const lines = Array.from({ length: 300 }, (_, i) => (i % 37 === 0 ? `{"long":"${'é'.repeat(i)}x"}` : `{"n":${i},"t":"${'ab'.repeat(i % 11)}"}`));
    lines[100] = `{"big":"${'z'.repeat(500)}"}`; // over the 300-byte limit below
    const path = join(mkdtempSync(join(tmpdir(), 'llmgw-lines-')), 'data.jsonl');
    writeFileSync(path, `${lines.join('\r\n')}\n`);
    // A line over the limit (its `\r` counts) is skipped: text null.
    const expected = lines.map((l, i) => (Buffer.byteLength(l) + (i < lines.length - 1 ? 1 : 0) > 300 ? null : l));
    expect(expected.filter((t) => t === null).length).toBeGreaterThan(1);
    for (const chunkBytes of [1, 7, 64, 301, 4096, 1 << 20]) {
      const got: (string | null)[] = [];
      for await (const line of readLines(path, { chunkBytes, maxLineBytes: 300 })) got.push(line.text);
      expect(got, `chunkBytes ${chunkBytes}`).toEqual(expected);
    }
  });
});
