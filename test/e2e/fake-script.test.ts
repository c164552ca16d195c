/**
 * `npm run fake -- <provider>` (scripts/fake.mjs) as a user runs it: a process of its own that
 * prints sourceable `export` lines, takes a fault over its control endpoint, and stops cleanly.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'fake.mjs');
const started: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the script; resolves with the variables it exports once it has printed them all. */
async function startFake(name: string): Promise<{ child: ChildProcessWithoutNullStreams; env: Record<string, string> }> {
  const child = spawn(process.execPath, [SCRIPT, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  for (let i = 0; i < 400 && !out.includes('LLMGW_FAKE_CONTROL='); i++) {
    if (child.exitCode !== null) throw new Error(`the fake exited ${child.exitCode}: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const env: Record<string, string> = {};
  for (const m of out.matchAll(/^export ([A-Z_]+)='([^']*)'$/gm)) env[m[1] ?? ''] = m[2] ?? '';
  // Nothing but comments and exports: the output can be sourced as it is.
  expect(out.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('export '))).toEqual([]);
  return { child, env };
}

describe('npm run fake', () => {
  it('starts the Together fake, injects a fault over the control endpoint, and stops on SIGTERM', async () => {
    const { child, env } = await startFake('together');
    expect(env).toMatchObject({ LLMGW_PROVIDER: 'together', TOGETHER_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/) });
    const list = () => fetch(`${env.TOGETHER_BASE_URL}/fine-tunes`, { headers: { authorization: `Bearer ${env.TOGETHER_API_KEY}` } });
    expect((await list()).status).toBe(200);

    const added = await fetch(`${env.LLMGW_FAKE_CONTROL}/faults`, { method: 'POST', body: JSON.stringify({ match: 'GET /v1/fine-tunes', status: 503, times: 1 }) });
    expect(added.status).toBe(200);
    const failed = await list();
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as { error: { type: string } }).error.type).toBe('server_error');
    expect((await list()).status).toBe(200);
    const seen = (await (await fetch(`${env.LLMGW_FAKE_CONTROL}/requests`)).json()) as { requests: { status: number; fault: string | null }[] };
    expect(seen.requests.map((r) => [r.status, r.fault])).toEqual([
      [200, null],
      [503, 'status_503'],
      [200, null],
    ]);
    const refused = await fetch(`${env.LLMGW_FAKE_CONTROL}/faults`, { method: 'POST', body: JSON.stringify({ status: 500 }) });
    expect(refused.status).toBe(400);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('the OpenAI fake answers chat completions too, so llmgw eval runs against it from its exports alone', async () => {
    const { child, env } = await startFake('openai');
    const cwd = await mkdtemp(join(tmpdir(), 'llmgw-fake-eval-'));
    const run = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'llmgw.js'), '--json', 'eval', '--data', join(import.meta.dirname, '..', '..', 'datasets', 'chat-valid.jsonl'), 'openai:gpt-4.1-mini', '--limit', '5'], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, LLMGW_CONFIG_DIR: join(cwd, 'cfg'), ...env } });
    let out = '';
    run.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(run, 'exit')) as [number | null];
    expect(code).toBe(0);
    const report = JSON.parse(out) as { candidates: { name: string; requests: Record<string, unknown> }[] };
    expect(report.candidates).toEqual([expect.objectContaining({ name: 'openai:gpt-4.1-mini', requests: expect.objectContaining({ failed: 0, errors: [] }) })]);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('an unknown fake is exit 2 naming the ones there are', async () => {
    const child = spawn(process.execPath, [SCRIPT, 'nosuch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(err).toContain('openai, azure, together, fireworks');
  });
});
