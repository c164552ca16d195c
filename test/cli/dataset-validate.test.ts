import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../../src/cli/commands/dataset/validate.render.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const root = join(import.meta.dirname, '../..');
const run = async (args: string[], env: Record<string, string> = {}) => {
  const io = memoryIo({ cwd: root, env });
  const code = await main(['dataset', 'validate', ...args], io);
  return { code, out: io.out(), err: io.err() };
};

describe('llmgw dataset validate (text)', () => {
  it('exits 0 on the valid sample and names the default model, tokens and cost', async () => {
    const r = await run(['datasets/chat-valid.jsonl', '--threads', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('datasets/chat-valid.jsonl · chat · 52 examples');
    expect(r.out).toContain('✓ valid');
    expect(r.out).toContain('model gpt-4.1-mini-2025-04-14 (default; change with --model)');
    expect(r.out).toMatch(/tokens +\d[\d,]* \(o200k_base\) · per example min \d+/);
    expect(r.out).toMatch(/cost +[\d,]+ billed tokens over 3 epochs \(provider default for this size\) at \$5\/1M \(price table of \d{4}-\d\d-\d\d\): ≈ \$0\.\d\d/);
    expect(r.out).not.toContain('\u001b['); // not a terminal: no colour
    expect(r.err).toBe('');
  });

  it('exits 1 on errors, grouped by code with file:line, field, message and fix', async () => {
    const r = await run(['datasets/chat-mistakes.jsonl', '--no-tokens']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  error invalid_role ×1\n    datasets/chat-mistakes.jsonl:3 messages[2].role — unknown role "bot"\n      fix: use one of system, developer, user, assistant, tool, function');
    expect(r.out).toContain('warning duplicate_example ×1');
    expect(r.out).toContain('datasets/chat-mistakes.jsonl:11 — gpt-4.1-mini-2025-04-14 cannot be trained on images (1 example has images, the first on this line)');
    expect(r.out).toContain('not counted (--no-tokens)');
    expect(r.out).toContain('✗ 10 errors');
    // errors are listed before warnings
    expect(r.out.indexOf('error mixed_kinds')).toBeLessThan(r.out.indexOf('warning below_recommended_examples'));
  });

  it('shows the first five occurrences of a code and counts the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmgw-cli-'));
    const good = JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] });
    writeFileSync(join(dir, 'blank.jsonl'), `${good}\n${'\n'.repeat(8)}`);
    const r = await run([join(dir, 'blank.jsonl'), '--no-tokens']);
    expect(r.out).toContain('error blank_line ×8');
    expect(r.out.match(/blank\.jsonl:\d+ — the line is empty/g)).toHaveLength(5);
    expect(r.out).toContain('…and 3 more');
    expect(r.out.match(/fix: delete the empty line/g)).toHaveLength(1);
  });

  it('fails on warnings with --strict (exit 1) and passes without it (exit 0)', async () => {
    expect((await run(['datasets/preference-valid.jsonl', '--no-tokens'])).code).toBe(0);
    const strict = await run(['datasets/preference-valid.jsonl', '--no-tokens', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('✗ 1 warning (--strict)');
  });

  it('stops at --max-errors and says so', async () => {
    const r = await run(['datasets/chat-mistakes.jsonl', '--no-tokens', '--max-errors', '2']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('stopped after 2 errors at line 3 (--max-errors)');
    expect(r.out).not.toContain('invalid_weight');
  });

  it('reports every file of a run and exits with the worst result', async () => {
    const r = await run(['datasets/chat-valid.jsonl', 'datasets/chat-mistakes.jsonl', '--no-tokens']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('datasets/chat-valid.jsonl · chat');
    expect(r.out).toContain('datasets/chat-mistakes.jsonl · chat');
    expect(r.out).toContain('2 files: 1 valid, 1 invalid');
  });

  it('colours the report on a terminal and not under NO_COLOR', async () => {
    const tty = memoryIo({ cwd: root, tty: true });
    expect(await main(['dataset', 'validate', 'datasets/chat-mistakes.jsonl', '--no-tokens'], tty)).toBe(1);
    expect(tty.out()).toContain('\u001b[31merror\u001b[39m');
    const plain = memoryIo({ cwd: root, tty: true, env: { NO_COLOR: '1' } });
    await main(['dataset', 'validate', 'datasets/chat-mistakes.jsonl', '--no-tokens'], plain);
    expect(plain.out()).not.toContain('\u001b[');
  });

  it('uses --model, --epochs and --price in the cost line', async () => {
    const r = await run(['datasets/chat-valid.jsonl', '--threads', '0', '--model', 'gpt-4o-mini', '--epochs', '2', '--price', '3.5']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/over 2 epochs at \$3\.5\/1M \(--price\)/);
    expect(r.out).toContain('model gpt-4o-mini-2024-07-18: o200k_base');
  });
});

describe('llmgw dataset validate (json and github)', () => {
  it('prints one JSON document with the documented shape', async () => {
    const r = await run(['datasets/chat-mistakes.jsonl', '--threads', '0', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['valid', 'strict', 'model', 'tokens', 'files']);
    expect(doc).toMatchObject({ valid: false, strict: false, tokens: true, model: { id: 'gpt-4.1-mini-2025-04-14', source: 'default', encoding: 'o200k_base', maxExampleTokens: 65536 } });
    const [file] = doc.files;
    expect(Object.keys(file)).toEqual(['file', 'kind', 'valid', 'summary', 'issueCounts', 'issues', 'tokens', 'billing', 'stoppedEarly']);
    expect(file.summary).toEqual({ examples: 12, lines: 13, bytes: expect.any(Number), errors: 10, warnings: 2, infos: 0 });
    expect(file.issues.find((i: { code: string }) => i.code === 'invalid_json')).toEqual({ code: 'invalid_json', severity: 'error', file: 'datasets/chat-mistakes.jsonl', line: 2, field: null, message: expect.stringContaining('not valid JSON'), hint: expect.any(String) });
    expect(file.tokens).toMatchObject({ encoding: 'o200k_base', total: expect.any(Number), p95: expect.any(Number) });
    expect(file.billing).toMatchObject({ model: 'gpt-4.1-mini-2025-04-14', epochs: expect.any(Number), estimatedCostUsd: expect.any(Number), priceDate: expect.any(String) });
    expect(r.err).toBe('');
  });

  it('treats --format json like --json', async () => {
    const r = await run(['datasets/chat-valid.jsonl', '--no-tokens', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ valid: true, tokens: false, files: [{ tokens: null, billing: null }] });
  });

  it('prints GitHub annotations and a summary line', async () => {
    const r = await run(['datasets/chat-mistakes.jsonl', '--no-tokens', '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines).toContain('::error file=datasets/chat-mistakes.jsonl,line=3,title=invalid_role::messages[2].role: unknown role "bot". Fix: use one of system, developer, user, assistant, tool, function');
    expect(lines).toContain('::warning file=datasets/chat-mistakes.jsonl,title=below_recommended_examples::the file has 12 examples; openai recommends at least 50. Fix: add more examples; 50-100 good ones is a common start');
    expect(lines.at(-1)).toBe('llmgw: datasets/chat-mistakes.jsonl: invalid, 10 errors, 2 warnings, 12 examples');
  });

  it('escapes annotation data and properties as the runner requires', () => {
    expect(escapeData('100% broken\r\nnext')).toBe('100%25 broken%0D%0Anext');
    expect(escapeProperty('data/a:b,c.jsonl')).toBe('data/a%3Ab%2Cc.jsonl');
  });
});

describe('llmgw dataset validate (usage errors, exit 2)', () => {
  it('refuses a missing file before checking any, with a fix', async () => {
    const r = await run(['datasets/chat-valid.jsonl', 'datasets/nope.jsonl']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('error cannot read datasets/nope.jsonl: no such file\n  fix: check the path (it is relative to the current directory)\n');
  });

  it('refuses a directory and prints a JSON error under --json', async () => {
    const r = await run(['datasets', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'not_a_file', message: 'cannot read datasets: it is a directory', hint: 'pass the data files inside it, e.g. datasets/*.jsonl', exitCode: 2 } });
  });

  it('refuses bad flag values and an unknown model', async () => {
    expect((await run(['datasets/chat-valid.jsonl', '--max-errors', '0'])).code).toBe(2);
    expect((await run(['datasets/chat-valid.jsonl', '--kind', 'sft'])).code).toBe(2);
    expect((await run(['datasets/chat-valid.jsonl', '--price', 'cheap'])).code).toBe(2);
    const model = await run(['datasets/chat-valid.jsonl', '--model', 'gpt-9']);
    expect(model.code).toBe(2);
    expect(model.err).toContain('unknown base model "gpt-9"');
    expect(model.err).toContain('fix: use one of gpt-4.1-2025-04-14');
  });

  it('needs at least one file', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("missing required argument 'files'");
  });
});
