import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, ProviderError, type LlmgwError } from '../../../src/core/errors.js';
import { ProviderRejectedError } from '../../../src/core/providers/errors.js';
import { getProviderFactory } from '../../../src/core/providers/registry.js';
import type { FineTuningProvider, Job } from '../../../src/core/providers/types.js';
import { FAILURE_PLAN, PRICE_PER_MILLION, startFakeTogether, type FakeTogether } from '../../fakes/together/server.js';
import { caught, pollToEnd, pollUntil } from './helpers.js';

const MODEL = 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference';
let fake: FakeTogether;
let provider: FineTuningProvider;
let dataset: string;
let dir: string;

beforeEach(async () => {
  fake = await startFakeTogether();
  const factory = await getProviderFactory('together');
  provider = factory.create({ apiKey: fake.apiKey, baseUrl: fake.baseUrl, maxRetries: 2 });
  dir = mkdtempSync(join(tmpdir(), 'llmgw-together-'));
  dataset = join(dir, 'train.jsonl');
  const line = JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] });
  writeFileSync(dataset, `${line}\n${line}\n`);
});

afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function uploadAndCreate(extra: Partial<Parameters<FineTuningProvider['createJob']>[0]> = {}): Promise<Job> {
  const file = await provider.upload({ path: dataset, bytes: 0, sha256: 'x' });
  return provider.createJob({ ledgerId: 'lj_00000000000000000001', baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: { epochs: 2 }, ...extra });
}


const failure = (p: Promise<unknown>) => caught<LlmgwError>(p);

