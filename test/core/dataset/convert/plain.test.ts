/**
 * A plain chat record (plain.ts) skips the converter: that is right only if the converter would
 * have written the line's own bytes, with no note, no finding and no skip. Each record below is
 * put through the converter exactly as a run sets it up for chat → chat; every one called plain
 * must come out that way, and the near misses (each one step away from plain) must not be called
 * plain, since the converter changes, notes or refuses them. A run over a file large enough to
 * take the plain path after the look-ahead writes every line the converter would. The same holds
 * for CSV rows mapped with --map, whose line is built from the cells' bytes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mapRow, parseMaps, planMapping } from '../../../../src/core/dataset/convert/csv-map.js';
import { converters } from '../../../../src/core/dataset/convert/formats/index.js';
import { ItemConverter } from '../../../../src/core/dataset/convert/item.js';
import { Notes } from '../../../../src/core/dataset/convert/notes.js';
import { isPlainChatRecord, LineBytes, plainRowLine, plainRows } from '../../../../src/core/dataset/convert/plain.js';
import { convertFile } from '../../../../src/core/dataset/convert/run.js';
import { passThrough } from '../../../../src/core/dataset/convert/targets.js';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-plain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const m = (role: string, content: unknown): Record<string, unknown> => ({ role, content });
const PLAIN: unknown[] = [
  { messages: [m('user', 'Hi'), m('assistant', 'Hello.')] },
  { messages: [m('system', 'Be brief.'), m('user', 'Hi'), m('assistant', 'Hello.')] },
  { messages: [{ content: 'Hi', role: 'user' }, { content: 'Hello.', role: 'assistant' }] },
  { messages: [m('assistant', 'only me')] },
  { messages: [m('user', 'a'), m('user', 'b'), m('assistant', 'c'), m('system', 'late system')] },
  { messages: [m('user', '  padded  '), m('assistant', '\tcafé ✓ 你好 👍')] },
  { messages: [m('user', '\u3000x'), m('assistant', '\u00a0\u2028y')] },
  { messages: [m('user', 'quote " and \\ and \n newline'), m('assistant', '\u0008')] },
];
const NOT_PLAIN: unknown[] = [
  { messages: [m('user', 'Hi'), m('assistant', 'Hello.')], id: 7 },
  { messages: [m('user', 'Hi'), m('assistant', 'Hello.')], label: true },
  { messages: [m('user', 'Hi'), { ...m('assistant', 'Hello.'), weight: 0 }] },
  { messages: [{ ...m('user', 'Hi'), name: 'bob' }, m('assistant', 'Hello.')] },
  { messages: [m('user', 'Hi'), { ...m('assistant', 'Hello.'), refusal: null }] },
  { messages: [m('user', 'Hi'), m('user', 'Hello.')] },
  { messages: [m('User', 'Hi'), m('assistant', 'Hello.')] },
  { messages: [m('human', 'Hi'), m('gpt', 'Hello.')] },
  { messages: [m('developer', 'Rules.'), m('user', 'Hi'), m('assistant', 'Hello.')] },
  { messages: [m('user', 'Hi'), m('assistant', '')] },
  { messages: [m('user', ' \n\t\u3000\ufeff'), m('assistant', 'Hello.')] },
  { messages: [m('user', 'Hi'), m('assistant', [{ type: 'text', text: 'Hello.' }])] },
  { messages: [m('user', 'Hi'), m('assistant', null)] },
  { messages: [m('user', 'Hi'), { role: 'assistant' }] },
  { messages: [] },
  { messages: 'Hi' },
  JSON.parse('{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}], "__proto__": {"x": 1}}'),
  [m('user', 'Hi'), m('assistant', 'Hello.')],
  null,
];

/** What the converter makes of `record` (from `line`), as a chat → chat run sets it up. */
function general(record: unknown, line: string): { outcome: unknown; notes: number } {
  const notes = new Notes();
  const items = new ItemConverter({ maps: [], system: undefined, redact: false, kto: undefined, keepEmpty: false, dir: null, tabular: false }, notes, () => undefined, () => ({ kind: 'chat', writer: passThrough }));
  items.converter = converters.chat;
  const raw = Buffer.from(line);
  const outcome = items.convert({ loc: { line: 1 }, record, text: line, raw });
  return { outcome, notes: notes.list().length };
}

