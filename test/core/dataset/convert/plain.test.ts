/**
 * A plain chat record (plain.ts) skips the converter: that is right only if the converter would
 * have written the line's own bytes, with no note, no finding and no skip. Each record below is
 * put through the converter exactly as a run sets it up for chat → chat; every one called plain
 * must come out that way, and the near misses (each one step away from plain) must not be called
 * plain, since the converter changes, notes or refuses them. A run over a file large enough to
 * take the plain path after the look-ahead writes every line the converter would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { converters } from '../../../../src/core/dataset/convert/formats/index.js';
import { ItemConverter } from '../../../../src/core/dataset/convert/item.js';
import { Notes } from '../../../../src/core/dataset/convert/notes.js';
import { isPlainChatRecord } from '../../../../src/core/dataset/convert/plain.js';
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
