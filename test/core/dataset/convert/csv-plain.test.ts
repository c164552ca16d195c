/**
 * The CSV reader splits records from their bytes (csv-plain.ts) until one is not certain, and
 * csv-parse reads on from there. Together they must give exactly what csv-parse alone gives with
 * the same options: the same cells, byte for byte, the same start line for each row, and the same
 * error (with csv-parse's line numbers) for a broken file. They are held to that over many random
 * tables fed in random reads, with the bytes that decide CSV (quotes, delimiters, CR, LF) in
 * abundance. The scanner must also take the common files whole, or it would save nothing.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readCsv, type CsvReadStats } from '../../../../src/core/dataset/convert/csv.js';
import { MAX_CARRY } from '../../../../src/core/dataset/convert/csv-plain.js';
import { rng } from '../../../helpers/rng.js';

interface Outcome {
  records: { cells: string[]; line: number }[];
  error?: string;
}

/** What csv-parse alone reads, with csv.ts's options: cells (as latin1, byte for byte) and start lines, or its error. */
function reference(input: Buffer, delimiter: string): Outcome {
  try {
    const rows = parse(input, { bom: false, encoding: null, delimiter, relax_column_count: true, info: true, skip_empty_lines: true, max_record_size: 64 * 1024 * 1024 }) as unknown as { record: Buffer[]; info: { lines: number } }[];
    // The line a record starts on, as csv.ts derives it from csv-parse's count (see ParserLines).
    let crsBefore = 0;
    return {
      records: rows.map(({ record, info }) => {
        const cells = record.map((c) => Buffer.from(c).toString('latin1'));
        const count = (ch: string): number => cells.reduce((n, cell) => n + cell.split(ch).length - 1, 0);
        const line = info.lines - count('\n') - count('\r') - crsBefore;
        crsBefore += count('\r');
        return { cells, line };
      }),
    };
  } catch (err) {
    return { records: [], error: (err as Error).message };
  }
}

/** What readCsv gives for `input` read in pieces of the given sizes (cycled). */
async function read(input: Buffer, delimiter: string, sizes: number[], stats?: CsvReadStats): Promise<Outcome> {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0, k = 0; at < input.length; at += sizes[k % sizes.length] as number, k++) {
      // Each read in a buffer of its own, as a stream gives them.
      yield Buffer.from(input.subarray(at, at + (sizes[k % sizes.length] as number)));
    }
  }
  const records: Outcome['records'] = [];
  try {
    const table = await readCsv(chunks(), delimiter, stats);
    records.push({ cells: table.header.map((h) => Buffer.from(h).toString('latin1')), line: 0 });
    for await (const rows of table.rows) for (const r of rows) records.push({ cells: r.cells.map((c) => c.toString('latin1')), line: r.line });
    return { records };
  } catch (err) {
    const e = err as Error & { code?: string; cause?: Error };
    if (e.code === 'empty_csv') return { records: [] };
    return { records: [], error: e.cause?.message ?? `${e.code}: ${e.message}` };
  }
}

/** The reference's outcome in read()'s terms: the header's line is not compared (readCsv gives none). */
function expected(input: Buffer, delimiter: string): Outcome {
  const r = reference(input, delimiter);
  if (r.error !== undefined) return r;
  return { records: r.records.map((rec, i) => (i === 0 ? { ...rec, line: 0 } : rec)) };
}

const PIECES = ['a', 'bc', 'x y', 'é', '你', '"', '""', '","', ',', ',', '\n', '\n', '\r\n', '\r', '\t', ';', ' ', '\u0000', '"\n', '\n\n', ' "'];

