import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, ProviderError, type LlmgwError } from '../../../src/core/errors.js';
import { assertJobRequest } from '../../../src/core/providers/preflight.js';
import { getProviderFactory } from '../../../src/core/providers/registry.js';
import type { FineTuningProvider, Job, ProviderFactory } from '../../../src/core/providers/types.js';
import { startFakeAzure, type FakeAzure } from '../../fakes/azure/server.js';
import { caught, pollToEnd } from './helpers.js';

const MODEL = 'gpt-4.1-mini-2025-04-14';
let fake: FakeAzure;
let factory: ProviderFactory;
let provider: FineTuningProvider;
let dataset: string;

beforeEach(async () => {
  fake = await startFakeAzure();
  factory = await getProviderFactory('azure');
  provider = factory.create({ apiKey: fake.apiKey, baseUrl: fake.endpoint, maxRetries: 2 });
  dataset = join(mkdtempSync(join(tmpdir(), 'llmgw-azure-')), 'train.jsonl');
  const line = JSON.stringify({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello.' }] });
  writeFileSync(dataset, Array.from({ length: 10 }, () => line).join('\n') + '\n');
});

afterEach(async () => {
  await fake.close();
});

async function start(p: FineTuningProvider = provider): Promise<Job> {
  const file = await p.upload({ path: dataset, bytes: 0, sha256: 'x' });
  return p.createJob({ ledgerId: 'lj_00000000000000000001', baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: { epochs: 2 }, suffix: 'helpdesk' });
}


const failure = (p: Promise<unknown>) => caught<LlmgwError>(p);

describe('Azure OpenAI adapter over HTTP', () => {
  it('sends api-version and the api-key header, and runs a job to a model that needs a deployment', async () => {
    const job = await start();
    expect(job).toMatchObject({ provider: 'azure', baseModel: MODEL, method: 'supervised' });
    const first = fake.requests[0];
    expect(first?.path).toBe('/openai/files');
    expect(first?.query['api-version']).toBe('2025-04-01-preview');
    expect(first?.hadAuthorization).toBe(false);
    expect(first?.headers['api-key']).toBe(fake.apiKey);

    const done = await pollToEnd(provider, job.id);
    expect(done.status).toBe('succeeded');
    expect(done.fineTunedModel).toMatch(/^gpt-4\.1-mini-2025-04-14\.ft-/);
    expect(provider.capabilities.needsDeployment).toBe(true);
    expect(provider.capabilities.nextStep).toContain('--deployment');
    expect((await provider.getModel(done.fineTunedModel ?? '')).exists).toBe(true);
    expect((await provider.listEvents(job.id, { limit: 3 })).data).toHaveLength(3);
    expect((await provider.listJobs()).data.map((j) => j.id)).toContain(job.id);
  });

  it('takes a Microsoft Entra ID token instead of a key, and the API version from the settings', async () => {
    const p = factory.create({ token: fake.adToken, baseUrl: `${fake.endpoint}/`, apiVersion: '2024-12-01-preview' });
    await start(p);
    const last = fake.requests.at(-1);
    expect(last?.hadAuthorization).toBe(true);
    expect(last?.headers['api-key']).toBeUndefined();
    expect(last?.query['api-version']).toBe('2024-12-01-preview');
  });

  it('an API version Azure does not serve is a usage error (exit 2) with its message', async () => {
    const p = factory.create({ apiKey: fake.apiKey, baseUrl: fake.endpoint, apiVersion: '2023-05-15' });
    const err = await failure(p.listJobs());
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain('2023-05-15');
  });

  it('waits for Azure to import an uploaded file, and reports a failed import', async () => {
    fake.importNextFile(2);
    const file = await provider.upload({ path: dataset, bytes: 0, sha256: 'x' });
    expect(file.status).toBe('processed');
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path === `/openai/files/${file.id}`)).toHaveLength(2);
    fake.importNextFile(0, true);
    const err = await failure(provider.upload({ path: dataset, bytes: 0, sha256: 'x' }));
    expect(err).toMatchObject({ code: 'file_import_failed', exitCode: ExitCode.provider });
  });

  it('shows Azure’s pending as queued (not running), and pauses and resumes a running job', async () => {
    const job = await start();
    expect(job).toMatchObject({ status: 'queued', providerStatus: 'pending', suffix: 'helpdesk' });
    let current = job;
    for (let i = 0; i < 10 && current.status !== 'running'; i++) current = await provider.getJob(job.id);
    expect(current).toMatchObject({ status: 'running', providerStatus: 'running' });
    expect(await provider.pauseJob?.(job.id)).toMatchObject({ status: 'paused', providerStatus: 'paused' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: `/openai/fine_tuning/jobs/${job.id}/pause` });
    expect(await provider.resumeJob?.(job.id)).toMatchObject({ status: 'queued' });
    expect((await pollToEnd(provider, job.id)).status).toBe('succeeded');
  });

  it('cancels a running job', async () => {
    const job = await start();
    expect((await provider.cancelJob(job.id)).status).toBe('cancelled');
  });

  it('retries 429 and 5xx, then gives up with exit 4', async () => {
    fake.faults.push({ match: 'POST /openai/fine_tuning/jobs', status: 429, retryAfterMs: 5 });
    const job = await start();
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/openai/fine_tuning/jobs')).toHaveLength(2);
    fake.faults.push({ match: 'GET /openai/fine_tuning/jobs/*', status: 500, times: 3, retryAfterMs: 1 });
    const err = await failure(provider.getJob(job.id));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.exitCode).toBe(ExitCode.provider);
  });

  it('a rejected key is exit 3, names AZURE_OPENAI_API_KEY and never shows the key', async () => {
    const wrong = 'azure-wrong-key-5555555555';
    const err = await failure(factory.create({ apiKey: wrong, baseUrl: fake.endpoint }).listJobs());
    expect(err.exitCode).toBe(ExitCode.auth);
    expect(err.hint).toContain('AZURE_OPENAI_API_KEY');
    expect(JSON.stringify(err.toJSON()) + err.message).not.toContain(wrong);
  });

  it('missing credentials or endpoint are config errors naming the variables, before any request', () => {
    expect(() => factory.create({ baseUrl: fake.endpoint })).toThrow(ConfigError);
    expect(() => factory.create({ baseUrl: fake.endpoint })).toThrow(/AZURE_OPENAI_API_KEY.*AZURE_OPENAI_AD_TOKEN/);
    expect(() => factory.create({ apiKey: fake.apiKey })).toThrow(/AZURE_OPENAI_ENDPOINT/);
    expect(fake.requests).toHaveLength(0);
  });

  it('pre-flight checks the base model and its methods against Azure’s table', () => {
    const base = { ledgerId: 'lj_00000000000000000001', trainingFileId: 'file-1', hyperparameters: {} } as const;
    expect(() => assertJobRequest(provider.capabilities, { ...base, baseModel: 'gpt-3.5-turbo-0613', method: 'supervised' }, 'Azure OpenAI')).toThrow(/does not fine-tune gpt-3\.5-turbo-0613/);
    expect(() => assertJobRequest(provider.capabilities, { ...base, baseModel: 'gpt-4o-mini-2024-07-18', method: 'dpo' }, 'Azure OpenAI')).toThrow(/does not offer dpo fine-tuning of gpt-4o-mini/);
    expect(() => assertJobRequest(provider.capabilities, { ...base, baseModel: MODEL, method: 'dpo', hyperparameters: { beta: 0.1 } }, 'Azure OpenAI')).not.toThrow();
  });
});
