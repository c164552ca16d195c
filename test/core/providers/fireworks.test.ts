import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, ProviderError, type LlmgwError } from '../../../src/core/errors.js';
import { assertJobRequest } from '../../../src/core/providers/preflight.js';
import { getProviderFactory } from '../../../src/core/providers/registry.js';
import type { FineTuningProvider, Job, UploadRequest } from '../../../src/core/providers/types.js';
import { EARLY_STOPPED_PLAN, EXPIRED_PLAN, FAILURE_PLAN, PAUSED_PLAN, startFakeFireworks, type FakeFireworks } from '../../fakes/fireworks/server.js';
import { caught, pollToEnd, pollUntil } from './helpers.js';

const MODEL = 'accounts/fireworks/models/llama-v3p1-8b-instruct';
let fake: FakeFireworks;
let provider: FineTuningProvider;
let upload: UploadRequest;
let dir: string;

beforeEach(async () => {
  fake = await startFakeFireworks();
  provider = (await getProviderFactory('fireworks')).create({ apiKey: fake.apiKey, baseUrl: fake.baseUrl, organization: fake.account, maxRetries: 2 });
  dir = mkdtempSync(join(tmpdir(), 'llmgw-fireworks-'));
  const path = join(dir, 'train.jsonl');
  const line = JSON.stringify({ messages: [{ role: 'user', content: 'Ping' }, { role: 'assistant', content: 'Pong' }] });
  writeFileSync(path, `${line}\n${line}\n${line}\n`);
  const bytes = readFileSync(path);
  upload = { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
});

afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

let ledgerCount = 0;
/** A fresh ledger id per job, as the ledger gives one per start. */
const nextLedgerId = () => `lj_${String(++ledgerCount).padStart(20, '0')}`;

async function start(): Promise<Job> {
  const file = await provider.upload(upload);
  return provider.createJob({ ledgerId: nextLedgerId(), baseModel: MODEL, trainingFileId: file.id, method: 'supervised', hyperparameters: { epochs: 2, extra: { loraRank: 16 } }, suffix: 'faq-bot' });
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
    const create = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/supervisedFineTuningJobs'));
    expect(JSON.parse(create?.bodyText ?? '{}')).toEqual({ baseModel: MODEL, dataset: file.id, displayName: 'faq-bot', epochs: 2, learningRate: 0.0002, loraRank: 16 });
    // The job id comes from the ledger id, so the same create sent twice is a conflict, not a second job.
    expect(create?.query).toEqual({ supervisedFineTuningJobId: 'llmgw-00000000000000000001' });
    expect(created).toMatchObject({ id: 'llmgw-00000000000000000001', provider: 'fireworks', status: 'queued', providerStatus: 'JOB_STATE_CREATING', suffix: 'faq-bot', fineTunedModel: null });

    const done = await pollToEnd(provider, created.id);
    expect(done).toMatchObject({ status: 'succeeded', fineTunedModel: `accounts/acme/models/${created.id}`, trainedTokens: 4242 });
    expect((await provider.getModel(done.fineTunedModel ?? '')).exists).toBe(true);
    expect((await provider.getModel('accounts/acme/models/nope')).exists).toBe(false);
    expect((await provider.listEvents(created.id)).data).toEqual([]);
  });

  it('a create whose answer is lost is sent again and answered 409: the job under the ledger id is the one', async () => {
    const file = await provider.upload(upload);
    fake.faults.push({ match: 'POST /v1/accounts/acme/supervisedFineTuningJobs', loseResponse: true });
    const req = { ledgerId: 'lj_0123456789abcdef0123', baseModel: MODEL, trainingFileId: file.id, method: 'supervised' as const, hyperparameters: {} };
    const job = await provider.createJob(req);
    expect(job.id).toBe('llmgw-0123456789abcdef0123');
    expect(fake.jobs.size).toBe(1);
    const creates = () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/supervisedFineTuningJobs')).map((r) => r.fault ?? r.status);
    expect(creates()).toEqual(['lose_response', 409]);
    // And again, as a later run of the same start would.
    expect((await provider.createJob(req)).id).toBe(job.id);
    expect(creates()).toEqual(['lose_response', 409, 409]);
    expect(fake.jobs.size).toBe(1);
    expect(await provider.findCreatedJob({ ledgerId: req.ledgerId, createdAt: new Date().toISOString(), baseModel: MODEL, trainingFileId: file.id })).toMatchObject({ kind: 'found', job: { id: job.id } });
    expect(await provider.findCreatedJob({ ledgerId: 'lj_ffffffffffffffffffff', createdAt: new Date().toISOString(), baseModel: MODEL, trainingFileId: file.id })).toEqual({ kind: 'absent' });
    const other = await provider.findCreatedJob({ ledgerId: req.ledgerId, createdAt: new Date().toISOString(), baseModel: MODEL, trainingFileId: 'accounts/acme/datasets/other' });
    expect(other).toMatchObject({ kind: 'unknown', candidates: [job.id] });
  });

  it('resumes a paused job with :resume', async () => {
    fake.planNext(PAUSED_PLAN);
    const job = await start();
    await provider.getJob(job.id);
    expect((await provider.getJob(job.id)).status).toBe('paused');
    expect(provider.resumeJob).toBeDefined();
    expect((await provider.resumeJob?.(job.id))?.status).toBe('running');
    expect((await pollToEnd(provider, job.id)).status).toBe('succeeded');
  });

  it('waits for an uploaded dataset to turn READY before handing back its id', async () => {
    fake.slowNextDataset(2);
    const file = await provider.upload(upload);
    expect(file.status).toBe('processed');
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(file.id.split('/').pop() ?? '?'))).toHaveLength(4);
  });

  it('lists newest first (Fireworks orders by name unless asked), paging with pageSize/pageToken', async () => {
    const created: string[] = [];
    for (let i = 0; i < 4; i++) {
      created.push((await start()).id);
      // Distinct creation times, a millisecond apart at least.
      await new Promise((r) => setTimeout(r, 2));
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 4; page++) {
      const res = await provider.listJobs({ limit: 1, after });
      seen.push(...res.data.map((j) => j.id));
      if (!res.hasMore) break;
      after = res.nextCursor ?? undefined;
    }
    expect(seen).toEqual([...created].reverse());
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/supervisedFineTuningJobs')).every((r) => r.query.orderBy === 'createTime desc')).toBe(true);
  });

  it('maps every documented job state; early-stopped with a model succeeded, expired failed', async () => {
    fake.planNext(EARLY_STOPPED_PLAN);
    const early = await pollToEnd(provider, (await start()).id);
    expect(early).toMatchObject({ status: 'succeeded', providerStatus: 'JOB_STATE_EARLY_STOPPED', fineTunedModel: `accounts/acme/models/${early.id}` });
    expect((await provider.getModel(early.fineTunedModel ?? '')).exists).toBe(true);
    fake.planNext(EXPIRED_PLAN);
    const expired = await pollToEnd(provider, (await start()).id);
    expect(expired).toMatchObject({ status: 'failed', providerStatus: 'JOB_STATE_EXPIRED', fineTunedModel: null });
    expect(expired.error?.message).toContain('time to live');
    fake.planNext(PAUSED_PLAN);
    const paused = await start();
    await provider.getJob(paused.id);
    expect(await provider.getJob(paused.id)).toMatchObject({ status: 'paused', providerStatus: 'JOB_STATE_PAUSED' });
    expect((await provider.getJob(paused.id)).status).toBe('paused');
  });

  it('an unknown state reads as unknown with the raw state, never as running nor as a failure', async () => {
    fake.planNext(['JOB_STATE_CREATING', 'JOB_STATE_TELEPORTING']);
    const job = await pollUntil(provider, (await start()).id, (j) => j.providerStatus === 'JOB_STATE_TELEPORTING');
    expect(job).toMatchObject({ status: 'unknown', providerStatus: 'JOB_STATE_TELEPORTING', error: null, fineTunedModel: null });
  });

  it('reports a failed job with the status message', async () => {
    fake.planNext(FAILURE_PLAN);
    const job = await pollToEnd(provider, (await start()).id);
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({ code: 'INVALID_ARGUMENT', message: 'Dataset line 2: messages must end with an assistant turn.' });
  });

  it('does not offer cancel (no documented API for it): a usage error naming firectl, nothing sent', async () => {
    const job = await start();
    const before = fake.requests.length;
    const err = await failure(provider.cancelJob(job.id));
    expect(err).toMatchObject({ code: 'cancel_not_offered', exitCode: ExitCode.usage });
    expect(err.hint).toContain(`firectl supervised-fine-tuning-job cancel ${job.id} --account-id acme`);
    expect(fake.requests.length).toBe(before);
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