function randomTable(random: () => number): string {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  // Each table has its line ending (LF, CRLF, now and then a lone CR), broken now and then.
  const eol = pick(['\n', '\n', '\r\n', '\r\n', '\r']);
  let s = '';
  const rows = 1 + Math.floor(random() * 8);
  for (let r = 0; r < rows; r++) {
    const cells = 1 + Math.floor(random() * 4);
    const row: string[] = [];
    for (let c = 0; c < cells; c++) {
      let body = '';
      for (let n = Math.floor(random() * 4); n > 0; n--) body += random() < 0.85 ? pick(PIECES.slice(0, 5)) : pick(PIECES);
      // Mostly well-quoted cells, sometimes raw bytes that break the rules.
      const quoted = random() < 0.4 || /[",\n\r]/.test(body) ? `"${body.replaceAll('"', '""')}"` : body;
      row.push(random() < 0.9 ? quoted : body);
    }
    s += row.join(random() < 0.95 ? ',' : pick([';', '\t', '"']));
    s += random() < 0.9 ? eol : pick(['', '\r\n', '\n', '\n\n', '\r\n\r\n', '\r', ' \n', '\n\r\n']);
  }
  return random() < 0.9 ? s : s.slice(0, -eol.length);
}

describe('CSV records: scanner, then csv-parse', () => {
  it('reads what csv-parse reads, cell for cell, line for line, error for error, on 4,000 random tables in random reads', async () => {
    const random = rng(20261207);
    const totals = { scanned: 0, parsed: 0, both: 0, errors: 0 };
    for (let i = 0; i < 4000; i++) {
      const input = Buffer.from(randomTable(random));
      const delimiter = random() < 0.9 ? ',' : ';';
      const sizes = Array.from({ length: 3 }, () => 1 + Math.floor(random() * (random() < 0.5 ? 8 : 64)));
      const stats = { scanned: 0, parsed: 0 };
      const want = expected(input, delimiter);
      const got = await read(input, delimiter, sizes, stats);
      // csv-parse's errors name the line by its own count, a CR inside a cell counting as a line;
      // where the scanner read those lines first, the count is the file's. Lines in errors are
      // compared where the file has no CR (the records' lines always are).
      if (input.includes(0x0d) && got.error !== undefined && want.error !== undefined) {
        got.error = got.error.replace(/line \d+/, 'line N');
        want.error = want.error.replace(/line \d+/, 'line N');
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) expect({ case: i, input: input.toString('latin1'), delimiter, sizes, got }).toEqual({ case: i, input: input.toString('latin1'), delimiter, sizes, got: want });
      totals.scanned += stats.scanned;
      totals.parsed += stats.parsed;
      if (stats.scanned > 0 && stats.parsed > 0) totals.both++;
      if (want.error !== undefined) totals.errors++;
    }
    // Both readers did real work, csv-parse often taking over within a file, and errors were met.
    expect(totals.scanned).toBeGreaterThan(5000);
    expect(totals.parsed).toBeGreaterThan(1000);
    expect(totals.both).toBeGreaterThan(200);
    expect(totals.errors).toBeGreaterThan(500);
  });

  it('takes a well-formed LF file whole: quoted commas, doubled quotes, newlines in cells, empty lines, multi-byte text', async () => {
    const text = 'q,a\n"Hi, there","He said ""yes""\nand left"\n\n"",x\nplain,"你好 👍"\n,\nlast,row';
    const stats = { scanned: 0, parsed: 0 };
    const got = await read(Buffer.from(text), ',', [5, 17, 3], stats);
    expect(got).toEqual(expected(Buffer.from(text), ','));
    expect(got.records.map((r) => r.line)).toEqual([0, 2, 5, 6, 7, 8]);
    expect(stats).toEqual({ scanned: 6, parsed: 0 });
  });

  it('takes a CRLF file whole, leaves a lone-CR file to csv-parse, and hands over the rest of a file at the first record it cannot be sure of', async () => {
    const crlf = Buffer.from('q,a\r\nx,y\r\n\r\n"m\r\nn",z\r\n');
    const s1 = { scanned: 0, parsed: 0 };
    expect(await read(crlf, ',', [4], s1)).toEqual(expected(crlf, ','));
    expect(s1).toEqual({ scanned: 3, parsed: 0 });
    const mac = Buffer.from('q,a\rx,y\r');
    const s2 = { scanned: 0, parsed: 0 };
    expect(await read(mac, ',', [4], s2)).toEqual(expected(mac, ','));
    expect(s2).toEqual({ scanned: 0, parsed: 2 });
    // A bare LF in an unquoted cell of a CRLF file is data to csv-parse: it reads from that row on.
    const bare = Buffer.from('q,a\r\nx,y\r\nlf\nin,cell\r\ne,f\r\n');
    const s3 = { scanned: 0, parsed: 0 };
    const got3 = await read(bare, ',', [5], s3);
    expect(got3).toEqual(expected(bare, ','));
    expect(got3.records.map((r) => r.line)).toEqual([0, 2, 3, 5]);
    expect(s3).toEqual({ scanned: 2, parsed: 2 });
    const mixed = Buffer.from('q,a\nx,y\n\n"a\nb",c\nbad "quote",d\ne,f\n');
    const s4 = { scanned: 0, parsed: 0 };
    const got4 = await read(mixed, ',', [1000], s4);
    expect(got4).toEqual(expected(mixed, ','));
    expect(got4.error).toMatch(/Invalid Opening Quote: a quote is found on field 0 at line 6/);
    expect(s4.scanned).toBe(3);
  });

  it('numbers lines by record delimiters and LFs in cells, also where cells hold CRs (csv-parse counts each CR as a line)', async () => {
    // Lines: 1 q,a · 2-3 the cell with a CRLF · 4 m,n · 5 empty · 6 a cell with a lone CR · 7 o,p.
    const crlf = 'q,a\r\n"x\r\ny",z\r\nm,n\r\n\r\n"c\rd",e\r\no,p\r\n';
    const lf = crlf.replaceAll('\r\n', '\n').replace('"x\n', '"x\r\n');
    for (const text of [crlf, lf]) {
      const got = await read(Buffer.from(text), ',', [7]);
      expect(got.records.map((r) => r.line)).toEqual([0, 2, 4, 6, 7]);
    }
  });

  it('leaves a record longer than the carry limit to csv-parse, with its lines right', async () => {
    const big = `"${'x'.repeat(2 * MAX_CARRY)}\n${'y'.repeat(100)}"`;
    const input = Buffer.from(`q,a\n1,2\n${big},z\n3,4\n`);
    const stats = { scanned: 0, parsed: 0 };
    const got = await read(input, ',', [64 * 1024], stats);
    expect(got).toEqual(expected(input, ','));
    expect(got.records.map((r) => r.line)).toEqual([0, 2, 3, 5]);
    expect(stats).toEqual({ scanned: 2, parsed: 2 });
  });

  it('uses csv-parse alone for a delimiter of more than one byte', async () => {
    const input = Buffer.from('q::a\nx::y\n');
    const stats = { scanned: 0, parsed: 0 };
    expect(await read(input, '::', [3], stats)).toEqual(expected(input, '::'));
    expect(stats).toEqual({ scanned: 0, parsed: 2 });
  });
});
