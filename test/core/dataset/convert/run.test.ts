import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMaps } from '../../../../src/core/dataset/convert/csv-map.js';
import { convertFile, type ConvertOptions } from '../../../../src/core/dataset/convert/run.js';
import { openaiProfile } from '../../../../src/core/dataset/profile.js';
import { validateFile } from '../../../../src/core/dataset/validate.js';
import { CheckFailedError, UsageError } from '../../../../src/core/errors.js';
import { createTokenPool } from '../../../../src/core/tokens/pool.js';

const root = join(import.meta.dirname, '../../../..');
const formats = join(root, 'datasets/formats');
const golden = join(root, 'test/fixtures/convert');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmgw-convert-'));
});
const pool = createTokenPool({ threads: 0 });
afterAll(() => pool.close());

/** Every sample source format, how it is converted, and what the run must report. */
const CASES: { file: string; opts?: ConvertOptions; container: string; format: string; written: number; skipped: { line: number; row: number | null; reason: RegExp }[] }[] = [
  {
    file: 'support-faq.csv',
    opts: { maps: parseMaps(['question=user', 'answer=assistant', 'context=system']) },
    container: 'csv',
    format: 'mapped-columns',
    written: 6,
    skipped: [{ line: 10, row: 6, reason: /^no_assistant_message/ }],
  },
  { file: 'alpaca-tasks.tsv', container: 'tsv', format: 'alpaca', written: 5, skipped: [] },
  { file: 'alpaca.json', container: 'json', format: 'alpaca', written: 5, skipped: [{ line: 28, row: 6, reason: /"instruction" is empty/ }] },
  { file: 'sharegpt.json', container: 'json', format: 'sharegpt', written: 3, skipped: [{ line: 29, row: 4, reason: /unknown speaker "narrator"/ }] },
  { file: 'sharegpt-messages.jsonl', container: 'jsonl', format: 'chat', written: 3, skipped: [] },
  { file: 'chat.jsonl', opts: { system: 'You are a terse SQL assistant for the Acme warehouse.' }, container: 'jsonl', format: 'chat', written: 3, skipped: [] },
  { file: 'prompt-completion.jsonl', container: 'jsonl', format: 'prompt-completion', written: 3, skipped: [{ line: 4, row: null, reason: /"completion" is empty/ }] },
  { file: 'preference.jsonl', container: 'jsonl', format: 'preference', written: 3, skipped: [] },
  { file: 'preference-messages.jsonl', container: 'jsonl', format: 'preference', written: 2, skipped: [{ line: 3, row: null, reason: /^preference_identical_outputs/ }] },
];

