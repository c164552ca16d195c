/**
 * `tune start --provider vertex` killed with SIGKILL in the middle of its upload: the same command
 * run again asks the recorded session what Cloud Storage kept, sends only the rest, says so on
 * stderr and in `--json`, and the object is byte for byte the converted data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingBytes } from '../../src/core/providers/vertex/training-data.js';
import { googleCliEnv } from '../fakes/vertex/cli-env.js';
import { startFakeGoogle, type FakeGoogle } from '../fakes/vertex/server.js';
import { BIN, type RunResult } from './tune-harness.js';

const PART = 256 * 1024;

let fake: FakeGoogle;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeGoogle({ stepMs: 300 });
  dir = await mkdtemp(join(tmpdir(), 'llmgw-vertex-kill-'));
  // OpenAI chat examples, converted while they stream: about 2 MB, 8 chunks of 256 KiB.
  const lines = Array.from({ length: 700 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `question ${i} ${'x'.repeat(2800)}` }, { role: 'assistant', content: `answer ${i}` }] }));
  await writeFile(join(dir, 'train.jsonl'), `${lines.join('\n')}\n`);
  await fake.writeKeyFile(join(dir, 'sa-key.json'));
  env = googleCliEnv(fake, dir, { LLMGW_UPLOAD_PART_BYTES: String(PART) });
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function spawnCli(args: string[]): { child: ChildProcess; done: Promise<RunResult> } {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(GOOGLE_|GCE_|CLOUDSDK_|STORAGE_EMULATOR|LLMGW_|OPENAI_)/.test(k)) childEnv[k] = v;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

const chunkPuts = (from = 0) => fake.requests.slice(from).filter((r) => r.method === 'PUT' && r.path.startsWith('/upload/'));

const START = ['tune', 'start', '--provider', 'vertex', '--model', 'gemini-2.5-flash', '--train', 'train.jsonl', '--bucket', 'gs://llmgw-data', '--yes'];

describe('Vertex: killed mid-upload and run again (e2e)', () => {
  it('sends only the bytes Cloud Storage lacks, and the object is the whole converted file', async () => {
    // Slow chunks, so the kill lands with the upload part-way.
    fake.faults.push({ match: 'PUT /upload/storage/v1/b/*/o', delayMs: 120, times: 100 });
    const first = spawnCli(START);
    for (let i = 0; i < 10_000 && chunkPuts().filter((r) => r.status === 308).length < 3; i++) await new Promise((r) => setTimeout(r, 2));
    first.child.kill('SIGKILL');
    expect((await first.done).code).toBeNull();
    fake.faults.clear();
    const kept = chunkPuts().filter((r) => r.status === 308).length;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(fake.store.buckets.get('llmgw-data')?.size).toBe(0);

    const from = fake.requests.length;
    const again = await spawnCli([...START, '--json']).done;
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout) as { uploads: { fileId: string; bytes: number; resumedFrom: number }[] };
    const upload = result.uploads[0];
    const resumedFrom = upload?.resumedFrom ?? 0;
    expect(resumedFrom).toBeGreaterThanOrEqual(3 * PART);
    expect(resumedFrom % PART).toBe(0);
    expect(again.stderr).toMatch(/train\.jsonl: resuming upload at \d+\.\d MiB of \d+\.\d MiB/);

    const parts: Buffer[] = [];
    for await (const b of trainingBytes(join(dir, 'train.jsonl'))) parts.push(Buffer.from(b));
    const expected = Buffer.concat(parts);
    const object = fake.store.get('llmgw-data', (upload?.fileId ?? '').replace('gs://llmgw-data/', ''));
    expect(object?.data.equals(expected)).toBe(true);
    // No new session; one status query, then only the missing bytes.
    const uploads = fake.requests.slice(from).filter((r) => r.path.startsWith('/upload/'));
    expect(uploads.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(uploads.reduce((n, r) => n + r.bodyBytes, 0)).toBe(expected.length - resumedFrom);
    const sessions = JSON.parse(await readFile(join(dir, '.llmgw', 'upload-sessions.json'), 'utf8')) as { sessions: Record<string, unknown> };
    expect(sessions.sessions).toEqual({});
  });
});
