import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateJobRequest } from '../../../../src/core/providers/types.js';
import { newServiceAccount, writeKeyFile } from '../../../fakes/vertex/oauth.js';
import { chat, mark, setupVertex, until, type VertexSetup } from './helpers.js';

let v: VertexSetup;
beforeAll(async () => {
  v = await setupVertex({ maxExampleChars: 400 });
});
afterAll(async () => v.close());

const job = (trainingFileId: string, more: Partial<CreateJobRequest> = {}): CreateJobRequest => ({ ledgerId: `lj_${Math.random().toString(16).slice(2, 10)}`, baseModel: 'gemini-2.5-flash', trainingFileId, method: 'supervised', hyperparameters: { epochs: 1 }, ...more });

describe('Vertex configuration and credential problems: one message with the fix, exit 3', () => {
  it('refuses a missing project, a missing or global location, and a missing bucket', async () => {
    expect(() => v.provider({ project: undefined })).toThrow(expect.objectContaining({ code: 'vertex_project_missing', exitCode: 3, hint: expect.stringContaining('GOOGLE_CLOUD_PROJECT') }));
    expect(() => v.provider({ extra: { location: undefined } })).toThrow(expect.objectContaining({ code: 'vertex_location_missing', exitCode: 3, hint: expect.stringContaining('--location') }));
    expect(() => v.provider({ extra: { location: 'global' } })).toThrow(expect.objectContaining({ code: 'vertex_location_invalid', exitCode: 3 }));
    const data = await v.dataFile('nb.jsonl', [chat('a', 'b')]);
    await expect(v.provider({ extra: { bucket: undefined } }).upload(data)).rejects.toMatchObject({ code: 'vertex_bucket_missing', exitCode: 3, hint: expect.stringContaining('--bucket') });
  });

  it('names a bucket that does not exist, and one the caller may not write', async () => {
    const data = await v.dataFile('b.jsonl', [chat('a', 'b')]);
    await expect(v.provider({ extra: { bucket: 'gs://no-such-bucket' } }).upload(data)).rejects.toMatchObject({ code: 'gcs_bucket_not_found', exitCode: 3, hint: expect.stringContaining('gcloud storage buckets create') });
    v.fake.store.buckets.set('locked-bucket', new Map());
    v.fake.store.denied.add('locked-bucket');
    await expect(v.provider({ extra: { bucket: 'gs://locked-bucket' } }).upload(data)).rejects.toMatchObject({ code: 'provider_permission_denied', exitCode: 3, hint: expect.stringContaining('roles/storage.objectUser') });
  });

  it('says the key was refused when its signature does not match a known account', async () => {
    const stranger = join(v.dir, 'stranger.json');
    await writeKeyFile(stranger, newServiceAccount('llmgw-test', 'stranger'), `${v.fake.url}/token`);
    await expect(v.provider({ extra: { credentials: stranger } }).getJob('1')).rejects.toMatchObject({ code: 'google_credentials_rejected', exitCode: 3 });
    await expect(v.provider({ extra: { credentials: join(v.dir, 'missing.json') } }).getJob('1')).rejects.toMatchObject({ code: 'google_credentials_unreadable', exitCode: 3 });
    await writeFile(join(v.dir, 'apikey.json'), '{"type":"api_key","key":"x"}');
    await expect(v.provider({ extra: { credentials: join(v.dir, 'apikey.json') } }).getJob('1')).rejects.toMatchObject({ code: 'google_credentials_invalid', exitCode: 3 });
  });
});