describe('plain chat records', () => {
  it.each(PLAIN.map((r) => [JSON.stringify(r)]))('%s is plain, and the converter writes its bytes unchanged', (line) => {
    const record = JSON.parse(line) as unknown;
    expect(isPlainChatRecord(record)).toBe(true);
    const { outcome, notes } = general(record, line);
    expect(outcome).toEqual({ line: Buffer.from(line), findings: [] });
    expect(notes).toBe(0);
  });

  it.each(NOT_PLAIN.map((r, i) => [i, r]))('near miss %i is not plain', (_, record) => {
    expect(isPlainChatRecord(record)).toBe(false);
  });

  it('a large file converts to what the converter alone makes of it, line for line', async () => {
    // Past the look-ahead (the first read), plain lines take the short path; the others do not.
    const lines: string[] = [];
    const all = [...PLAIN, ...NOT_PLAIN.filter((r) => typeof r === 'object' && r !== null && !Array.isArray(r) && !('label' in r))]; // (KTO data stops the run)
    for (let i = 0; lines.length < 6000; i++) {
      const r = all[i % all.length] as Record<string, unknown>;
      lines.push(i % 97 === 5 ? '{"messages": [{"role": "user", "content": "key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"}, {"role": "assistant", "content": "ok"}]}' : JSON.stringify(r));
    }
    const input = join(dir, 'mixed.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'mixed.out.jsonl');
    const result = await convertFile(input, out, { force: true });
    const expected: string[] = [];
    let skipped = 0;
    for (const line of lines) {
      const { outcome } = general(JSON.parse(line), line);
      if ('skip' in (outcome as object)) skipped++;
      else expected.push(Buffer.isBuffer((outcome as { line: unknown }).line) ? (outcome as { line: Buffer }).line.toString() : String((outcome as { line: unknown }).line));
    }
    expect(readFileSync(out, 'utf8')).toBe(`${expected.join('\n')}\n`);
    expect(result).toMatchObject({ items: lines.length, written: lines.length - skipped, skipped });
    expect(result.safety.secrets).toBe(lines.filter((l) => l.includes('sk-proj')).length);
  });
});

/** What the general path makes of one mapped row: mapRow, then the converter. */
function generalRow(cells: string[], header: string[], maps: string[]): { line: string } | { skip: string } | { findings: number } {
  const plan = planMapping(header, parseMaps(maps));
  const notes = new Notes();
  const items = new ItemConverter({ maps: [], system: undefined, redact: false, kto: undefined, keepEmpty: false, dir: null, tabular: true }, notes, () => undefined, () => ({ kind: 'chat', writer: passThrough }));
  const outcome = items.convert({ loc: { line: 1, row: 1 }, mapped: mapRow(cells, plan) });
  if (outcome instanceof Promise) throw new Error('no images here');
  expect(notes.list()).toEqual([]);
  if ('skip' in outcome) return { skip: outcome.skip };
  if (outcome.findings.length > 0) return { findings: outcome.findings.length };
  return { line: String(outcome.line) };
}

const HEADER = ['sys', 'dev', 'q', 'a', 'q2', 'a2'];
const ROWS: string[][] = [
  ['Be brief.', 'Rules.', 'Hi', 'Hello.', 'And?', 'More.'],
  ['', '', 'Hi', 'Hello.', 'And?', 'More.'],
  ['', 'Rules.', 'Hi', 'Hello.', 'x', 'y'],
  ['Be brief.', '', 'multi\nline "quoted" \\ back\tslash', 'café ✓ 你好 👍 \u0001', 'a', 'b'],
  ['  ', '', 'Hi', 'Hello.', 'x', 'y'],
  ['\u3000', '', 'Hi', 'Hello.', 'x', 'y'],
  ['', '', ' leading space', 'Hello.', 'x', 'y'],
  ['', '', 'Hi', 'Hello.', '', ''],
  ['', '', 'Hi', '', 'x', 'y'],
  ['', '', 'Hi', 'Hello.', 'x', ''],
  ['', '', 'é first', 'Hello.', 'x', 'y'],
  ['', '', 'Hi', 'mail bob@corp.io now', 'x', 'y'],
  ['', '', 'Hi', 'key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD', 'x', 'y'],
  ['', '', 'Hi', 'ask-based task-list', 'x', 'y'],
  ['', '', 'path C:\\users\\me', 'Hello.', 'x', 'y'],
  ['', '', 'A-Z_J@ x-y', 'Hello.', 'x', 'y'],
  ['', '', 'Hi', 'eyJhbGciOiJIUzI1NiJ9 AKIA', 'x', 'y'],
  ['', '', 'Hi', 'Hello.'],
];

describe('plain mapped rows', () => {
  const maps = ['q=user', 'a=assistant', 'sys=system', 'q2=user', 'a2=assistant', 'dev=developer'];
  it.each(ROWS.map((r, i) => [i, r]))('row %i: a line built from the bytes is the general path’s line', (_, row) => {
    const plan = planMapping(HEADER, parseMaps(maps));
    const rows = plainRows(plan.columns);
    const line = plainRowLine((row as string[]).map((c) => Buffer.from(c)), rows!, new LineBytes(64));
    const general = generalRow(row as string[], HEADER, maps);
    if (line !== undefined) expect(general).toEqual({ line: line.toString('utf8') });
  });

  it('builds most rows from bytes, and none without an assistant column', () => {
    const plan = planMapping(HEADER, parseMaps(maps));
    const built = ROWS.filter((row) => plainRowLine(row.map((c) => Buffer.from(c)), plainRows(plan.columns)!, new LineBytes()) !== undefined);
    expect(built.length).toBe(5);
    expect(plainRows(planMapping(HEADER, parseMaps(['q=user', 'sys=system'])).columns)).toBeUndefined();
  });

  it('a large CSV converts to what the general path makes of every row', async () => {
    const cell = (c: string): string => (/[",\n\r]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
    const rows = Array.from({ length: 9000 }, (_, i) => ROWS[i % ROWS.length] as string[]);
    const input = join(dir, 'rows.csv');
    writeFileSync(input, `\ufeff${HEADER.join(',')}\r\n${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`);
    const out = join(dir, 'rows.out.jsonl');
    const result = await convertFile(input, out, { force: true, maps: parseMaps(maps) });
    const expected: string[] = [];
    let skipped = 0;
    let findings = 0;
    for (const r of rows) {
      const g = generalRow(r.concat(Array(HEADER.length - r.length).fill('')), HEADER, maps);
      if ('skip' in g) skipped++;
      else if ('findings' in g) findings += g.findings;
      if ('line' in g) expected.push(g.line);
    }
    const written = readFileSync(out, 'utf8').trim().split('\n');
    expect(written.filter((l) => !l.includes('sk-proj') && !l.includes('bob@'))).toEqual(expected);
    expect(result).toMatchObject({ items: rows.length, skipped, written: rows.length - skipped });
    expect(result.safety.secrets + result.safety.emails).toBe(findings);
  });
});
