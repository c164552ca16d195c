import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openaiProfile } from '../../../src/core/dataset/profile.js';
import { validateFile, validateFiles, validateStream } from '../../../src/core/dataset/validate.js';
import { UsageError } from '../../../src/core/errors.js';
import { defaultModel, resolveModel } from '../../../src/core/models/catalog.js';
import { countExampleTokens } from '../../../src/core/tokens/count.js';
import { createTokenPool } from '../../../src/core/tokens/pool.js';

const root = join(import.meta.dirname, '../../..');
const sample = (name: string): string => join(root, 'datasets', name);
const tmp = mkdtempSync(join(tmpdir(), 'llmgw-validate-'));
const pool = createTokenPool({ threads: 0 });
afterAll(() => pool.close());

const line = (i: number): string => JSON.stringify({ messages: [{ role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }] });
function write(name: string, lines: string[]): string {
  const path = join(tmp, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

describe('validateFile on the bundled samples', () => {
  it('passes the valid chat sample, with token totals equal to the per-example counts', async () => {
    const model = defaultModel();
    const report = await validateFile(sample('chat-valid.jsonl'), { model, pool });
    expect(report).toMatchObject({ kind: 'chat', valid: true, issues: [], stoppedEarly: null });
    expect(report.summary).toMatchObject({ examples: 52, lines: 52, errors: 0, warnings: 0 });
    const perExample = readFileSync(sample('chat-valid.jsonl'), 'utf8').trim().split('\n').map((l) => countExampleTokens(JSON.parse(l), 'chat', model.encoding).total);
    const total = perExample.reduce((a, b) => a + b, 0);
    expect(report.tokens).toMatchObject({ encoding: 'o200k_base', total, min: Math.min(...perExample), max: Math.max(...perExample), overLimit: 0, billedPerEpoch: total });
    // 52 examples × 3 > 100: the default rule keeps 3 epochs; gpt-4.1-mini costs $5 per 1M tokens.
    expect(report.billing).toMatchObject({ model: model.id, epochs: 3, billedTokens: total * 3, priceSource: 'table' });
    expect(report.billing?.estimatedCostUsd).toBeCloseTo((total * 3 * 5) / 1e6, 10);
  });

  it('passes the preference sample (with a warning for its size) and fails the mistakes sample', async () => {
    const pref = await validateFile(sample('preference-valid.jsonl'), {});
    expect(pref).toMatchObject({ kind: 'preference', valid: true, issueCounts: { below_recommended_examples: 1 } });
    const bad = await validateFile(sample('chat-mistakes.jsonl'), {});
    expect(bad.valid).toBe(false);
    expect(Object.keys(bad.issueCounts).sort()).toEqual(
      ['below_recommended_examples', 'duplicate_example', 'invalid_json', 'invalid_role', 'invalid_weight', 'missing_content', 'mixed_kinds', 'no_assistant_message', 'tool_arguments_not_string', 'unknown_key', 'unmatched_tool_message'].sort(),
    );
    expect(bad.issues.map((i) => i.line)).toEqual([...bad.issues.map((i) => i.line)].sort((a, b) => a - b));
  });
});

describe('validate options', () => {
  it('stops after --max-errors errors and skips the file-level count checks', async () => {
    const path = write('many-errors.jsonl', Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? '{broken' : line(i))));
    const report = await validateFile(path, { maxErrors: 5 });
    expect(report.stoppedEarly).toEqual({ afterErrors: 5, line: 9 });
    expect(report.summary.errors).toBe(5);
    expect(report.issueCounts).toEqual({ invalid_json: 5 });
  });

  it('does not call a check stopped when only a file-level error reaches --max-errors', async () => {
    const path = write('short.jsonl', [line(1), line(2)]);
    const report = await validateFile(path, { maxErrors: 1 });
    expect(report.issueCounts).toEqual({ too_few_examples: 1 });
    expect(report.stoppedEarly).toBeNull();
  });

  it('keeps at most keepPerCode issues per code but counts them all', async () => {
    const path = write('blank.jsonl', [...Array.from({ length: 12 }, (_, i) => line(i)), ...Array.from({ length: 30 }, () => '')]);
    const report = await validateFile(path, { keepPerCode: 4 });
    expect(report.issueCounts.blank_line).toBe(30);
    expect(report.summary.errors).toBe(30);
    expect(report.issues.filter((i) => i.code === 'blank_line')).toHaveLength(4);
  });

  it('makes warnings fail under strict', async () => {
    const path = write('dupes.jsonl', [...Array.from({ length: 60 }, (_, i) => line(i)), line(3)]);
    expect((await validateFile(path, {})).valid).toBe(true);
    const strict = await validateFile(path, { strict: true });
    expect(strict.valid).toBe(false);
    expect(strict.issues).toMatchObject([{ code: 'duplicate_example', line: 61, message: 'the example is the same as line 4' }]);
  });

  it('reports examples over the model limit and bills them truncated', async () => {
    const model = resolveModel('gpt-3.5-turbo-0613')!;
    const long = JSON.stringify({ messages: [{ role: 'user', content: Array.from({ length: 5000 }, (_, i) => `word${i}`).join(' ') }, { role: 'assistant', content: 'ok' }] });
    const path = write('long.jsonl', [...Array.from({ length: 10 }, (_, i) => line(i)), long]);
    const report = await validateFile(path, { model, pool, epochs: 2, pricePerMillion: 10 });
    expect(report.issueCounts).toMatchObject({ example_too_long: 1 });
    expect(report.issues.find((i) => i.code === 'example_too_long')).toMatchObject({ line: 11, severity: 'warning' });
    expect(report.tokens?.overLimit).toBe(1);
    expect(report.tokens!.max).toBeGreaterThan(4096);
    expect(report.tokens!.billedPerEpoch).toBe(report.tokens!.total - report.tokens!.max + 4096);
    expect(report.billing).toMatchObject({ epochs: 2, epochsSource: 'flag', priceSource: 'override', pricePerMillion: 10, priceDate: null });
  });

  it('applies a profile\'s severity overrides, and drops issues turned off', async () => {
    const path = write('bom.jsonl', Array.from({ length: 12 }, (_, i) => (i === 0 ? `\uFEFF${line(i)}` : line(i))));
    expect((await validateFile(path, {})).issueCounts).toMatchObject({ bom: 1 });
    const relaxed = await validateFile(path, { profile: { ...openaiProfile, severity: { bom: 'info', below_recommended_examples: 'off' } } });
    expect(relaxed.issueCounts).toEqual({ bom: 1 });
    expect(relaxed.issues).toMatchObject([{ code: 'bom', severity: 'info' }]);
    expect(relaxed.summary).toMatchObject({ errors: 0, warnings: 0, infos: 1 });
    expect(relaxed.valid).toBe(true);
  });

  it('treats a completion file as legacy unless the model trains on prompt/completion', async () => {
    const path = write('legacy.jsonl', Array.from({ length: 10 }, (_, i) => JSON.stringify({ prompt: `Q${i}`, completion: ` A${i}` })));
    expect((await validateFile(path, {})).issueCounts).toEqual({ legacy_prompt_completion: 1, below_recommended_examples: 1 });
    expect((await validateFile(path, { model: resolveModel('babbage-002') })).issueCounts).toEqual({ below_recommended_examples: 1 });
    const chat = write('chat-for-babbage.jsonl', Array.from({ length: 60 }, (_, i) => line(i)));
    expect((await validateFile(chat, { model: resolveModel('babbage-002') })).issues).toMatchObject([{ code: 'model_cannot_train', line: 1, message: 'babbage-002 trains only on prompt/completion files, not on chat examples' }]);
  });

  it('reports progress up to the whole file and validates a stream under a given name', async () => {
    const text = Array.from({ length: 12 }, (_, i) => line(i)).join('\n');
    const seen: number[] = [];
    const report = await validateStream('piped.jsonl', Readable.from([Buffer.from(text)]), {}, { onProgress: (p) => seen.push(p.bytesRead) });
    expect(report.file).toBe('piped.jsonl');
    expect(report.summary).toMatchObject({ examples: 12, bytes: Buffer.byteLength(text) });
    expect(seen.at(-1)).toBe(Buffer.byteLength(text));
  });

  it('validates several files in order', async () => {
    const reports = await validateFiles([sample('chat-valid.jsonl'), sample('preference-valid.jsonl')]);
    expect(reports.map((r) => r.kind)).toEqual(['chat', 'preference']);
  });
});

