/**
 * `models check` and `models promote --job` against the fake OpenAI server over real HTTP.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.js';
import { A, modelsWorld, type ModelsWorld } from './models-helpers.js';

let fake: FakeOpenAI;
let w: ModelsWorld;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  w = modelsWorld({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseURL });
});
afterAll(async () => {
  await fake.close();
});

/** A job on the fake, driven to its end; returns the job id and the fine-tuned model id. */
async function finishedJob(outcome: 'succeeded' | 'failed'): Promise<{ id: string; model: string | null }> {
  const client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL });
  const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `Where is order ${i}?` }, { role: 'assistant', content: `Order ${i} ships tomorrow.` }] }));
  const file = await client.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), 'train.jsonl'), purpose: 'fine-tune' });
  fake.jobs.planNext({ outcome: outcome === 'succeeded' ? 'succeeded' : { failAt: 'running', error: { code: 'invalid_training_file', message: 'too few examples', param: 'training_file' } } });
  const job = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: file.id, suffix: 'support' });
  fake.jobs.finish(job.id);
  return { id: job.id, model: (await client.fineTuning.jobs.retrieve(job.id)).fine_tuned_model };
}

describe('models check against the provider', () => {
  it('reports a model the provider no longer has and one with a shutdown date inside the window, with traffic shares', async () => {
    await w.run(['models', 'register', 'gone-bot', 'ft:gpt-4.1-2025-04-14:acme:old:GoNe0001']);
    await w.run(['models', 'register', 'base-bot', 'gpt-4o-2024-08-06']);
    await w.run(['models', 'register', 'fine-bot', 'gpt-4.1-2025-04-14']);
    fake.models.setShutdownDate('gpt-4o-2024-08-06', '2026-12-10');
    const r = await w.json<{ findings: { alias: string; status: string; shutdownDate: string | null; daysLeft: number | null; source: string; share: number }[]; checked: number }>(['models', 'check']);
    expect(r.code).toBe(1);
    expect(r.data.checked).toBe(3);
    expect(r.data.findings.map((f) => [f.alias, f.status, f.shutdownDate, f.daysLeft, f.source, f.share])).toEqual([
      ['base-bot', 'retiring', '2026-12-10', 15, 'provider', 1],
      ['gone-bot', 'gone', null, null, 'provider', 1],
    ]);
    expect(fake.count('GET /v1/models/*')).toBe(3);
    // one alias only; a healthy alias passes
    const healthy = await w.run(['models', 'check', 'fine-bot']);
    expect(healthy.out).toContain('none of the 1 routed target(s)');
    expect(healthy.code).toBe(0);
    // the window decides
    expect((await w.json<{ findings: unknown[] }>(['models', 'check', 'base-bot', '--within', '10'])).data.findings).toEqual([]);
    // offline: only the table (the ft: gpt-4.1 model retires 2027-01-14), and no request sent
    const before = fake.requests.length;
    const offline = await w.json<{ findings: { alias: string; status: string; source: string; shutdownDate: string }[] }>(['models', 'check', '--offline']);
    expect(offline.code).toBe(1);
    expect(offline.data.findings.map((f) => [f.alias, f.status, f.source, f.shutdownDate])).toEqual([['gone-bot', 'retiring', 'table', '2027-01-14']]);
    expect(fake.requests.length).toBe(before);
  });

  it('needs a key unless --offline (exit 3 when nothing else was found, naming the variable)', async () => {
    const r = await w.run(['models', 'check', 'fine-bot', '--within', '10'], { OPENAI_API_KEY: '' });
    expect(r.code).toBe(3);
    expect(r.out).toContain('OPENAI_API_KEY');
  });

  it('reads a shutdown date sent as a date-time or as a Unix timestamp', async () => {
    const cw = modelsWorld({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseURL });
    await cw.run(['models', 'register', 'a', 'gpt-4o-mini-2024-07-18']);
    await cw.run(['models', 'register', 'b', 'gpt-3.5-turbo-0125']);
    fake.models.setShutdownDate('gpt-4o-mini-2024-07-18', '2026-12-10T17:30:00Z');
    // A number on the wire (the fake stores what it is given).
    fake.models.setShutdownDate('gpt-3.5-turbo-0125', Date.UTC(2026, 11, 20) / 1000 as unknown as string);
    const r = await cw.json<{ findings: { alias: string; shutdownDate: string; daysLeft: number }[] }>(['models', 'check']);
    expect(r.data.findings.map((f) => [f.alias, f.shutdownDate, f.daysLeft])).toEqual([['a', '2026-12-10', 15], ['b', '2026-12-20', 25]]);
    expect((await cw.run(['models', 'check'])).out).not.toContain('NaN');
    fake.models.setShutdownDate('gpt-4o-mini-2024-07-18', null);
    fake.models.setShutdownDate('gpt-3.5-turbo-0125', null);
  });

  it("goes on when one provider fails: its models are listed as not asked, the others are checked", async () => {
    const cw = modelsWorld({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseURL });
    await cw.run(['models', 'register', 'tog', 'acme/llama-support', '--provider', 'together']);
    await cw.run(['models', 'register', 'or', 'anthropic/claude-sonnet-4', '--provider', 'openrouter']);
    await cw.run(['models', 'register', 'oa', 'gpt-4o-mini-2024-07-18']);
    fake.models.setShutdownDate('gpt-4o-mini-2024-07-18', '2026-12-10');
    const r = await cw.json<{ findings: { alias: string }[]; unchecked: { provider: string; code: string }[] }>(['models', 'check'], { TOGETHER_API_KEY: '' });
    expect(r.code).toBe(1);
    expect(r.data.findings.map((f) => f.alias)).toEqual(['oa']);
    expect(r.data.unchecked.map((u) => [u.provider, u.code])).toEqual([['openrouter', 'no_adapter'], ['together', 'missing_api_key']]);
    fake.models.setShutdownDate('gpt-4o-mini-2024-07-18', null);
    // nothing found: the failing provider decides the exit code
    const none = await cw.json<{ findings: unknown[] }>(['models', 'check', 'tog'], { TOGETHER_API_KEY: '' });
    expect(none.data.findings).toEqual([]);
    expect(none.code).toBe(3);
  });
});

