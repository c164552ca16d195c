import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { factory } from '../../../src/core/providers/openai/index.js';
import type { CreateJobRequest, FineTuningProvider } from '../../../src/core/providers/types.js';
import { fineTuningClosed, insufficientQuota, startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai/index.js';
import { caught, openaiFor, tempDataset } from './helpers.js';

/** Every field of an error as the CLI would print it (message, hint, JSON). */
function everything(err: Error & Record<string, unknown>): string {
  const json = typeof err.toJSON === 'function' ? JSON.stringify((err.toJSON as () => unknown)()) : '';
  return `${err.message}\n${String(err.hint)}\n${json}\n${err.stack ?? ''}`;
}

describe('OpenAI adapter: errors', () => {
  let fake: FakeOpenAI;
  let provider: FineTuningProvider;
  let trainingFileId: string;
  const data = tempDataset(12);
  const job = (over: Partial<CreateJobRequest> = {}): CreateJobRequest => ({
    ledgerId: 'lj_00000000000000000001',
    baseModel: 'gpt-4.1-mini-2025-04-14',
    trainingFileId,
    method: 'supervised',
    hyperparameters: {},
    metadata: { llmgw_ledger_id: 'led_err' },
    ...over,
  });

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    provider = openaiFor(fake);
    trainingFileId = (await provider.upload({ path: data.path, bytes: 0, sha256: '' })).id;
  });
  beforeEach(() => fake.faults.clear());
  afterAll(async () => {
    await fake.close();
    data.cleanup();
  });

  it('needs a key before anything is sent', () => {
    expect(() => factory.create({ baseUrl: fake.baseURL })).toThrow(expect.objectContaining({ code: 'missing_api_key', exitCode: 3, hint: expect.stringContaining('OPENAI_API_KEY') }));
  });

  it('maps a 400 to a usage error that keeps the field, the provider code and the request id', async () => {
    const err = await caught(provider.createJob(job({ suffix: 'no spaces allowed' })));
    expect(err).toMatchObject({ code: 'provider_rejected_request', exitCode: 2, status: 400, param: 'suffix', providerCode: 'invalid_value', provider: 'openai' });
    expect(err.requestId).toMatch(/^req_/);
    expect(err.message).toContain('field suffix');
    expect(err.message).toContain("Invalid 'suffix'");
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ param: 'suffix', status: 400, retryable: false });
  });

  it('maps an unknown base model and a missing file to rejections naming the field', async () => {
    expect(await caught(provider.createJob(job({ baseModel: 'gpt-9-ultra' })))).toMatchObject({ code: 'provider_rejected_request', param: 'model', providerCode: 'model_not_available' });
    expect(await caught(provider.createJob(job({ trainingFileId: 'file-nope' })))).toMatchObject({ code: 'provider_not_found', status: 404, param: 'training_file' });
  });

  it('maps a 401 to exit 3 naming OPENAI_API_KEY, and never repeats the key', async () => {
    const wrongKey = 'sk-proj-wrongwrongwrong0123456789abcdefXYZ';
    const err = await caught(openaiFor(fake, { apiKey: wrongKey }).getJob('ftjob-x'));
    expect(err).toMatchObject({ code: 'provider_auth_failed', exitCode: 3, status: 401 });
    expect(err.hint).toContain('OPENAI_API_KEY');
    // OpenAI echoes a masked key (first and last characters); neither form may reach the user.
    const text = everything(err);
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(wrongKey.slice(-4));
    expect(text).not.toContain('sk-');
    expect(fake.count('GET /v1/fine_tuning/jobs/*')).toBe(1); // 401 is not retried
  });

  it('explains a 403 on job creation as fine-tuning being closed to the account', async () => {
    fake.faults.push(fineTuningClosed());
    const err = await caught(provider.createJob(job()));
    expect(err).toMatchObject({ code: 'fine_tuning_unavailable', exitCode: 4, retryable: false, status: 403, providerCode: 'fine_tuning_unavailable' });
    expect(err.message).toContain('winding down self-serve fine-tuning');
    expect(err.hint).toContain('--provider');
  });

  it('does not mistake a key without the fine-tuning scope for a closed account', async () => {
    fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', status: 403, error: { message: 'You have insufficient permissions for this operation. Missing scopes: api.fine_tuning.jobs.write.' } });
    expect(await caught(provider.createJob(job()))).toMatchObject({ code: 'provider_permission_denied', exitCode: 3 });
  });

  it('recognises the wind-down wording on a 400 too', async () => {
    fake.faults.push({ match: 'GET /v1/fine_tuning/jobs', status: 400, error: { message: 'Fine-tuning is no longer available for new organizations.' } });
    expect(await caught(provider.listJobs())).toMatchObject({ code: 'fine_tuning_unavailable', exitCode: 4, retryable: false });
  });

  it('maps any other 403 to a permission error (exit 3)', async () => {
    fake.faults.push({ match: 'GET /v1/fine_tuning/jobs', status: 403, error: { message: 'You have insufficient permissions for this operation. Missing scopes: api.fine_tuning.jobs.read.' } });
    expect(await caught(provider.listJobs())).toMatchObject({ code: 'provider_permission_denied', exitCode: 3, status: 403 });
  });

  it('maps an unknown job to a not-found rejection', async () => {
    expect(await caught(provider.getJob('ftjob-missing'))).toMatchObject({ code: 'provider_not_found', exitCode: 2, status: 404 });
  });

  it('lets the SDK wait out Retry-After on a 429, then succeeds', async () => {
    fake.faults.push({ match: 'GET /v1/fine_tuning/jobs', status: 429, retryAfter: 1 });
    const before = fake.requests.length;
    const started = performance.now();
    await provider.listJobs();
    const waited = performance.now() - started;
    const calls = fake.requests.slice(before);
    expect(calls.map((r) => r.status)).toEqual([429, 200]);
    expect(calls[1]?.headers['x-stainless-retry-count']).toBe('1');
    // Without the header the SDK's first backoff is at most 0.5 s; Retry-After: 1 made it wait a full second.
    expect(waited).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a rate limit after the retries, as a retryable provider error', async () => {
    fake.faults.push({ match: 'GET /v1/fine_tuning/jobs', status: 429, retryAfterMs: 5, times: 10 });
    const before = fake.requests.length;
    const err = await caught(openaiFor(fake, { maxRetries: 2 }).listJobs());
    expect(err).toMatchObject({ code: 'provider_rate_limited', exitCode: 4, retryable: true, status: 429 });
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([429, 429, 429]);
  });

  it('tells an exhausted quota apart from a rate limit (not retryable)', async () => {
    fake.faults.push(insufficientQuota('GET /v1/fine_tuning/jobs'));
    expect(await caught(provider.listJobs())).toMatchObject({ code: 'provider_quota_exceeded', retryable: false, providerCode: 'insufficient_quota' });
  });

  it('retries 500 and 503 and then succeeds', async () => {
    fake.faults.push({ match: 'GET /v1/fine_tuning/jobs', status: 500, retryAfterMs: 1 }, { match: 'GET /v1/fine_tuning/jobs', status: 503, retryAfterMs: 1 });
    const before = fake.requests.length;
    await provider.listJobs();
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([500, 503, 200]);
  });

  it('retries a dropped connection, and reports an unreachable provider when it keeps dropping', async () => {
    fake.faults.push({ match: 'GET /v1/models/*', drop: true });
    expect((await provider.getModel('gpt-4.1-2025-04-14')).exists).toBe(true);
    fake.faults.push({ match: 'GET /v1/models/*', drop: true, times: 5 });
    const err = await caught(openaiFor(fake, { maxRetries: 1 }).getModel('gpt-4.1-2025-04-14'));
    expect(err).toMatchObject({ code: 'provider_unreachable', exitCode: 4, retryable: true });
  });

  it('reports a slow provider as a retryable timeout', async () => {
    fake.faults.push({ match: 'GET /v1/fine_tuning/jobs', delayMs: 400, times: 2 });
    const err = await caught(openaiFor(fake, { timeoutMs: 100, maxRetries: 1 }).listJobs());
    expect(err).toMatchObject({ code: 'provider_timeout', exitCode: 4, retryable: true });
  });

  it('never retries a job creation whose answer was lost, so no second job is started', async () => {
    fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', loseResponse: true });
    const jobsBefore = fake.state.jobs.size;
    const err = await caught(openaiFor(fake, { maxRetries: 3 }).createJob(job({ ledgerId: 'led_lost' })));
    expect(err).toMatchObject({ code: 'job_create_unconfirmed', exitCode: 4, retryable: true });
    expect(fake.state.jobs.size).toBe(jobsBefore + 1);
    // The job it made can be found by its ledger id, which is how the caller reconciles.
    const mark = { ledgerId: 'led_lost', createdAt: new Date().toISOString(), baseModel: 'gpt-4.1-mini-2025-04-14', trainingFileId: '' };
    expect(await provider.findCreatedJob(mark)).toMatchObject({ kind: 'found', job: { metadata: { llmgw_ledger_id: 'led_lost' } } });
    expect(await provider.findCreatedJob({ ...mark, ledgerId: 'led_never' })).toEqual({ kind: 'absent' });
  });

  it('still retries a 429 on job creation (nothing was created)', async () => {
    fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', status: 429, retryAfterMs: 5, times: 2 });
    const created = await provider.createJob(job({ ledgerId: 'led_429' }));
    expect(created.status).toBe('validating_files');
    expect((await provider.listJobs({ metadata: { llmgw_ledger_id: 'led_429' } })).data).toHaveLength(1);
  });

  it('sends the key only in the Authorization header', () => {
    expect(fake.requests.length).toBeGreaterThan(10);
    for (const r of fake.requests) {
      expect(r.hadAuthorization).toBe(true);
      expect(JSON.stringify({ ...r, hadAuthorization: undefined })).not.toContain(fake.apiKey);
    }
  });
});
