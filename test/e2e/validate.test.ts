import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/built-cli.js';

const llmgw = runBuiltCli;

describe('llmgw dataset validate (built binary)', () => {
  it('passes datasets/chat-valid.jsonl, counting tokens in worker threads', async () => {
    const r = await llmgw(['dataset', 'validate', 'datasets/chat-valid.jsonl', '--threads', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ valid');
    expect(r.stdout).toMatch(/tokens +[\d,]+ \(o200k_base\)/);
    expect(r.stderr).toBe('');
  });

  it('prints the same --json report with a worker thread as without, with tokens and without', async () => {
    for (const tokens of [[], ['--no-tokens']]) {
      const alone = await llmgw(['dataset', 'validate', 'datasets/chat-mistakes.jsonl', 'datasets/chat-valid.jsonl', '--json', '--threads', '0', ...tokens]);
      const threaded = await llmgw(['dataset', 'validate', 'datasets/chat-mistakes.jsonl', 'datasets/chat-valid.jsonl', '--json', '--threads', '1', ...tokens]);
      expect(threaded.code).toBe(1);
      expect(alone.code).toBe(1);
      expect(JSON.parse(threaded.stdout)).toEqual(JSON.parse(alone.stdout));
      expect(JSON.parse(threaded.stdout).files[0].summary.errors).toBeGreaterThan(0);
    }
  });

  it('passes datasets/preference-valid.jsonl with its size warning, and fails it under --strict', async () => {
    const ok = await llmgw(['dataset', 'validate', 'datasets/preference-valid.jsonl']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('datasets/preference-valid.jsonl · preference · 12 examples');
    expect(ok.stdout).toContain('warning below_recommended_examples');
    expect((await llmgw(['dataset', 'validate', 'datasets/preference-valid.jsonl', '--strict', '--no-tokens'])).code).toBe(1);
  });

  it('fails datasets/chat-mistakes.jsonl with exit 1 and the documented --json shape', async () => {
    const r = await llmgw(['dataset', 'validate', 'datasets/chat-mistakes.jsonl', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.files).toHaveLength(1);
    expect(doc.files[0]).toMatchObject({ file: 'datasets/chat-mistakes.jsonl', kind: 'chat', valid: false, summary: { examples: 12, errors: 10, warnings: 2 } });
    expect(doc.files[0].issueCounts).toMatchObject({ invalid_json: 1, invalid_role: 1, mixed_kinds: 1, duplicate_example: 1 });
    expect(doc.files[0].tokens.total).toBeGreaterThan(0);
  });

  it('emits GitHub annotations for the mistakes sample', async () => {
    const r = await llmgw(['dataset', 'validate', 'datasets/chat-mistakes.jsonl', '--format', 'github', '--no-tokens']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=datasets\/chat-mistakes\.jsonl,line=2,title=invalid_json::/m);
  });

  it('exits 2 for a missing file, with the fix on stderr and nothing on stdout', async () => {
    const r = await llmgw(['dataset', 'validate', 'datasets/missing.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('cannot read datasets/missing.jsonl: no such file');
    expect(r.stderr).toContain('fix:');
  });
});
