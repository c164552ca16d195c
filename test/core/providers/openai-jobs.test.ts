import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateJobRequest, FineTuningProvider } from '../../../src/core/providers/types.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai/index.js';
import { caught, openaiFor, tempDataset } from './helpers.js';

describe('OpenAI adapter: jobs, events, checkpoints, models', () => {
  let fake: FakeOpenAI;
  let provider: FineTuningProvider;
  let trainingFileId: string;
  const data = tempDataset(12);

  const request = (over: Partial<CreateJobRequest> = {}): CreateJobRequest => ({
    ledgerId: 'led_1',
    baseModel: 'gpt-4.1-mini-2025-04-14',
    trainingFileId,
    method: 'supervised',
    hyperparameters: { epochs: 3, batchSize: 'auto', learningRateMultiplier: 0.5 },
    suffix: 'bikeshop',
    seed: 42,
    ...over,
  });

  beforeAll(async () => {
    fake = await startFakeOpenAI({ jobPlan: { steps: 6, stepMs: 1000, validatingMs: 1000, queuedMs: 1000 } });
    provider = openaiFor(fake);
    trainingFileId = (await provider.upload({ path: data.path, bytes: 0, sha256: '' })).id;
  });
  beforeEach(() => fake.faults.clear());
  afterAll(async () => {
    await fake.close();
    data.cleanup();
  });

  it('creates a supervised job with the method block, suffix, seed and metadata, and maps it back', async () => {
    const job = await provider.createJob(request());
    const sent = JSON.parse(fake.requests.findLast((r) => r.path === '/v1/fine_tuning/jobs' && r.method === 'POST')?.bodyText ?? '{}');
    expect(sent).toEqual({
      model: 'gpt-4.1-mini-2025-04-14',
      training_file: trainingFileId,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 3, batch_size: 'auto', learning_rate_multiplier: 0.5 } } },
      suffix: 'bikeshop',
      seed: 42,
      metadata: { llmgw_ledger_id: 'led_1' },
    });
    expect(job).toMatchObject({
      provider: 'openai',
      status: 'validating_files',
      method: 'supervised',
      baseModel: 'gpt-4.1-mini-2025-04-14',
      suffix: 'bikeshop',
      seed: 42,
      fineTunedModel: null,
      error: null,
      metadata: { llmgw_ledger_id: 'led_1' },
      hyperparameters: { epochs: 3, batchSize: 'auto', learningRateMultiplier: 0.5 },
    });
  });

  it('creates a DPO job with beta and reads its hyperparameters from the method block', async () => {
    const job = await provider.createJob(request({ method: 'dpo', hyperparameters: { beta: 0.1 }, metadata: undefined }));
    expect(job.method).toBe('dpo');
    expect(job.hyperparameters).toMatchObject({ beta: 0.1, epochs: 'auto' });
    expect(fake.jobs.get(job.id).object.hyperparameters).toBeNull();
  });

  it('creates a reinforcement job with its grader and reinforcement hyperparameters', async () => {
    const grader = { type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{item.answer}}', operation: 'eq' };
    const job = await provider.createJob(request({ baseModel: 'o4-mini-2025-04-16', method: 'reinforcement', grader, hyperparameters: { epochs: 2, extra: { reasoning_effort: 'low', eval_samples: 3 } } }));
    const sent = JSON.parse(fake.requests.findLast((r) => r.path === '/v1/fine_tuning/jobs' && r.method === 'POST')?.bodyText ?? '{}');
    expect(sent.method).toEqual({ type: 'reinforcement', reinforcement: { grader, hyperparameters: { n_epochs: 2, reasoning_effort: 'low', eval_samples: 3 } } });
    expect(job).toMatchObject({ method: 'reinforcement', hyperparameters: { epochs: 2 } });
  });

  it('pauses a running job and resumes it', async () => {
    const job = await provider.createJob(request());
    fake.jobs.step(job.id, 2);
    expect(await provider.pauseJob?.(job.id)).toMatchObject({ status: 'paused' });
    expect(await provider.resumeJob?.(job.id)).toMatchObject({ status: 'queued' });
    expect(fake.count('POST /v1/fine_tuning/jobs/*/pause')).toBe(1);
    expect(fake.count('POST /v1/fine_tuning/jobs/*/resume')).toBe(1);
  });

  it('refuses beta on a supervised job before calling the provider', async () => {
    const before = fake.requests.length;
    const err = await caught(provider.createJob(request({ hyperparameters: { beta: 0.5 } })));
    expect(err).toMatchObject({ code: 'hyperparameter_not_supported', exitCode: 2 });
    expect(fake.requests.length).toBe(before);
  });

  it('follows a job to success: states, events newest first, checkpoints, the model id', async () => {
    const created = await provider.createJob(request());
    fake.clock.advance(1000);
    expect((await provider.getJob(created.id)).status).toBe('queued');
    fake.clock.advance(2000);
    const running = await provider.getJob(created.id);
    expect(running.status).toBe('running');
    fake.clock.advance(10_000);
    const done = await provider.getJob(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.fineTunedModel).toMatch(/^ft:gpt-4\.1-mini-2025-04-14:llmgw-test:bikeshop:[A-Za-z0-9]{8}$/);
    expect(done.finishedAt).not.toBeNull();
    expect(done.trainedTokens).toBeGreaterThan(0);

    const events = await provider.listEvents(created.id, { limit: 100 });
    expect(events.data[0]?.message).toBe('The job has successfully completed');
    const times = events.data.map((e) => e.createdAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const metrics = events.data.filter((e) => e.type === 'metrics');
    expect(metrics).toHaveLength(6);
    expect(metrics[0]?.data).toMatchObject({ step: 6, total_steps: 6 });

    // Paging by cursor walks the same events, one page at a time.
    const walked: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await provider.listEvents(created.id, { limit: 4, after });
      walked.push(...page.data.map((e) => e.id));
      if (!page.hasMore) break;
      after = page.nextCursor ?? undefined;
    }
    expect(walked).toEqual(events.data.map((e) => e.id));

    const checkpoints = await provider.listCheckpoints(created.id);
    expect(checkpoints.data.map((c) => c.step)).toEqual([6, 4, 2]);
    expect(checkpoints.data[0]?.model).toBe(`${done.fineTunedModel}:ckpt-step-6`);
    expect(checkpoints.data[0]?.metrics.train_loss).toBeTypeOf('number');

    expect(await provider.getModel(done.fineTunedModel ?? '')).toMatchObject({ exists: true, shutdownDate: null });
  });

  it('lists jobs across pages and filters them by metadata', async () => {
    for (let i = 0; i < 5; i++) await provider.createJob(request({ ledgerId: `led_page_${i}`, metadata: { batch: 'paging' } }));
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await provider.listJobs({ limit: 2, after });
      pages++;
      seen.push(...page.data.map((j) => j.id));
      if (!page.hasMore) break;
      after = page.nextCursor ?? undefined;
    }
    expect(pages).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(fake.state.jobs.size);

    const one = await provider.listJobs({ metadata: { llmgw_ledger_id: 'led_page_3' } });
    expect(one.data.map((j) => j.metadata.llmgw_ledger_id)).toEqual(['led_page_3']);
    const batch = await provider.listJobs({ metadata: { batch: 'paging' }, limit: 100 });
    expect(batch.data).toHaveLength(5);
  });

  it('cancels a running job, and refuses to cancel it twice', async () => {
    const job = await provider.createJob(request());
    fake.jobs.step(job.id, 2);
    const cancelled = await provider.cancelJob(job.id);
    expect(cancelled.status).toBe('cancelled');
    const err = await caught(provider.cancelJob(job.id));
    expect(err).toMatchObject({ code: 'provider_rejected_request', exitCode: 2, status: 400 });
  });

  it('reports a job that failed validation with the provider code, message and param', async () => {
    fake.jobs.planNext({ outcome: { failAt: 'validating_files', error: { code: 'invalid_training_file', message: 'Line 3 is not a dictionary.', param: 'training_file' } } });
    const job = await provider.createJob(request());
    fake.jobs.step(job.id);
    const failed = await provider.getJob(job.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'invalid_training_file', message: 'Line 3 is not a dictionary.', param: 'training_file' } });
  });

  it('reads the shapes real responses send against the schema (reference §5.2)', async () => {
    const created = await provider.createJob(request());
    const wire = fake.jobs.get(created.id).object as unknown as Record<string, unknown>;
    Object.assign(wire, { status: 'paused', error: {}, hyperparameters: null, method: undefined, estimated_finish: 0, metadata: null });
    expect(await provider.getJob(created.id)).toMatchObject({ status: 'paused', providerStatus: 'paused', error: null, hyperparameters: {}, method: 'supervised', estimatedFinish: null, metadata: {} });
    Object.assign(wire, { status: 'moderation_checks', error: { code: null, message: null, param: null } });
    expect(await provider.getJob(created.id)).toMatchObject({ status: 'unknown', providerStatus: 'moderation_checks', error: null });
  });

  it('describes models: present, gone, and with a shutdown date', async () => {
    fake.models.setShutdownDate('gpt-4o-mini-2024-07-18', '2027-01-14');
    expect(await provider.getModel('gpt-4o-mini-2024-07-18')).toMatchObject({ exists: true, shutdownDate: '2027-01-14', ownedBy: 'system' });
    expect(await provider.getModel('gpt-4.1-2025-04-14')).toMatchObject({ exists: true, shutdownDate: null });
    fake.models.remove('gpt-4.1-nano-2025-04-14');
    expect(await provider.getModel('gpt-4.1-nano-2025-04-14')).toEqual({ id: 'gpt-4.1-nano-2025-04-14', exists: false, shutdownDate: null });
  });

  it('finds files, and says undefined for a file the provider no longer has', async () => {
    expect(await provider.getFile(trainingFileId)).toMatchObject({ id: trainingFileId, purpose: 'fine-tune' });
    expect(await provider.getFile('file-doesnotexist')).toBeUndefined();
  });

  it('identifies the account by base URL, organization and project, never by key', () => {
    const p = openaiFor(fake, { organization: 'org-acme', project: 'proj_ft' });
    expect(p.accountKey()).toBe(`${fake.baseURL}#org=org-acme&project=proj_ft`);
    expect(p.accountKey()).not.toContain(fake.apiKey);
  });
});
