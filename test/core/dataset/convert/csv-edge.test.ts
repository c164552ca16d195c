import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMaps } from '../../../../src/core/dataset/convert/csv-map.js';
import { convertFile, type ConvertOptions } from '../../../../src/core/dataset/convert/run.js';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmgw-csv-'));
});

async function convert(text: string, opts: ConvertOptions = {}, ext = 'csv') {
  const input = join(dir, `in${++n}.${ext}`);
  writeFileSync(input, text);
  const out = join(dir, `out${n}.jsonl`);
  const result = await convertFile(input, out, opts);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
  return { result, lines };
}

const qa = { maps: parseMaps(['q=user', 'a=assistant']) };

describe('CSV edge cases', () => {
  it('reads quoted fields with commas, doubled quotes and embedded newlines, and reports the row start line', async () => {
    const { result, lines } = await convert('q,a\n"Hi, there","He said ""yes""\nand left"\n"",skipped\nBye,Ciao\n', qa);
    expect(lines.map((l) => l.messages.map((m) => m.content))).toEqual([
      ['Hi, there', 'He said "yes"\nand left'],
      ['Bye', 'Ciao'],
    ]);
    // The row with an empty question starts on line 4 (the quoted answer above spans lines 2-3).
    expect(result.skippedItems).toEqual([{ line: 4, row: 2, reason: 'column "q" is empty but a later turn ("a") is not' }]);
  });

  it('strips a BOM so the first column name still matches', async () => {
    const { result } = await convert('\uFEFFq,a\nx,y\n', qa);
    expect(result.written).toBe(1);
  });

  it('treats missing trailing cells as empty and skips rows with extra cells', async () => {
    const { result, lines } = await convert('q,a,c\nonly a question\nq2,a2\nq3,a3,c3,extra\n', { maps: parseMaps(['q=user', 'a=assistant']) });
    expect(lines).toHaveLength(1);
    expect(result.skippedItems.map((s) => [s.row, s.reason])).toEqual([
      [1, expect.stringMatching(/^no_assistant_message/)],
      [3, 'the row has 4 cells but the header has 3 (an unquoted delimiter?)'],
    ]);
    expect(result.notes).toEqual([{ message: 'column 3 "c" is not mapped and was left out', count: 1, line: null, row: null }]);
  });

  it('detects TSV from the extension and honours --delimiter', async () => {
    const tsv = await convert('q\ta\nx, y\tz\n', qa, 'tsv');
    expect(tsv.result.detected).toMatchObject({ container: 'tsv', delimiter: '\t' });
    expect(tsv.lines[0]?.messages[0]?.content).toBe('x, y');
    const semi = await convert('q;a\nx;y\n', { ...qa, delimiter: ';' });
    expect(semi.lines[0]?.messages.map((m) => m.content)).toEqual(['x', 'y']);
  });

  it('converts by shape without --map when the header names a known format, leaving unnamed columns out', async () => {
    const { result, lines } = await convert(',instruction,input,output\n0,Add,2 and 3,5\n', {});
    expect(result.detected.format).toBe('alpaca');
    expect(result.notes.map((n) => n.message)).toEqual(['a column with no name (e.g. a row index) was left out', '"input" appended to the instruction after a blank line (one user turn)']);
    expect(lines[0]?.messages.map((m) => m.content)).toEqual(['Add\n\n2 and 3', '5']);
  });

  it('refuses --map of a column that is not there, before writing anything', async () => {
    await expect(convert(',label,text\n0,flu,fever\n', { maps: parseMaps(['Text=user']) })).rejects.toMatchObject({ code: 'unknown_column' });
  });

  it('reports a broken quote as a check failure with the line', async () => {
    await expect(convert('q,a\n"open,never closed\n', qa)).rejects.toMatchObject({ code: 'invalid_csv' });
    // The field csv-parse quotes in its message is shown as text (cells are read as bytes).
    await expect(convert('q,a\nab"c,d\n', qa)).rejects.toMatchObject({ code: 'invalid_csv', message: expect.stringContaining('line 2, value is "ab"') });
  });

  it('reads a file of many reads to its last row, without a final newline, and finds a broken quote far into it', async () => {
    // The reader takes one read (256 KiB) at a time: rows, quoted newlines and a row without a
    // newline at the end must all come through, and an error in a later read must say its line.
    const rows = Array.from({ length: 12000 }, (_, i) => `q${i},"answer ${i}\nsecond line, with ""quotes"""`);
    const { result, lines } = await convert(`q,a\n${rows.join('\n')}`, qa);
    expect(result).toMatchObject({ items: 12000, written: 12000 });
    expect(lines.at(-1)?.messages).toEqual([
      { role: 'user', content: 'q11999' },
      { role: 'assistant', content: 'answer 11999\nsecond line, with "quotes"' },
    ]);
    const broken = [...rows.slice(0, 5000), 'q,ab"c', ...rows.slice(5000)];
    // Each row above takes 2 lines and the header 1: the broken row is on line 10,002.
    await expect(convert(`q,a\n${broken.join('\n')}\n`, qa)).rejects.toMatchObject({ code: 'invalid_csv', message: expect.stringContaining('line 10002') });
    await expect(convert(`q,a\n${rows.join('\n')}\n"never closed,x\n`, qa)).rejects.toMatchObject({ code: 'invalid_csv' });
  });
});