describe('Vertex faults', () => {
  it('retries 429 RESOURCE_EXHAUSTED reads, gives up on a lasting 503 with exit 4', async () => {
    const p = v.provider({ maxRetries: 1 });
    v.fake.faults.push({ match: 'GET /v1/projects/*/locations/*/tuningJobs', status: 429 });
    await expect(p.listJobs()).resolves.toMatchObject({ data: expect.any(Array) });
    v.fake.faults.push({ match: 'GET /v1/projects/*/locations/*/tuningJobs', status: 503, times: 2 });
    await expect(p.listJobs()).rejects.toMatchObject({ code: 'provider_unavailable', exitCode: 4 });
    v.fake.faults.clear();
  });

  it('refuses a base model Vertex cannot tune (exit 2), and a seed', async () => {
    const p = v.provider();
    const file = await p.upload(await v.dataFile('m.jsonl', [chat('a', 'b')]));
    await expect(p.createJob(job(file.id, { baseModel: 'gemini-1.0-pro' }))).rejects.toMatchObject({ code: 'base_model_not_supported', exitCode: 2, hint: expect.stringContaining('gemini-2.5-flash') });
    await expect(p.createJob(job(file.id, { seed: 7 }))).rejects.toMatchObject({ code: 'seed_not_supported', exitCode: 2 });
  });

  it('refuses a validation set of more than 5,000 examples before creating anything', async () => {
    const p = v.provider();
    const train = await p.upload(await v.dataFile('vt.jsonl', [chat('a', 'b')]));
    const validation = await p.upload(await v.dataFile('vv.jsonl', Array.from({ length: 5001 }, (_, i) => chat(`q${i}`, 'a'))));
    const jobs = v.fake.jobs.size;
    await expect(p.createJob(job(train.id, { validationFileId: validation.id }))).rejects.toMatchObject({ code: 'validation_too_large', exitCode: 2, message: expect.stringContaining('5,001') });
    expect(v.fake.jobs.size).toBe(jobs);
  });

  it('resumes an upload whose connection dropped in the middle of a chunk', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => chat(`question ${i} ${'x'.repeat(2000)}`, `answer ${i}`));
    const data = await v.dataFile('big.jsonl', lines);
    v.fake.gcs.cutNextChunkAfter(300 * 1024);
    const p = v.provider({ uploadLimits: { uploadPartBytes: 512 * 1024 } });
    const seen: number[] = [];
    const file = await p.upload({ ...data, onProgress: (x) => seen.push(x.sentBytes) });
    const stored = v.fake.store.get('llmgw-data', file.id.replace('gs://llmgw-data/', ''));
    expect(stored?.data.toString().split('\n').filter(Boolean)).toHaveLength(400);
    expect(stored?.data.length).toBe(file.bytes);
    expect(v.fake.requests.some((r) => r.fault === 'cut_chunk')).toBe(true);
    expect(seen.at(-1)).toBe(file.bytes);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('refuses data it cannot convert, naming the line, and uploads nothing', async () => {
    const bad = await v.dataFile('bad.jsonl', [chat('a', 'b'), { messages: [{ role: 'user', content: 'no answer' }] }]);
    const before = v.fake.requests.length;
    await expect(v.provider().upload(bad)).rejects.toMatchObject({ code: 'vertex_conversion_failed', exitCode: 1, message: expect.stringContaining('line 2') });
    expect(v.fake.requests.slice(before).some((r) => r.path.startsWith('/upload/'))).toBe(false);
  });

  it('never makes a second job when the create answer is lost: the job is found by its label', async () => {
    const p = v.provider();
    const file = await p.upload(await v.dataFile('l.jsonl', [chat('a', 'b')]));
    v.fake.faults.push({ match: 'POST /v1/projects/*/locations/*/tuningJobs', loseResponse: true });
    const req = job(file.id);
    const before = v.fake.jobs.size;
    await expect(p.createJob(req)).rejects.toMatchObject({ code: 'job_create_unconfirmed', exitCode: 4 });
    expect(v.fake.jobs.size).toBe(before + 1);
    const found = await p.findCreatedJob(mark(req.ledgerId));
    expect(found).toMatchObject({ kind: 'found', job: { metadata: { llmgw_ledger_id: req.ledgerId } } });
  });

  it('cancels as Vertex does: CANCELLING, then CANCELLED with google.rpc.Code 1; a finished job cannot be cancelled', async () => {
    const p = v.provider();
    const file = await p.upload(await v.dataFile('c.jsonl', [chat('a', 'b')]));
    const created = await p.createJob(job(file.id, { hyperparameters: { epochs: 20 } }));
    const cancelling = await p.cancelJob(created.id);
    expect(cancelling.providerStatus).toBe('JOB_STATE_CANCELLING');
    const cancelled = await until(() => p.getJob(created.id), (j) => j.status === 'cancelled');
    expect(cancelled.error).toEqual({ code: 'CANCELLED', message: 'CANCELLED' });
    await expect(p.cancelJob(created.id)).rejects.toMatchObject({ exitCode: 2, providerCode: 'FAILED_PRECONDITION' });
  });

  it('reports an expired job as failed, and truncated examples by line', async () => {
    const p = v.provider();
    v.fake.nextOutcome('expire');
    const file = await p.upload(await v.dataFile('e.jsonl', [chat('a', 'b')]));
    const created = await p.createJob(job(file.id));
    const expired = await until(() => p.getJob(created.id), (j) => j.status === 'failed');
    expect(expired).toMatchObject({ providerStatus: 'JOB_STATE_EXPIRED', error: { code: 'JOB_STATE_EXPIRED' } });
    const long = await p.upload(await v.dataFile('t.jsonl', [chat('a', 'b'), chat('c', 'd'.repeat(600))]));
    const t = await p.createJob(job(long.id));
    await until(() => p.getJob(t.id), (j) => j.status === 'succeeded');
    const events = (await p.listEvents(t.id)).data.map((e) => e.message);
    expect(events).toContain("Vertex truncated 1 example(s) to the model's token limit: line(s) 2 of the training file.");
  });
});
