/**
 * Vertex AI end to end through the built CLI: OpenAI chat JSONL in, a tuned Gemini endpoint routed
 * in the manifest and exported out, against the fake Google Cloud (token endpoint, Vertex tuning
 * API, Cloud Storage) on 127.0.0.1, authenticated with a generated service-account key file.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleCliEnv } from '../fakes/vertex/cli-env.js';
import { startFakeGoogle, type FakeGoogle } from '../fakes/vertex/server.js';
import { TRAIN } from './providers-harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'llmgw.js');

let fake: FakeGoogle;
let dir: string;
let env: Record<string, string>;
const outputs: string[] = [];

function run(args: string[], extra: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: Record<string, string> = {};
  // Nothing of the developer's Google or llmgw set-up leaks in.
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(GOOGLE_|GCE_|CLOUDSDK_|STORAGE_EMULATOR|LLMGW_|OPENAI_)/.test(k)) childEnv[k] = v;
  for (const [k, v] of Object.entries({ ...env, ...extra })) if (v !== undefined) childEnv[k] = v;
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    }),
  );
}

beforeAll(async () => {
  fake = await startFakeGoogle({ stepMs: 300 });
  dir = await mkdtemp(join(tmpdir(), 'llmgw-vertex-e2e-'));
  await writeFile(join(dir, 'train.jsonl'), `${TRAIN}\n`);
  await fake.writeKeyFile(join(dir, 'sa-key.json'));
  env = googleCliEnv(fake, dir);
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const START = ['tune', 'start', '--provider', 'vertex', '--model', 'gemini-2.5-flash', '--train', 'train.jsonl', '--bucket', 'gs://llmgw-data', '--epochs', '2', '--hyperparameter', 'adapterSize=4', '--wait', '--interval', '0.05', '--register', 'support-bot', '--json'];

describe('llmgw with --provider vertex', () => {
  it('takes OpenAI chat JSONL to a tuned Gemini endpoint routed under an alias, and exports it for LiteLLM', async () => {
    const r = await run(START);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'started', job: { provider: 'vertex' } });
    expect(lines.at(-1)).toMatchObject({ type: 'registered', alias: 'support-bot', changed: true });
    const events = lines.filter((l) => l.type === 'event').map((l) => (l.event as { message: string }).message);
    // Which sub-states a watch sees depends on when it polls (test/core/providers/vertex/events.test.ts pins them down); the epochs follow from the job.
    expect(events).toEqual(expect.arrayContaining(['Epoch 1 of 2 completed.', 'Epoch 2 of 2 completed.']));

    const manifest = JSON.parse(await readFile(join(dir, 'llmgw.routes.json'), 'utf8')) as { models: Record<string, { provider: string; baseModel: string; serving?: { vertex?: Record<string, string> } }> };
    const [model] = Object.values(manifest.models);
    expect(model).toMatchObject({ provider: 'vertex', baseModel: 'gemini-2.5-flash', serving: { vertex: { project: '123456789012', location: 'us-central1', endpointId: expect.stringMatching(/^\d+$/) } } });
    const endpointId = model?.serving?.vertex?.endpointId ?? '';

    const exported = await run(['models', 'export', '--to', 'litellm']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`model: "vertex_ai/${endpointId}"`);
    expect(exported.stdout).toContain('vertex_location: "us-central1"');
    // Portkey cannot route a tuned endpoint: the export says which target and why, and writes nothing.
    const portkey = await run(['models', 'export', '--to', 'portkey', '-o', 'portkey.json']);
    expect(portkey.code).toBe(1);
    expect(portkey.stderr).toContain('Portkey cannot route the tuned Vertex endpoint of target');
    expect(portkey.stderr).toContain('alias "support-bot" has no target Portkey can call');

    // What reached Google: the converted data (a Vertex example per line), a job labelled with the ledger id.
    const [object] = [...(fake.store.buckets.get('llmgw-data')?.values() ?? [])];
    expect(JSON.parse(object?.data.toString().split('\n')[0] ?? '{}')).toMatchObject({ systemInstruction: { parts: [{ text: expect.any(String) }] }, contents: [{ role: 'user' }, { role: 'model' }] });
    const [job] = [...fake.jobs.values()];
    expect((job?.body.labels as Record<string, string>).llmgw_ledger_id).toMatch(/^lj_[0-9a-f]+$/);
    expect(job?.body.supervisedTuningSpec).toMatchObject({ hyperParameters: { epochCount: 2, adapterSize: 'ADAPTER_SIZE_FOUR' } });
  });

  it('never uploads or creates again for the same data and settings', async () => {
    const posts = (): number => fake.requests.filter((r) => r.method === 'POST' && (r.path.startsWith('/upload/') || r.path.endsWith('/tuningJobs'))).length;
    const before = posts();
    const r = await run(START);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('already exists');
    expect(posts()).toBe(before);
    expect(fake.jobs.size).toBe(1);
  });

  it('uses --train gs://… where it is: no upload, the job reads that object; a missing object is exit 2', async () => {
    const line = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }, { role: 'model', parts: [{ text: 'Hello.' }] }] });
    fake.store.put('llmgw-data', 'given/train.jsonl', `${line}\n`);
    const uploads = (): number => fake.requests.filter((r) => r.path.startsWith('/upload/')).length;
    const before = uploads();
    const r = await run(['tune', 'start', '--provider', 'vertex', '--model', 'gemini-2.5-flash', '--train', 'gs://llmgw-data/given/train.jsonl', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(uploads()).toBe(before);
    expect(JSON.parse(r.stdout)).toMatchObject({ job: { trainingFileId: 'gs://llmgw-data/given/train.jsonl' } });
    const missing = await run(['tune', 'start', '--provider', 'vertex', '--model', 'gemini-2.5-flash', '--train', 'gs://llmgw-data/given/none.jsonl', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'remote_file_not_found' } });
  });

  it('takes a file already in Vertex\'s shape, validated by Vertex\'s rules and uploaded byte for byte', async () => {
    const line = (q: string): string => JSON.stringify({ contents: [{ role: 'user', parts: [{ text: q }] }, { role: 'model', parts: [{ text: 'Hello.' }] }] });
    const text = `${line('Hi')}\n${line('Hey')}\n`;
    await writeFile(join(dir, 'gemini.jsonl'), text);
    const r = await run(['tune', 'start', '--provider', 'vertex', '--model', 'gemini-2.5-flash', '--train', 'gemini.jsonl', '--bucket', 'gs://llmgw-data', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { job } = JSON.parse(r.stdout) as { job: { trainingFileId: string } };
    expect(fake.store.get('llmgw-data', job.trainingFileId.replace('gs://llmgw-data/', ''))?.data.toString()).toBe(text);
  });

  it('--dry-run prints the create call as it will be sent, with no token, and sends nothing', async () => {
    const before = fake.requests.filter((r) => r.method === 'POST').length;
    const r = await run(['tune', 'start', '--provider', 'vertex', '--model', 'gemini-2.5-flash', '--train', 'train.jsonl', '--bucket', 'gs://llmgw-data', '--epochs', '3', '--suffix', 'dry', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { request: { method: string; url: string; headers: Record<string, string>; body: Record<string, unknown> } | null };
    expect(plan.request).toMatchObject({
      method: 'POST',
      url: `${fake.url}/v1/projects/llmgw-test/locations/us-central1/tuningJobs`,
      body: { baseModel: 'gemini-2.5-flash', tunedModelDisplayName: 'dry', supervisedTuningSpec: { hyperParameters: { epochCount: 3 } }, labels: { llmgw_ledger_id: '<ledger id>' } },
    });
    expect(plan.request?.headers.authorization).toMatch(/^Bearer <.*>$/);
    expect(fake.requests.filter((q) => q.method === 'POST').length).toBe(before);
  });

  it('says what converting the data changed (stderr and --json), never silently', async () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ messages: i === 3 ? [{ role: 'user', content: 'Hi.' }, { role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }] : [{ role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }] }),
    );
    await writeFile(join(dir, 'merged.jsonl'), `${rows.join('\n')}\n`);
    const r = await run(['tune', 'start', '--provider', 'vertex', '--model', 'gemini-2.5-flash', '--train', 'merged.jsonl', '--bucket', 'gs://llmgw-data', '--suffix', 'notes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/merged\.jsonl: converted for Google Vertex AI: consecutive turns of the same role were merged into one turn \(1 example, first at line 4\)/);
    const doc = JSON.parse(r.stdout) as { uploads: { conversionNotes: unknown[] }[] };
    expect(doc.uploads[0]?.conversionNotes).toEqual([{ note: expect.stringContaining('merged'), count: 1, firstLine: 4 }]);
  });

  it('the watch command tune start prints carries the --project and --location it was given, and works pasted', async () => {
    const noEnv = { GOOGLE_CLOUD_PROJECT: undefined, GOOGLE_CLOUD_LOCATION: undefined };
    const r = await run(['tune', 'start', '--provider', 'vertex', '--model', 'gemini-2.5-flash', '--train', 'train.jsonl', '--bucket', 'gs://llmgw-data', '--project', 'llmgw-test', '--location', 'us-central1', '--suffix', 'pasted'], noEnv);
    expect(r.code, r.stderr).toBe(0);
    const printed = /watch it:\s+(llmgw tune watch .*)$/m.exec(r.stdout)?.[1] ?? '';
    expect(printed).toMatch(/^llmgw tune watch projects\/\S+ /);
    for (const flag of ['--project llmgw-test', '--location us-central1']) expect(printed).toContain(flag);
    const w = await run([...printed.split(' ').slice(1), '--interval', '0.05'], noEnv);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toMatch(/succeeded .* → projects\/123456789012\/locations\/us-central1\/endpoints\//);
  });

  it('says how to get credentials when there are none (exit 3), and never prints a token or the key', async () => {
    const r = await run(['tune', 'list', '--provider', 'vertex'], { GOOGLE_APPLICATION_CREDENTIALS: undefined });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('gcloud auth application-default login');
    const key = JSON.parse(await readFile(join(dir, 'sa-key.json'), 'utf8')) as { private_key: string };
    const body = key.private_key.split('\n')[1] ?? '';
    let seen = outputs.join('\n');
    for (const name of await readdir(dir, { recursive: true })) {
      const full = join(dir, name);
      if (name !== 'sa-key.json' && (await stat(full)).isFile()) seen += await readFile(full, 'utf8');
    }
    expect(seen).not.toContain(body);
    expect(seen).not.toMatch(/ya29\.fake-/);
  });

  it('names the missing project and region with the fix (exit 3)', async () => {
    const noProject = await run(['tune', 'list', '--provider', 'vertex'], { GOOGLE_CLOUD_PROJECT: undefined });
    expect(noProject.code).toBe(3);
    expect(noProject.stderr).toContain('--project');
    const noRegion = await run(['tune', 'list', '--provider', 'vertex', '--json'], { GOOGLE_CLOUD_LOCATION: undefined });
    expect(noRegion.code).toBe(3);
    expect(JSON.parse(noRegion.stdout)).toMatchObject({ error: { code: 'vertex_location_missing', exitCode: 3 } });
  });
});
