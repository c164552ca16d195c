import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const root = join(import.meta.dirname, '../..');
const formats = join(root, 'datasets/formats');
const run = async (args: string[], cwd = mkdtempSync(join(tmpdir(), 'llmgw-cli-convert-'))) => {
  const io = memoryIo({ cwd });
  const code = await main(['dataset', 'convert', ...args], io);
  return { code, out: io.out(), err: io.err(), cwd };
};
// A key-shaped string built at run time, so no tracked file holds one.
const KEY = ['AKIA', 'Z7Q2', 'W9X4', 'V6B8', 'N1M3'].join('');

describe('llmgw dataset convert', () => {
  it('converts a CSV with --map, says what it detected, lists skipped rows and warns about unmapped columns', async () => {
    const r = await run([join(formats, 'support-faq.csv'), '-o', 'faq.jsonl', '--map', 'question=user', '--map', 'answer=assistant', '--map', 'context=system']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('CSV, columns mapped with --map (detected)');
    expect(r.out).toContain('✔ wrote 6 chat examples to faq.jsonl (7 read, 1 skipped)');
    expect(r.out).toMatch(/line 10 \(row 6\): no_assistant_message/);
    expect(r.out).toContain('Changes made to the data:\n  column 1 (no name, e.g. a row index) is not mapped and was left out');
    expect(readFileSync(join(r.cwd, 'faq.jsonl'), 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('prints one JSON document with the documented shape under --json', async () => {
    const r = await run([join(formats, 'sharegpt.json'), '-o', 'out.jsonl', '--json', '--system', 'You are Orbit.']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['input', 'output', 'detected', 'to', 'kind', 'items', 'written', 'skipped', 'skippedItems', 'notes', 'safety']);
    expect(doc).toMatchObject({
      output: 'out.jsonl',
      detected: { container: 'json', format: 'sharegpt', forced: false, delimiter: null },
      to: 'chat',
      items: 4,
      written: 3,
      skipped: 1,
      skippedItems: [{ line: 29, row: 4, reason: expect.stringContaining('narrator') }],
      safety: { secrets: 0, emails: 0, redacted: false, byKind: {}, findings: [] },
    });
    expect(r.err).toBe('');
  });

  it('exits 1 with --fail-on-skip when a row was skipped, and still writes the good rows', async () => {
    const r = await run([join(formats, 'alpaca.json'), '-o', 'out.jsonl', '--fail-on-skip']);
    expect(r.code).toBe(1);
    expect(existsSync(join(r.cwd, 'out.jsonl'))).toBe(true);
  });

  it('exits 2 for a missing input, an existing output, the input as output, and a bad --map', async () => {
    expect((await run(['nope.csv', '-o', 'x.jsonl'])).code).toBe(2);
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-cli-convert-'));
    writeFileSync(join(cwd, 'x.jsonl'), 'keep\n');
    const exists = await run([join(formats, 'chat.jsonl'), '-o', 'x.jsonl'], cwd);
    expect(exists.code).toBe(2);
    expect(exists.err).toContain('x.jsonl already exists');
    expect(exists.err).toContain('fix: pass --force');
    expect(readFileSync(join(cwd, 'x.jsonl'), 'utf8')).toBe('keep\n');
    expect((await run(['x.jsonl', '-o', 'x.jsonl', '--force'], cwd)).code).toBe(2);
    const map = await run([join(formats, 'support-faq.csv'), '-o', 'y.jsonl', '--map', 'question=human']);
    expect(map.code).toBe(2);
    expect(map.err).toContain('role one of system, developer, user, assistant');
  });

  it('boxes likely secrets on stderr with masked values only, and redacts them with --redact', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-cli-convert-'));
    writeFileSync(join(cwd, 'in.jsonl'), `${JSON.stringify({ prompt: `Deploy with key ${KEY}`, completion: 'Done.' })}\n`);
    const plain = await run(['in.jsonl', '-o', 'a.jsonl'], cwd);
    expect(plain.code).toBe(0);
    expect(plain.err).toMatch(/┌─+┐/);
    expect(plain.err).toContain('✖ 1 likely secret in the training data: aws_access_key_id ×1');
    expect(plain.err).toContain('Re-run with --redact');
    expect(plain.err + plain.out).not.toContain(KEY);
    const red = await run(['in.jsonl', '-o', 'b.jsonl', '--redact', '--json'], cwd);
    expect(red.out).not.toContain(KEY);
    expect((JSON.parse(red.out) as { safety: unknown }).safety).toMatchObject({ secrets: 1, redacted: true });
    expect(red.err).toContain('They were masked as [REDACTED <kind>] in the output');
    expect(readFileSync(join(cwd, 'b.jsonl'), 'utf8')).toContain('Deploy with key [REDACTED aws_access_key_id]');
  });

  it('has --help with examples', async () => {
    const io = memoryIo();
    expect(await main(['dataset', 'convert', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Examples:');
    expect(io.out()).toContain('--map question=user');
  });
});
