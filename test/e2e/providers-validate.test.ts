/** `llmgw dataset validate --target X` through the built CLI, on the profile fixtures. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'core', 'dataset', 'profiles', 'fixtures');

function llmgw(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'llmgw.js'), ...args], { cwd: FIXTURES, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('dataset validate --target (e2e)', () => {
  it('together: a tool message and two user turns in a row are errors (exit 1) naming line and field; the fixed files pass', async () => {
    const bad = await llmgw(['dataset', 'validate', 'together-role/bad.jsonl', 'together-alternate/bad.jsonl', '--target', 'together', '--no-tokens', '--json']);
    expect(bad.code).toBe(1);
    const doc = JSON.parse(bad.stdout) as { files: { issues: { code: string; line: number; field: string; message: string }[] }[] };
    expect(doc.files.map((f) => f.issues.filter((i) => i.code === 'invalid_role').map((i) => [i.line, i.field]))).toEqual([[[3, 'messages[3].role']], [[3, 'messages[2].role']]]);
    const fixed = await llmgw(['dataset', 'validate', 'together-role/fixed.jsonl', 'together-alternate/fixed.jsonl', '--target', 'together', '--no-tokens']);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
  });

  it('fireworks: content parts fail with a GitHub annotation; 2 examples are too few', async () => {
    const parts = await llmgw(['dataset', 'validate', 'fireworks-text-only/bad.jsonl', '--target', 'fireworks', '--no-tokens', '--format', 'github']);
    expect(parts.code).toBe(1);
    expect(parts.stdout).toMatch(/::error file=fireworks-text-only\/bad\.jsonl,line=4.*content must be a string/);
    const few = await llmgw(['dataset', 'validate', 'fireworks-min-examples/bad.jsonl', '--target', 'fireworks', '--no-tokens']);
    expect(few.code).toBe(1);
    expect(few.stdout + few.stderr).toContain('too_few_examples');
  });

  it('an unknown or retired target is a usage error (exit 2) naming the targets', async () => {
    const retired = await llmgw(['dataset', 'validate', 'together-role/fixed.jsonl', '--target', 'mistral']);
    expect(retired.code).toBe(2);
    expect(retired.stderr).toContain('retired');
    expect(retired.stderr).toContain('openai, azure, together, fireworks');
  });
});
