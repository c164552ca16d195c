import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runBuiltCli } from '../helpers/built-cli.js';


const llmgw = runBuiltCli;

describe('llmgw dataset convert → validate → stats → split (built binary)', () => {
  it('round-trips every sample: convert exits 0, the output validates clean, then splits deterministically', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-e2e-convert-'));
    const conv = await llmgw(['dataset', 'convert', join(root, 'datasets/formats/alpaca.json'), '-o', 'train.jsonl', '--json'], cwd);
    expect(conv.code).toBe(0);
    expect(JSON.parse(conv.stdout)).toMatchObject({ detected: { container: 'json', format: 'alpaca' }, written: 5, skipped: 1 });
    const val = await llmgw(['dataset', 'validate', 'train.jsonl', '--no-tokens', '--json'], cwd);
    const report = JSON.parse(val.stdout) as { files: { issues: { code: string; severity: string }[] }[] };
    // Five examples are under OpenAI's minimum of 10: the only error is the file-level count.
    expect(report.files[0]?.issues.filter((i) => i.severity !== 'info').map((i) => i.code)).toEqual(['too_few_examples']);

    const stats = await llmgw(['dataset', 'stats', 'train.jsonl', '--json', '--threads', '1'], cwd);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ examples: 5, kind: 'chat' });

    const a = await llmgw(['dataset', 'split', 'train.jsonl', '--validation-count', '2', '--seed', '7', '--json'], cwd);
    expect(a.code).toBe(0);
    const first = readFileSync(join(cwd, 'train.val.jsonl'), 'utf8');
    const b = await llmgw(['dataset', 'split', 'train.jsonl', '--validation-count', '2', '--seed', '7', '--force'], cwd);
    expect(b.code).toBe(0);
    expect(readFileSync(join(cwd, 'train.val.jsonl'), 'utf8')).toBe(first);
  });

  it('exits 1 with --fail-on-skip, 2 on usage errors with a JSON error document, and never leaves a partial file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-e2e-convert-'));
    const skip = await llmgw(['dataset', 'convert', join(root, 'datasets/formats/sharegpt.json'), '-o', 'out.jsonl', '--fail-on-skip'], cwd);
    expect(skip.code).toBe(1);
    expect(skip.stdout).toContain('unknown speaker "narrator"');

    const usage = await llmgw(['dataset', 'convert', 'missing.csv', '-o', 'x.jsonl', '--json'], cwd);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ error: { code: 'file_not_found', exitCode: 2 } });

    writeFileSync(join(cwd, 'broken.json'), '[{"instruction": "a", "output": "b"},\n{"instruction": ');
    const broken = await llmgw(['dataset', 'convert', 'broken.json', '-o', 'b.jsonl'], cwd);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('the JSON array is not closed');
    expect(readdirSync(cwd).sort()).toEqual(['broken.json', 'out.jsonl']);
  });

  it('-o - stops quietly with exit 0 when the reader closes the pipe (`| head`), instead of hanging on back-pressure', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-e2e-convert-'));
    // Far more than a pipe holds, so the writer meets back-pressure after the reader is gone.
    const line = JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a'.repeat(200) }] });
    writeFileSync(join(cwd, 'big.jsonl'), `${line}\n`.repeat(100_000));
    const child = spawn(process.execPath, [join(root, 'bin/llmgw.js'), 'dataset', 'convert', 'big.jsonl', '-o', '-'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(first.startsWith('{"messages"')).toBe(true);
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/unsettled|internal error|EPIPE/);
  });
});