describe('convertFile on every sample format', () => {
  it('has a case for every sample in datasets/formats', () => {
    expect(CASES.map((c) => c.file).sort()).toEqual(readdirSync(formats).sort());
  });

  it.each(CASES)('$file → golden output, skips reported with line and row, output validates clean', async (c) => {
    const out = join(dir, `${c.file}.out.jsonl`);
    const r = await convertFile(join(formats, c.file), out, c.opts);
    expect(r.detected).toMatchObject({ container: c.container, format: c.format });
    expect(r.written).toBe(c.written);
    expect(r.skipped).toBe(c.skipped.length);
    expect(r.skippedItems).toEqual(c.skipped.map((s) => ({ line: s.line, row: s.row, reason: expect.stringMatching(s.reason) })));
    await expect(readFileSync(out, 'utf8')).toMatchFileSnapshot(join(golden, `${c.file}.jsonl`));
    const report = await validateFile(out, { pool, profile: { ...openaiProfile, minExamples: 1, recommendedExamples: 1 } });
    expect(report.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });
});

describe('convertFile safety and file handling', () => {
  const key = ['sk-proj-', 'Q'.repeat(20), 'w'.repeat(20)].join('');
  const secretLine = JSON.stringify({ messages: [{ role: 'user', content: `my key is ${key}, mail me at ana@corp-mail.io` }, { role: 'assistant', content: 'Noted.' }] });

  it('reports secrets masked, and redacts them in the output with --redact', async () => {
    const input = join(dir, 'secret.jsonl');
    writeFileSync(input, `${secretLine}\n`);
    const plain = await convertFile(input, join(dir, 'secret.out.jsonl'));
    expect(plain.safety).toMatchObject({ secrets: 1, emails: 1, redacted: false, byKind: { openai_api_key: 1, email: 1 } });
    expect(JSON.stringify(plain)).not.toContain(key);
    expect(readFileSync(join(dir, 'secret.out.jsonl'), 'utf8')).toContain(key);
    await convertFile(input, join(dir, 'secret.red.jsonl'), { redact: true });
    const redacted = readFileSync(join(dir, 'secret.red.jsonl'), 'utf8');
    expect(redacted).not.toContain(key);
    expect(redacted).toContain('my key is [REDACTED openai_api_key], mail me at [REDACTED email]');
  });

  it('refuses the input as output (also through a symlink) and an existing output without force', async () => {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${secretLine}\n`);
    symlinkSync(input, join(dir, 'link.jsonl'));
    await expect(convertFile(input, input, { force: true })).rejects.toMatchObject({ code: 'output_is_input' });
    await expect(convertFile(input, join(dir, 'link.jsonl'), { force: true })).rejects.toMatchObject({ code: 'output_is_input' });
    writeFileSync(join(dir, 'exists.jsonl'), 'keep me\n');
    await expect(convertFile(input, join(dir, 'exists.jsonl'))).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(join(dir, 'exists.jsonl'), 'utf8')).toBe('keep me\n');
    await convertFile(input, join(dir, 'exists.jsonl'), { force: true });
    expect(readFileSync(join(dir, 'exists.jsonl'), 'utf8')).toContain('"messages"');
  });

  it('leaves no file (and no temp file) when nothing converts or the input is broken', async () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    writeFileSync(join(sub, 'bad.json'), '[{"instruction": "a", "output": "b"}, {"instruction": "c", ');
    await expect(convertFile(join(sub, 'bad.json'), join(sub, 'out.jsonl'))).rejects.toMatchObject({ code: 'invalid_json_array' });
    writeFileSync(join(sub, 'none.jsonl'), '{"text": "no known shape"}\n');
    await expect(convertFile(join(sub, 'none.jsonl'), join(sub, 'out.jsonl'))).rejects.toBeInstanceOf(CheckFailedError);
    expect(readdirSync(sub).sort()).toEqual(['bad.json', 'none.jsonl']);
  });

  it('turns Ctrl-C (an aborted signal) into an interruption (exit 130) that leaves no file', async () => {
    const sub = mkdtempSync(join(dir, 'abort-'));
    const ctrlC = new AbortController();
    ctrlC.abort();
    for (const file of ['alpaca.json', 'chat.jsonl', 'support-faq.csv']) {
      await expect(convertFile(join(formats, file), join(sub, 'out.jsonl'), { signal: ctrlC.signal, maps: file.endsWith('.csv') ? parseMaps(['question=user', 'answer=assistant']) : undefined })).rejects.toMatchObject({ code: 'interrupted', exitCode: 130 });
    }
    expect(readdirSync(sub)).toEqual([]);
  });

  it('refuses --to preference for chat data and for mapped fields', async () => {
    await expect(convertFile(join(formats, 'alpaca.json'), join(dir, 'x.jsonl'), { to: 'preference' })).rejects.toMatchObject({ code: 'cannot_convert' });
    await expect(convertFile(join(formats, 'alpaca.json'), join(dir, 'x.jsonl'), { to: 'preference', maps: parseMaps(['instruction=user', 'output=assistant']) })).rejects.toMatchObject({ code: 'cannot_convert' });
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false);
  });

  it('takes the output kind from a forced --from format and refuses an impossible --to', async () => {
    const r = await convertFile(join(formats, 'preference.jsonl'), join(dir, 'forced.jsonl'), { from: 'preference' });
    expect(r).toMatchObject({ to: 'preference', written: 3, detected: { format: 'preference', forced: true } });
    await expect(convertFile(join(formats, 'alpaca.json'), join(dir, 'y.jsonl'), { from: 'alpaca', to: 'preference' })).rejects.toMatchObject({ code: 'cannot_convert' });
  });

  it('writes preference pairs as chat (the chosen answer) with --to chat', async () => {
    const out = join(dir, 'pref-chat.jsonl');
    const r = await convertFile(join(formats, 'preference.jsonl'), out, { to: 'chat' });
    expect(r.to).toBe('chat');
    expect(JSON.parse(readFileSync(out, 'utf8').split('\n')[0] ?? '')).toEqual({
      messages: [
        { role: 'user', content: 'Write a one-line commit message for: fixed a null check in the login handler' },
        { role: 'assistant', content: 'Fix null check in login handler' },
      ],
    });
  });
});
