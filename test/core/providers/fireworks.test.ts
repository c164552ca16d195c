import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, ProviderError, type LlmgwError } from '../../../src/core/errors.js';
import { assertJobRequest } from '../../../src/core/providers/preflight.js';
import { getProviderFactory } from '../../../src/core/providers/registry.js';
import type { FineTuningProvider, Job, UploadRequest } from '../../../src/core/providers/types.js';
import { FAILURE_PLAN, startFakeFireworks, type FakeFireworks } from '../../fakes/fireworks/server.js';
import { caught, pollToEnd } from './helpers.js';

const MODEL = 'accounts/fireworks/models/llama-v3p1-8b-instruct';
let fake: FakeFireworks;
let provider: FineTuningProvider;
let upload: UploadRequest;

beforeEach(async () => {
  fake = await startFakeFireworks();
  provider = (await getProviderFactory('fireworks')).create({ apiKey: fake.apiKey, baseUrl: fake.baseUrl, organization: fake.account, maxRetries: 2 });
  const path = join(mkdtempSync(join(tmpdir(), 'llmgw-fireworks-')), 'train.jsonl');
  const line = JSON.stringify({ messages: [{ role: 'user', content: 'Ping' }, { role: 'assistant', content: 'Pong' }] });
  writeFileSync(path, `${line}\n${line}\n${line}\n`);
  const bytes = readFileSync(path);
  upload = { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
});

afterEach(async () => {
  await fake.close();
});

async function start(): Promise<Job> {
  const file = await provider.upload(upload);
  return provider.createJob({ ledgerId: 'lj_00000000000000000001', baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: { epochs: 2, extra: { loraRank: 16 } }, suffix: 'faq-bot' });
}


const failure = (p: Promise<unknown>) => caught<LlmgwError>(p);

describe('Fireworks adapter over HTTP', () => {
  it('creates a dataset named by content hash, uploads it once, and runs a job to success', async () => {
    const file = await provider.upload(upload);
    expect(file.id).toBe(`accounts/acme/datasets/llmgw-${upload.sha256.slice(0, 24)}`);
    expect(file.status).toBe('processed');
    expect(fake.datasets.get(`llmgw-${upload.sha256.slice(0, 24)}`)).toMatchObject({ state: 'READY', bytes: upload.bytes, exampleCount: '3' });
    // Same bytes again: found READY, nothing re-sent.
    const before = fake.requests.length;
    expect((await provider.upload(upload)).id).toBe(file.id);
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['GET']);

    const created = await provider.createJob({ ledgerId: 'lj_00000000000000000001', baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: { epochs: 2, extra: { learningRate: 0.0002, loraRank: 16 } }, suffix: 'faq-bot' });
    const sent = JSON.parse(fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/supervisedFineTuningJobs'))?.bodyText ?? '{}') as Record<string, unknown>;
    expect(sent).toEqual({ baseModel: MODEL, dataset: file.id, displayName: 'faq-bot', epochs: 2, learningRate: 0.0002, loraRank: 16 });
    expect(created).toMatchObject({ provider: 'fireworks', status: 'queued', providerStatus: 'JOB_STATE_CREATING', suffix: 'faq-bot', fineTunedModel: null });

    const done = await pollToEnd(provider, created.id);
    expect(done).toMatchObject({ status: 'succeeded', fineTunedModel: `accounts/acme/models/${created.id}`, trainedTokens: 4242 });
    expect((await provider.getModel(done.fineTunedModel ?? '')).exists).toBe(true);
    expect((await provider.getModel('accounts/acme/models/nope')).exists).toBe(false);
    expect((await provider.listEvents(created.id)).data).toEqual([]);
  });

  it('waits for an uploaded dataset to turn READY before handing back its id', async () => {
    fake.slowNextDataset(2);
    const file = await provider.upload(upload);
    expect(file.status).toBe('processed');
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(file.id.split('/').pop() ?? '?'))).toHaveLength(4);
  });

  it('pages the job list with pageSize/pageToken', async () => {
    const a = await start();
    const b = await start();
    const first = await provider.listJobs({ limit: 1 });
    expect(first.data.map((j) => j.id)).toEqual([b.id]);
    expect(first.hasMore).toBe(true);
    const second = await provider.listJobs({ limit: 1, after: first.nextCursor ?? undefined });
    expect(second.data.map((j) => j.id)).toEqual([a.id]);
    expect(second.hasMore).toBe(false);
  });

  it('reports a failed job with the status message', async () => {
    fake.planNext(FAILURE_PLAN);
    const job = await pollToEnd(provider, (await start()).id);
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({ code: 'INVALID_ARGUMENT', message: 'Dataset line 2: messages must end with an assistant turn.' });
  });

  it('cancels through :cancel', async () => {
    const job = await start();
    expect((await provider.cancelJob(job.id)).status).toBe('cancelled');
    expect(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith(`${job.id}:cancel`))).toBe(true);
  });

  it('retries 429 and 5xx, reads Google-RPC error bodies, gives up with exit 4', async () => {
    fake.faults.push({ match: 'POST /v1/accounts/acme/supervisedFineTuningJobs', status: 429, retryAfterMs: 5 });
    const job = await start();
    fake.faults.push({ match: 'GET /v1/accounts/acme/supervisedFineTuningJobs/*', status: 503, times: 3, retryAfterMs: 1, error: { message: 'backend overloaded' } });
    const err = await failure(provider.getJob(job.id));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.exitCode).toBe(ExitCode.provider);
    expect(err.message).toContain('backend overloaded');
  });

  it('a request Fireworks rejects is a usage error carrying its message', async () => {
    const file = await provider.upload(upload);
    const err = await failure(provider.createJob({ ledgerId: 'lj_00000000000000000001', baseModel: 'accounts/fireworks/models/not-tunable', trainingFileId: file.id, method: 'supervised', hyperparameters: {} }));
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain('is not tunable');
  });

  it('needs both FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID (exit 3), and never echoes a rejected key', async () => {
    const factory = await getProviderFactory('fireworks');
    expect(() => factory.create({ baseUrl: fake.baseUrl, organization: 'acme' })).toThrow(/FIREWORKS_API_KEY/);
    expect(() => factory.create({ apiKey: fake.apiKey, baseUrl: fake.baseUrl })).toThrow(ConfigError);
    expect(() => factory.create({ apiKey: fake.apiKey, baseUrl: fake.baseUrl })).toThrow(/FIREWORKS_ACCOUNT_ID/);
    const wrong = 'fw-wrong-key-999999999';
    const err = await failure(factory.create({ apiKey: wrong, baseUrl: fake.baseUrl, organization: 'acme' }).listJobs());
    expect(err.exitCode).toBe(ExitCode.auth);
    expect(JSON.stringify(err.toJSON()) + err.message).not.toContain(wrong);
  });

  it('refuses DPO before anything is sent: Fireworks supervised jobs only', () => {
    expect(() => assertJobRequest(provider.capabilities, { ledgerId: 'lj_00000000000000000001', baseModel: MODEL, trainingFileId: 'x', method: 'dpo', hyperparameters: {} }, provider.displayName)).toThrow(
      /does not offer dpo fine-tuning/,
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe('--provider mistral', () => {
  it('is a usage error saying Mistral retired fine-tuning and naming the replacements, before any request', async () => {
    const factory = await getProviderFactory('mistral');
    let err: LlmgwError | undefined;
    try {
      factory.create({ apiKey: 'k' });
    } catch (e) {
      err = e as LlmgwError;
    }
    expect(err).toMatchObject({ code: 'provider_retired', exitCode: ExitCode.usage });
    expect(err?.hint).toContain('--provider fireworks');
  });
});
