/** Bad input never crashes a dataset verb: each case is a user error with its exit code and fix. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const chat = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

async function run(args: string[], files: Record<string, string | Buffer> = {}, stdin?: string) {
  const cwd = mkdtempSync(join(tmpdir(), 'llmgw-robust-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(cwd, name), body);
  const io = memoryIo({ cwd, stdin: stdin === undefined ? undefined : Readable.from([Buffer.from(stdin)]) });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err(), cwd };
}

describe('bad input is a user error, never a bug', () => {
  it('convert on UTF-16 or binary data names what it is (exit 1)', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('q,a\nhi,hello\n', 'utf16le')]);
    const a = await run(['dataset', 'convert', 'export.csv', '-o', 'out.jsonl', '--json'], { 'export.csv': utf16 });
    expect(a.code).toBe(1);
    expect(JSON.parse(a.out)).toMatchObject({ error: { code: 'not_utf8', hint: expect.stringContaining('--encoding utf-16le') } });
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    const b = await run(['dataset', 'convert', 'data.xlsx', '-o', 'out.jsonl'], { 'data.xlsx': zip });
    expect(b.code).toBe(1);
    expect(b.err).toContain('is not text: it looks like a ZIP archive');
  });

  it('stats, split and convert on JSON nested 5,000 levels deep', async () => {
    const deep = `{"messages":[{"role":"user","content":"q","extra":${'['.repeat(5000)}${']'.repeat(5000)}},{"role":"assistant","content":"a"}]}`;
    const files = { 'deep.jsonl': `${deep}\n${chat('q', 'a')}\n` };
    const stats = await run(['dataset', 'stats', 'deep.jsonl', '--json', '--threads', '0'], files);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.out)).toMatchObject({ examples: 1, unreadableLines: 1 });
    const split = await run(['dataset', 'split', 'deep.jsonl'], files);
    expect(split.code).toBe(1);
    expect(split.err).toContain('line 1 of deep.jsonl nests JSON more than 64 levels deep');
    const convert = await run(['dataset', 'convert', 'deep.jsonl', '-o', 'out.jsonl', '--json'], files);
    expect(convert.code).toBe(0);
    expect(JSON.parse(convert.out)).toMatchObject({ written: 1, skippedItems: [{ line: 1, reason: expect.any(String) }] });
    // With an address in the line the secret scan walks the whole record, and would overflow the stack.
    const walked = await run(['dataset', 'convert', 'deep.jsonl', '-o', 'out.jsonl', '--json'], { 'deep.jsonl': `${deep.replace('"q"', '"mail ana@corp-mail.io"')}\n${chat('q', 'a')}\n` });
    expect(walked.code).toBe(0);
    expect(JSON.parse(walked.out)).toMatchObject({ written: 1, skippedItems: [{ line: 1, reason: 'the record nests JSON too deeply to process (thousands of levels)' }] });
  });

  it('convert, split, stats and validate on an input the system cannot read (exit 2)', async () => {
    // /proc/self/mem opens but every read at offset 0 fails (EIO), even for root.
    for (const verb of [['convert', '/proc/self/mem', '-o', 'out.jsonl'], ['split', '/proc/self/mem', '--train-out', 't.jsonl', '--val-out', 'v.jsonl'], ['stats', '/proc/self/mem'], ['validate', '/proc/self/mem']]) {
      const r = await run(['dataset', ...verb, '--json']);
      expect(r.code, verb[0]).toBe(2);
      expect(JSON.parse(r.out), verb[0]).toMatchObject({ error: { code: 'read_failed', exitCode: 2 } });
    }
  });

  it('convert and split into a folder that cannot be written (exit 2, JSON error under --json)', async () => {
    const files = { 'data.jsonl': `${chat('q', 'a')}\n${chat('q2', 'a2')}\n` };
    // /sys refuses new files even to root (EACCES); EROFS is mapped the same way (test/core/dataset/output).
    const c = await run(['dataset', 'convert', 'data.jsonl', '-o', '/sys/llmgw-out.jsonl', '--json'], files);
    expect(c.code).toBe(2);
    expect(JSON.parse(c.out)).toMatchObject({ error: { code: 'output_not_writable', message: expect.stringContaining('permission denied in /sys') } });
    const s = await run(['dataset', 'split', 'data.jsonl', '--train-out', '/sys/t.jsonl', '--val-out', 'v.jsonl', '--json'], files);
    expect(s.code).toBe(2);
    expect(JSON.parse(s.out)).toMatchObject({ error: { code: 'output_not_writable' } });
  });

  it('an empty .jsonl is "empty", not a CSV without a header', async () => {
    const r = await run(['dataset', 'convert', 'empty.jsonl', '-o', 'out.jsonl'], { 'empty.jsonl': '' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('empty.jsonl is empty: there is nothing to convert');
    expect(r.err).not.toContain('CSV');
  });

  it('a CSV given to validate is one hint to convert, not an error per line', async () => {
    const csv = `question,answer\n${Array.from({ length: 200 }, (_, i) => `q${i},a${i}`).join('\n')}\n`;
    const r = await run(['dataset', 'validate', 'faq.csv', '--no-tokens', '--json'], { 'faq.csv': csv });
    expect(r.code).toBe(1);
    const file = (JSON.parse(r.out) as { files: { issueCounts: Record<string, number>; issues: { hint: string }[] }[] }).files[0];
    expect(file?.issueCounts).toEqual({ not_jsonl: 1 });
    expect(file?.issues[0]?.hint).toContain('llmgw dataset convert faq.csv -o faq.jsonl --map');
  });

  it('never echoes control characters or escape sequences from the data to the terminal', async () => {
    const evil = '\u001b]0;owned\u0007\u001b[2J';
    const csv = `question,answer${evil}\nq,a\n`;
    const a = await run(['dataset', 'convert', 'evil.csv', '-o', 'out.jsonl'], { 'evil.csv': csv });
    const b = await run(['dataset', 'convert', 'evil.jsonl', '-o', 'out.jsonl'], { 'evil.jsonl': `${JSON.stringify({ [`key${evil}`]: 1 })}\n` });
    const c = await run(['dataset', 'validate', 'evil.jsonl', '--no-tokens'], { 'evil.jsonl': `${JSON.stringify({ messages: [{ role: `user${evil}`, content: 'x' }] })}\n` });
    for (const r of [a, b, c]) {
      // eslint-disable-next-line no-control-regex
      expect(r.out + r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(r.out + r.err).toMatch(/\\(x1b|u001b)\]0;owned\\(x07|u0007)/);
    }
  });

  it('stats on a file with no readable example fails (exit 1) instead of printing empty figures', async () => {
    const r = await run(['dataset', 'stats', 'notes.jsonl', '--threads', '0'], { 'notes.jsonl': 'not json\n{"text": "no known keys"}\n' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('has no example to describe: none of its 2 lines are a readable');
    expect(r.out).toBe('');
  });

  it('convert warnings go to stderr, also under -q', async () => {
    const r = await run(['-q', 'dataset', 'convert', 'mail.jsonl', '-o', 'out.jsonl'], { 'mail.jsonl': `${chat('write to ana@corp-mail.io', 'ok')}\n` });
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('e-mail');
    expect(r.err).toContain('warning 1 e-mail address in the training text');
  });

  it('flag errors under --json print the error document on stdout (exit 2)', async () => {
    const r = await run(['dataset', 'convert', 'x.csv', '-o', 'y.jsonl', '--kto', 'everything', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'invalid_argument', message: expect.stringContaining("'everything' is invalid"), hint: expect.stringContaining('--help'), exitCode: 2 } });
    const unknown = await run(['dataset', 'validate', 'x.jsonl', '--no-such-flag', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out)).toMatchObject({ error: { code: 'unknown_option', exitCode: 2 } });
  });

  it('reads - from standard input in every verb', async () => {
    const data = `${Array.from({ length: 12 }, (_, i) => chat(`q${i}`, `a${i}`)).join('\n')}\n`;
    const v = await run(['dataset', 'validate', '-', '--no-tokens', '--json'], {}, data);
    expect(JSON.parse(v.out)).toMatchObject({ valid: true, files: [{ file: 'stdin', summary: { examples: 12 } }] });
    const s = await run(['dataset', 'stats', '-', '--json', '--threads', '0'], {}, data);
    expect(JSON.parse(s.out)).toMatchObject({ file: 'stdin', examples: 12 });
    const sp = await run(['dataset', 'split', '-', '--train-out', 't.jsonl', '--val-out', 'v.jsonl', '--json'], {}, data);
    expect(JSON.parse(sp.out)).toMatchObject({ input: 'stdin', examples: 12, written: true });
    const c = await run(['dataset', 'convert', '-', '-o', '-', '--json'], {}, data);
    expect(c.out.trim().split('\n')).toHaveLength(12);
    expect(JSON.parse(c.err)).toMatchObject({ input: 'stdin', output: 'stdout', written: 12 });
  });

  it('with -o - the --json report on stderr escapes what a terminal would act on, as on stdout', async () => {
    // An unmapped column is named in the report's notes.
    const csv = 'q,a,note\u202e\u009b\nhi,hello,x\n';
    const c = await run(['dataset', 'convert', 'x.csv', '-o', '-', '--json', '--map', 'q=user', '--map', 'a=assistant'], { 'x.csv': csv });
    expect(c.code, c.err).toBe(0);
    expect(c.err).not.toMatch(/[\u202e\u009b]/);
    expect(c.err).toContain('\\u202e');
    expect(JSON.parse(c.err)).toMatchObject({ written: 1 });
  });
});