describe('encodings', () => {
  it('says once that a file is UTF-16 rather than UTF-8, with the convert command that decodes it', async () => {
    const path = join(tmp, 'utf16.jsonl');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line(1)}\n${line(2)}\n`, 'utf16le')]));
    const report = await validateFile(path, {});
    expect(report.issues).toEqual([expect.objectContaining({ code: 'not_jsonl', line: 0, message: expect.stringContaining('UTF-16'), hint: expect.stringContaining('--encoding utf-16le') })]);
  });

  it('names a CSV given to validate once, instead of a JSON error per line', async () => {
    const path = join(tmp, 'faq.csv');
    writeFileSync(path, `question,answer\n${Array.from({ length: 300 }, (_, i) => `q${i},a${i}`).join('\n')}\n`);
    const report = await validateFile(path, {});
    expect(report.issueCounts).toEqual({ not_jsonl: 1 });
    expect(report.issues[0]).toMatchObject({ message: 'the file is CSV (columns "question", "answer"), not JSON Lines', hint: expect.stringContaining('llmgw dataset convert') });
    expect(report.valid).toBe(false);
  });
});

describe('unreadable input', () => {
  it('is a usage error with a fix for a missing file and for a directory', async () => {
    await expect(validateFile(join(tmp, 'nope.jsonl'))).rejects.toMatchObject({ code: 'file_not_found', exitCode: 2 });
    const err = await validateFile(tmp).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({ code: 'not_a_file', hint: expect.stringContaining('*.jsonl') });
  });
});