describe('Together adapter over HTTP', () => {
  it('uploads with the documented multipart fields and runs a job to success', async () => {
    const file = await provider.upload({ path: dataset, bytes: 0, sha256: 'x', filename: 'train.jsonl' });
    expect(file.id).toMatch(/^file-/);
    expect(fake.files.get(file.id)?.filename).toBe('train.jsonl');
    expect(await provider.getFile(file.id)).toMatchObject({ id: file.id, filename: 'train.jsonl' });
    expect(await provider.getFile('file-gone')).toBeUndefined();

    const created = await provider.createJob({
      ledgerId: 'lj_00000000000000000001',
      baseModel: MODEL,
      trainingFileId: file.id,
      method: 'supervised',
      hyperparameters: { epochs: 3, batchSize: 'auto', extra: { learning_rate: 0.0001, lora_r: 16 } },
      suffix: 'support-bot',
      seed: 7,
    });
    const sent = JSON.parse(fake.requests.find((r) => r.method === 'POST' && r.path === '/v1/fine-tunes')?.bodyText ?? '{}') as Record<string, unknown>;
    // The suffix ends with the ledger id: Together's job list shows it, so a lost create is found by it.
    expect(sent).toMatchObject({ model: MODEL, n_epochs: 3, batch_size: 'max', learning_rate: 0.0001, suffix: 'support-bot-lj_00000000000000000001', random_seed: 7 });
    // The official OpenAPI requires train_on_inputs on a supervised training_method.
    expect(sent.training_method).toEqual({ method: 'sft', train_on_inputs: 'auto' });
    expect(sent.training_type).toEqual({ type: 'Lora', lora_r: 16, lora_alpha: 32 });
    expect(created).toMatchObject({ provider: 'together', status: 'queued', providerStatus: 'pending', fineTunedModel: null, suffix: 'support-bot', seed: 7 });

    const done = await pollToEnd(provider, created.id);
    expect(done.status).toBe('succeeded');
    expect(done.fineTunedModel).toMatch(/^fakeuser\/Meta-Llama-3\.1-8B-Instruct-Reference-support-bot-/);
    expect(done.finishedAt).not.toBeNull();

    const events = await provider.listEvents(created.id, { limit: 2 });
    expect(events.data.map((e) => e.type)).toEqual(['job_complete', 'epoch_complete']);
    expect(events.hasMore).toBe(true);
    const older = await provider.listEvents(created.id, { after: events.nextCursor ?? undefined, limit: 50 });
    expect(older.data.at(-1)?.type).toBe('job_pending');
    const checkpoints = await provider.listCheckpoints(created.id);
    expect(checkpoints.data.map((c) => c.step)).toEqual([1]);
    expect((await provider.getModel(done.fineTunedModel ?? '')).exists).toBe(true);
    expect((await provider.getModel('nobody/nothing')).exists).toBe(false);
    expect((await provider.listJobs()).data.map((j) => j.id)).toEqual([created.id]);
  });

  it('finds a job by the ledger id in its suffix: found, absent, unknown when two carry it or one is listed without a suffix', async () => {
    const file = await provider.upload({ path: dataset, bytes: 0, sha256: 'x' });
    const mark = (ledgerId: string) => ({ ledgerId, createdAt: new Date().toISOString(), baseModel: MODEL, trainingFileId: file.id });
    const plain = await provider.createJob({ ledgerId: 'lj_aaaaaaaaaaaaaaaaaaaa', baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: {} });
    const named = await provider.createJob({ ledgerId: 'lj_bbbbbbbbbbbbbbbbbbbb', baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: {}, suffix: 'faq' });
    expect(named.suffix).toBe('faq');
    expect(await provider.findCreatedJob(mark('lj_aaaaaaaaaaaaaaaaaaaa'))).toMatchObject({ kind: 'found', job: { id: plain.id } });
    expect(await provider.findCreatedJob(mark('lj_bbbbbbbbbbbbbbbbbbbb'))).toMatchObject({ kind: 'found', job: { id: named.id } });
    expect(await provider.findCreatedJob(mark('lj_cccccccccccccccccccc'))).toEqual({ kind: 'absent' });
    // Together normalising the suffix (case, separators) still leaves the mark readable.
    const wire = fake.jobs.get(named.id)?.wire as Record<string, unknown>;
    wire.suffix = 'FAQ-LJ-BBBBBBBBBBBBBBBBBBBB';
    expect(await provider.findCreatedJob(mark('lj_bbbbbbbbbbbbbbbbbbbb'))).toMatchObject({ kind: 'found', job: { id: named.id } });
    // A job listed without suffix or output name, on the same file and model: cannot tell.
    delete wire.suffix;
    delete wire.model_output_name;
    expect(await provider.findCreatedJob(mark('lj_cccccccccccccccccccc'))).toMatchObject({ kind: 'unknown', candidates: [named.id] });
  });

  it('sends what the spec requires for each method: train_on_inputs as set, none on DPO, integer LoRA alpha', async () => {
    const file = await provider.upload({ path: dataset, bytes: 0, sha256: 'x' });
    await provider.createJob({ ledgerId: 'lj_00000000000000000002', baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: { extra: { train_on_inputs: false, lora_r: 8 } } });
    await provider.createJob({ ledgerId: 'lj_00000000000000000003', baseModel: MODEL, trainingFileId: file.id, method: 'dpo', hyperparameters: { beta: 0.2 } });
    const bodies = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/fine-tunes').map((r) => JSON.parse(r.bodyText ?? '{}') as Record<string, unknown>);
    expect(bodies.map((b) => b.training_method)).toEqual([{ method: 'sft', train_on_inputs: false }, { method: 'dpo', dpo_beta: 0.2 }]);
    expect(bodies[0]?.training_type).toEqual({ type: 'Lora', lora_r: 8, lora_alpha: 16 });
    expect(bodies[0]).not.toHaveProperty('train_on_inputs');
    expect(fake.jobs.size).toBe(2);
  });

  it('asks Together for the price of a job on the uploaded file', async () => {
    const file = await provider.upload({ path: dataset, bytes: 0, sha256: 'x' });
    const estimate = await provider.estimateCost?.({ baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: { epochs: 3 }, suffix: 'x' });
    const tokens = Math.ceil((fake.files.get(file.id)?.bytes ?? 0) / 4) * 3;
    expect(estimate).toMatchObject({ trainTokens: tokens, allowedToProceed: true });
    expect(estimate?.usd).toBeCloseTo((tokens / 1e6) * PRICE_PER_MILLION, 6);
    const sent = JSON.parse(fake.requests.find((r) => r.path === '/v1/fine-tunes/estimate-price')?.bodyText ?? '{}') as Record<string, unknown>;
    expect(sent).toEqual({ model: MODEL, training_file: file.id, n_epochs: 3, training_method: { method: 'sft', train_on_inputs: 'auto' } });
  });

  it('talks to the host in the spec\'s servers list by default', async () => {
    const seen: string[] = [];
    const viaFake: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      seen.push(url);
      return fetch(url.replace('https://api.together.ai', fake.url), init);
    };
    const byDefault = (await getProviderFactory('together')).create({ apiKey: fake.apiKey, fetch: viaFake, maxRetries: 0 });
    await byDefault.listJobs();
    expect(seen).toEqual(['https://api.together.ai/v1/fine-tunes']);
  });

  it('a status outside the documented enum reads as unknown with the raw status, never as running nor as a failure', async () => {
    fake.planNext(['pending', 'defrosting' as never]);
    const job = await pollUntil(provider, (await uploadAndCreate()).id, (j) => j.providerStatus === 'defrosting');
    expect(job).toMatchObject({ status: 'unknown', providerStatus: 'defrosting', error: null, fineTunedModel: null });
  });

  it('reports a failed job with the reason from its error event', async () => {
    fake.planNext(FAILURE_PLAN);
    const job = await pollToEnd(provider, (await uploadAndCreate()).id);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toContain('without an assistant message');
  });

  it('cancels: cancel_requested stays live, then cancelled', async () => {
    const job = await uploadAndCreate();
    const requested = await provider.cancelJob(job.id);
    expect(requested).toMatchObject({ status: 'running', providerStatus: 'cancel_requested' });
    expect((await provider.getJob(job.id)).status).toBe('cancelled');
  });

  it('retries 429 (honouring Retry-After), 5xx and a dropped connection', async () => {
    fake.faults.push({ match: 'POST /v1/fine-tunes', status: 429, retryAfterMs: 5 });
    fake.faults.push({ match: 'GET /v1/fine-tunes/*', status: 503, retryAfterMs: 5 });
    fake.faults.push({ match: 'GET /v1/fine-tunes/*/events', drop: true });
    const job = await uploadAndCreate();
    expect((await provider.getJob(job.id)).id).toBe(job.id);
    expect((await provider.listEvents(job.id)).data.length).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.path === '/v1/fine-tunes' && r.method === 'POST')).toHaveLength(2);
    expect(fake.faults.pending()).toEqual([]);
  });

  it('a streamed upload maps failures (status, request id, dropped connection) and reports progress', async () => {
    fake.faults.push({ match: 'POST /v1/files/upload', status: 503 });
    const err = await failure(provider.upload({ path: dataset, bytes: 0, sha256: 'x' }));
    expect(err).toMatchObject({ code: 'provider_unavailable', exitCode: ExitCode.provider, status: 503 });
    fake.faults.push({ match: 'POST /v1/files/upload', drop: true });
    expect((await failure(provider.upload({ path: dataset, bytes: 0, sha256: 'x' }))).code).toBe('provider_unreachable');
    const bad = (await getProviderFactory('together')).create({ apiKey: 'tg-nope-000000000', baseUrl: fake.baseUrl });
    expect((await failure(bad.upload({ path: dataset, bytes: 0, sha256: 'x' }))).exitCode).toBe(ExitCode.auth);
    const seen: number[] = [];
    await provider.upload({ path: dataset, bytes: 0, sha256: 'x', onProgress: (p) => seen.push(p.sentBytes) });
    expect(seen.at(-1)).toBe(fake.files.values().next().value?.bytes);
  });

  it('never retries a create whose connection was lost (the job may exist): job_create_unconfirmed', async () => {
    const file = await provider.upload({ path: dataset, bytes: 0, sha256: 'x' });
    fake.faults.push({ match: 'POST /v1/fine-tunes', loseResponse: true });
    const err = await failure(provider.createJob({ ledgerId: 'lj_00000000000000000001', baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: {} }));
    expect(err.code).toBe('job_create_unconfirmed');
    expect(err.exitCode).toBe(ExitCode.provider);
    expect(fake.jobs.size).toBe(1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/fine-tunes')).toHaveLength(1);
  });

  it('gives up after the retries with a provider error (exit 4)', async () => {
    const job = await uploadAndCreate();
    fake.faults.push({ match: 'GET /v1/fine-tunes/*', status: 500, times: 3, retryAfterMs: 1 });
    const err = await failure(provider.getJob(job.id));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.exitCode).toBe(ExitCode.provider);
    expect((err as ProviderError).retryable).toBe(true);
  });

  it('turns a rejected request into a usage error naming the field', async () => {
    const file = await provider.upload({ path: dataset, bytes: 0, sha256: 'x' });
    const err = await failure(provider.createJob({ ledgerId: 'lj_00000000000000000001', baseModel: 'no/such-model', trainingFileId: file.id, method: 'supervised', hyperparameters: {} }));
    expect(err).toBeInstanceOf(ProviderRejectedError);
    expect(err.exitCode).toBe(ExitCode.usage);
    expect((err as ProviderRejectedError).param).toBe('model');
  });

  it('a rejected key is a config error (exit 3) that never shows the key', async () => {
    const wrong = 'tg-wrong-key-abcdef123456';
    const bad = (await getProviderFactory('together')).create({ apiKey: wrong, baseUrl: fake.baseUrl });
    const err = await failure(bad.listJobs());
    expect(err.exitCode).toBe(ExitCode.auth);
    expect(err.hint).toContain('TOGETHER_API_KEY');
    expect(JSON.stringify(err.toJSON()) + err.message).not.toContain(wrong);
    expect(fake.requests.every((r) => !JSON.stringify(r.headers).includes(wrong))).toBe(true);
  });

  it('a missing key is a config error naming TOGETHER_API_KEY, before any request', async () => {
    const factory = await getProviderFactory('together');
    expect(() => factory.create({ baseUrl: fake.baseUrl })).toThrow(ConfigError);
    expect(() => factory.create({ baseUrl: fake.baseUrl })).toThrow(/TOGETHER_API_KEY/);
    expect(fake.requests).toHaveLength(0);
  });

  it('keys the upload cache by account without holding the key', () => {
    expect(provider.accountKey()).toContain(fake.baseUrl);
    expect(provider.accountKey()).not.toContain(fake.apiKey);
  });
});
