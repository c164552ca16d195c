import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import type { CreateJobRequest } from '../../../../src/core/providers/types.js';
import { FAILURE_PLAN, startFakeBedrock, type FakeBedrock } from '../../../fakes/bedrock/server.js';
import { caught, pollToEnd } from '../helpers.js';
import { awsEnv, bedrockFor, ROLE } from './helpers.js';

let fake: FakeBedrock;
beforeAll(async () => {
  fake = await startFakeBedrock();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => awsEnv(fake));
afterEach(() => {
  vi.unstubAllEnvs();
  fake.faults.clear();
});

const NOVA = 'amazon.nova-lite-v1:0:300k';
const request = (ledgerId: string, over: Partial<CreateJobRequest> = {}): CreateJobRequest => ({
  ledgerId,
  baseModel: NOVA,
  trainingFileId: 's3://train-data/llmgw/llmgw/abc.conversation.jsonl',
  method: 'supervised',
  hyperparameters: { epochs: 3, extra: { learningRateWarmupSteps: 5 } },
  suffix: 'support',
  metadata: { team: 'cx' },
  ...over,
});
const sentBodies = (path: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === path).map((r) => JSON.parse(r.bodyText ?? '{}') as Record<string, unknown>);

describe('Bedrock adapter against the fake control plane', () => {
  it('creates a job named and tokened by its ledger id, with string hyperparameters and the ledger tag', async () => {
    const provider = bedrockFor(fake);
    const job = await provider.createJob(request('lj_00000000000000000001'));
    const body = sentBodies('/model-customization-jobs').at(-1);
    expect(body).toMatchObject({
      jobName: 'llmgw-lj-00000000000000000001',
      clientRequestToken: 'llmgw-lj-00000000000000000001',
      customModelName: 'support-00000000000000000001',
      roleArn: ROLE,
      baseModelIdentifier: NOVA,
      hyperParameters: { epochCount: '3', learningRateWarmupSteps: '5' },
      outputDataConfig: { s3Uri: 's3://train-data/llmgw/output/' },
      jobTags: [{ key: 'team', value: 'cx' }, { key: 'llmgw_ledger_id', value: 'lj_00000000000000000001' }],
    });
    expect(job).toMatchObject({ provider: 'bedrock', status: 'validating_files', baseModel: NOVA, metadata: { llmgw_ledger_id: 'lj_00000000000000000001' } });
    // --dry-run shows exactly this body.
    expect(provider.previewCreateJob?.(request('lj_00000000000000000001'))).toEqual({ method: 'POST', url: `${fake.url}/model-customization-jobs`, body });
    expect(job.id).toMatch(/^arn:aws:bedrock:us-east-1:123456789012:model-customization-job\//);
    // Credentials are signed, never sent as such.
    expect(fake.requests.every((r) => r.hadAuthorization && !JSON.stringify(r.headers).includes(fake.secretAccessKey))).toBe(true);
  });

  it('follows the stages as events and the losses as metrics, to a custom model ARN', async () => {
    const provider = bedrockFor(fake);
    const created = await provider.createJob(request('lj_00000000000000000002'));
    const done = await pollToEnd(provider, created.id);
    expect(done).toMatchObject({ status: 'succeeded', providerStatus: 'Completed', fineTunedModel: expect.stringMatching(/:custom-model\/amazon\.nova-lite-v1:0:300k\//) });
    const events = await provider.listEvents(created.id, { limit: 20 });
    expect(events.data.map((e) => e.message)).toEqual(expect.arrayContaining(['data validation: Completed', 'training: Completed', 'final train_loss 0.4213']));
    expect(events.data.find((e) => e.type === 'metrics')?.data).toEqual({ train_loss: 0.4213 });
  });

  it('a repeated create for the same ledger entry returns the same job; different parameters under the same token are a conflict', async () => {
    const provider = bedrockFor(fake);
    const a = await provider.createJob(request('lj_00000000000000000003'));
    const b = await provider.createJob(request('lj_00000000000000000003'));
    expect(b.id).toBe(a.id);
    const err = await caught(provider.createJob(request('lj_00000000000000000003', { hyperparameters: { epochs: 4 } })));
    expect(err).toMatchObject({ exitCode: 2, providerCode: 'ConflictException', message: expect.stringContaining('different parameters') });
    expect((await provider.listJobs({ metadata: { llmgw_ledger_id: 'lj_00000000000000000003' } })).data.map((j) => j.id)).toEqual([a.id]);
  });

  it('a create whose answer is lost is retried with the same token: one job, not two', async () => {
    const provider = bedrockFor(fake);
    const before = fake.jobs.size;
    fake.faults.push({ match: 'POST /model-customization-jobs', loseResponse: true });
    const job = await provider.createJob(request('lj_0000000000000000000a'));
    expect(fake.jobs.size).toBe(before + 1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/model-customization-jobs' && r.bodyText?.includes('lj_0000000000000000000a'))).toHaveLength(2);
    expect(job.metadata.llmgw_ledger_id).toBe('lj_0000000000000000000a');
  });

  it('refuses to start without a service role, saying what the role needs (exit 3)', async () => {
    const err = await caught(bedrockFor(fake, { roleArn: undefined }).createJob(request('lj_00000000000000000004')));
    expect(err).toMatchObject({ code: 'bedrock_role_missing', exitCode: 3, hint: expect.stringMatching(/--role-arn.*s3:GetObject.*s3:PutObject.*iam:PassRole/) });
  });

  it('checks the base model in the Region before sending anything: legacy, not offered here, unknown', async () => {
    const provider = bedrockFor(fake);
    const before = fake.requests.filter((r) => r.method === 'POST').length;
    const eol = await caught(provider.createJob(request('lj_00000000000000000005', { baseModel: 'anthropic.claude-3-haiku-20240307-v1:0:200k', hyperparameters: {} })));
    expect(eol).toMatchObject({ code: 'base_model_end_of_life', exitCode: 2, message: expect.stringContaining('LEGACY in us-east-1'), hint: expect.stringContaining('amazon.nova-lite-v1:0:300k') });
    const away = await caught(provider.createJob(request('lj_00000000000000000006', { baseModel: 'meta.llama3-2-3b-instruct-v1:0:128k', hyperparameters: {} })));
    expect(away).toMatchObject({ code: 'base_model_not_in_region', exitCode: 2, hint: expect.stringContaining('--region us-west-2') });
    const typo = await caught(provider.createJob(request('lj_00000000000000000007', { baseModel: 'amazon.nova-lite-v1:0' })));
    expect(typo).toMatchObject({ code: 'base_model_not_supported', hint: expect.stringContaining('amazon.nova-lite-v1:0:300k') });
    expect(fake.requests.filter((r) => r.method === 'POST').length).toBe(before);
  });

  it('retries throttling (429) and gives up with exit 4 when it lasts; expired and unknown credentials are exit 3', async () => {
    const provider = bedrockFor(fake);
    fake.faults.push({ match: 'GET /model-customization-jobs', status: 429, error: { type: 'ThrottlingException', message: 'Too many requests' } });
    expect((await provider.listJobs()).data.length).toBeGreaterThan(0);
    fake.faults.push({ match: 'GET /model-customization-jobs', status: 429, times: 5, error: { type: 'ThrottlingException', message: 'Too many requests' } });
    expect(await caught(provider.listJobs())).toMatchObject({ code: 'provider_rate_limited', exitCode: 4 });
    fake.faults.clear();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSOMEONEELSE00001');
    expect(await caught(bedrockFor(fake).listJobs())).toMatchObject({ code: 'provider_auth_failed', exitCode: 3 });
    awsEnv(fake);
    const expired = await startFakeBedrock();
    try {
      awsEnv(expired);
      expired.expireCredentials();
      expect(await caught(bedrockFor(expired).listJobs())).toMatchObject({ code: 'aws_credentials_expired', exitCode: 3, hint: expect.stringContaining('aws sso login') });
    } finally {
      await expired.close();
    }
  });

  it('says how to set credentials when the default chain finds none (exit 3)', async () => {
    awsEnv(undefined);
    const err = await caught(bedrockFor(fake).listJobs());
    expect(err).toMatchObject({ code: 'aws_credentials_missing', exitCode: 3, hint: expect.stringContaining('AWS_PROFILE') });
  });

  it('pages the job list newest first by nextToken, and finds a created job by its mark', async () => {
    const provider = bedrockFor(fake);
    const first = await provider.listJobs({ limit: 2 });
    expect(first.data.length).toBe(2);
    expect(first.hasMore).toBe(true);
    const second = await provider.listJobs({ limit: 2, after: first.nextCursor ?? undefined });
    expect(second.data[0]?.createdAt).toBeLessThanOrEqual(first.data[1]?.createdAt ?? 0);
    expect(new Set([...first.data, ...second.data].map((j) => j.id)).size).toBe(first.data.length + second.data.length);
    const found = await (provider as unknown as { findCreatedJob(m: { ledgerId: string }): Promise<{ kind: string }> }).findCreatedJob({ ledgerId: 'lj_00000000000000000001' });
    expect(found.kind).toBe('found');
    expect(await (provider as unknown as { findCreatedJob(m: { ledgerId: string }): Promise<{ kind: string }> }).findCreatedJob({ ledgerId: 'lj_ffffffffffffffffffff' })).toEqual({ kind: 'absent' });
  });

  it('stops a job (Stopping, then Stopped as cancelled); a failed job carries failureMessage as its error', async () => {
    const provider = bedrockFor(fake);
    const job = await provider.createJob(request('lj_00000000000000000008'));
    expect((await provider.cancelJob(job.id)).status).toBe('running');
    expect(await provider.getJob(job.id)).toMatchObject({ status: 'cancelled', providerStatus: 'Stopped' });
    fake.planNext(FAILURE_PLAN);
    const bad = await provider.createJob(request('lj_00000000000000000009'));
    expect(await pollToEnd(provider, bad.id)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('line 3') } });
    expect(await caught(provider.getJob('llmgw-lj-nosuchjob'))).toMatchObject({ code: 'provider_not_found', exitCode: 2 });
  });
});