describe('models promote --job', () => {
  it('promotes the model of a succeeded job (registering it) and refuses a failed one with exit 1', async () => {
    await w.run(['models', 'register', 'support-bot', A]);
    const ok = await finishedJob('succeeded');
    expect(ok.model).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);
    const r = await w.json<{ action: string; model: string; targets: { model: string; role: string; weight: number }[] }>(['models', 'promote', 'support-bot', '--job', ok.id, '--canary', '20']);
    expect(r.code).toBe(0);
    expect(r.data).toMatchObject({ action: 'canary', model: ok.model });
    expect(r.data.targets.map((t) => [t.model, t.role, t.weight])).toEqual([[A, 'stable', 80], [ok.model, 'canary', 20]]);
    const manifest = JSON.parse(readFileSync(w.manifest, 'utf8'));
    expect(manifest.models[ok.model ?? '']).toMatchObject({ jobId: ok.id, baseModel: 'gpt-4o-mini-2024-07-18', provider: 'openai' });

    const bad = await finishedJob('failed');
    const refused = await w.json(['models', 'promote', 'support-bot', '--job', bad.id]);
    expect(refused.code).toBe(1);
    expect(refused.data).toMatchObject({ error: { code: 'job_not_succeeded' } });
    // The command it suggests reaches the same provider and manifest as this one did.
    const flagged = await w.json<{ error: { hint: string } }>(['models', 'promote', 'support-bot', '--job', bad.id, '--provider', 'openai', '--manifest', 'llmgw.routes.json']);
    expect(flagged.data.error.hint).toContain(`\`llmgw tune status ${bad.id} --provider openai --manifest llmgw.routes.json\``);
    const unknown = await w.run(['models', 'promote', 'support-bot', '--job', 'ftjob-doesnotexist']);
    expect(unknown.code).toBe(2);
  });

  it('never writes the API key into the manifest, its history or the exports', async () => {
    await w.run(['models', 'export', '--to', 'portkey', '-o', 'portkey.json']);
    await w.run(['models', 'export', '--to', 'litellm', '-o', 'config.yaml']);
    for (const name of readdirSync(w.dir)) {
      if (statSync(join(w.dir, name)).isFile()) expect(readFileSync(join(w.dir, name), 'utf8')).not.toContain(fake.apiKey);
    }
  });
});
