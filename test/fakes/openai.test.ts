import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failsValidation, failsWhileRunning, startFakeOpenAI, type FakeOpenAI } from './openai/index.js';

/** The fake checked through the real SDK (and raw fetch where the SDK would hide the wire). */
describe('fake OpenAI server', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  let fileId: string;

  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${fake.baseURL}${path}`, { ...init, headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json', ...init.headers } });
  const createRaw = async (body: unknown) => {
    const res = await raw('/fine_tuning/jobs', { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { error?: { message: string; type: string; param: string | null; code: string | null }; id?: string } };
  };
  const jsonl = '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n';

  beforeAll(async () => {
    fake = await startFakeOpenAI({ maxFileBytes: 4096, maxPartBytes: 64, jobPlan: { validatingMs: 1000, queuedMs: 1000, steps: 4, stepMs: 500 } });
    client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
    fileId = (await client.files.create({ file: await toFile(Buffer.from(jsonl), 'train.jsonl'), purpose: 'fine-tune' })).id;
  });
  beforeEach(() => fake.faults.clear());
  afterAll(() => fake.close());

  it('answers a missing or wrong key with 401 in the real error shape', async () => {
    const none = await fetch(`${fake.baseURL}/files`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${fake.baseURL}/files`, { headers: { authorization: 'Bearer sk-not-the-key-1234' } });
    const body = (await wrong.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error', param: null });
    expect(wrong.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('stores multipart uploads with their bytes, and enforces purpose, extension and the size limit', async () => {
    expect(fake.state.files.get(fileId)?.content?.toString()).toBe(jsonl);
    expect((await client.files.retrieve(fileId)).purpose).toBe('fine-tune');
    await expect(client.files.create({ file: await toFile(Buffer.from(jsonl), 'train.csv'), purpose: 'fine-tune' })).rejects.toMatchObject({ status: 400, code: 'invalid_file_format' });
    await expect(client.files.create({ file: await toFile(Buffer.alloc(5000, 97), 'big.jsonl'), purpose: 'fine-tune' })).rejects.toMatchObject({ status: 400, code: 'file_too_large' });
    await expect(client.files.create({ file: await toFile(Buffer.from(jsonl), 'x.jsonl'), purpose: 'nonsense' as 'fine-tune' })).rejects.toMatchObject({ status: 400, param: 'purpose' });
  });

  it('lists files newest first with cursor pagination, and deletes them', async () => {
    const extra = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'b.jsonl'), purpose: 'fine-tune' });
    const first = await client.files.list({ limit: 1 });
    expect(first.data[0]?.id).toBe(extra.id);
    expect(first.has_more).toBe(true);
    const ids: string[] = [];
    for await (const f of client.files.list({ limit: 1 })) ids.push(f.id);
    expect(ids).toEqual([extra.id, fileId]);
    await client.files.delete(extra.id);
    await expect(client.files.retrieve(extra.id)).rejects.toMatchObject({ status: 404 });
  });

  it('assembles an Upload from parts in the order complete names, and checks the byte total', async () => {
    const bytes = Buffer.from('0123456789'.repeat(10));
    const upload = await client.uploads.create({ bytes: bytes.length, filename: 'u.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
    const second = await client.uploads.parts.create(upload.id, { data: await toFile(bytes.subarray(60), 'p') });
    const first = await client.uploads.parts.create(upload.id, { data: await toFile(bytes.subarray(0, 60), 'p') });
    await expect(client.uploads.parts.create(upload.id, { data: await toFile(Buffer.alloc(65), 'p') })).rejects.toMatchObject({ status: 400, code: 'part_too_large' });
    await expect(client.uploads.complete(upload.id, { part_ids: [first.id] })).rejects.toMatchObject({ status: 400, code: 'upload_size_mismatch' });
    const done = await client.uploads.complete(upload.id, { part_ids: [first.id, second.id] });
    expect(done.status).toBe('completed');
    expect(fake.state.files.get(done.file?.id ?? '')?.content?.equals(bytes)).toBe(true);
    await expect(client.uploads.parts.create(upload.id, { data: await toFile(Buffer.from('x'), 'p') })).rejects.toMatchObject({ status: 400, code: 'upload_not_pending' });
  });

  it('cancels and expires uploads', async () => {
    const a = await client.uploads.create({ bytes: 10, filename: 'a.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
    expect((await client.uploads.cancel(a.id)).status).toBe('cancelled');
    const b = await client.uploads.create({ bytes: 10, filename: 'b.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
    fake.clock.advance(3600_000);
    await expect(client.uploads.parts.create(b.id, { data: await toFile(Buffer.from('x'), 'p') })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('expired') });
    await expect(client.uploads.create({ bytes: 10, filename: 'c.jsonl', mime_type: 'text/csv', purpose: 'fine-tune' })).rejects.toMatchObject({ param: 'mime_type' });
  });

  it.each([
    [{ training_file: 'x' }, 'model', 'missing_required_parameter'],
    [{ model: 'gpt-4.1-2025-04-14' }, 'training_file', 'missing_required_parameter'],
    [{ model: 'gpt-5-tuned', training_file: 'FILE' }, 'model', 'model_not_available'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', suffix: 'x'.repeat(65) }, 'suffix', 'string_above_max_length'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', suffix: 'a:b' }, 'suffix', 'invalid_value'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', seed: -1 }, 'seed', 'invalid_value'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 51 } } } }, 'method.supervised.hyperparameters.n_epochs', 'invalid_value'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', method: { type: 'supervised', supervised: { hyperparameters: { batch_size: 0 } } } }, 'method.supervised.hyperparameters.batch_size', 'invalid_value'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', method: { type: 'supervised', supervised: { hyperparameters: { learning_rate_multiplier: 0 } } } }, 'method.supervised.hyperparameters.learning_rate_multiplier', 'invalid_value'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', method: { type: 'supervised', supervised: { hyperparameters: { beta: 0.1 } } } }, 'method.supervised.hyperparameters.beta', 'unknown_parameter'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', method: { type: 'dpo', dpo: { hyperparameters: { beta: 2.5 } } } }, 'method.dpo.hyperparameters.beta', 'invalid_value'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', method: { type: 'reinforcement' } }, 'method.reinforcement.grader', 'missing_required_parameter'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata', 'object_above_max_properties'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', metadata: { k: 'v'.repeat(513) } }, 'metadata.k', 'string_above_max_length'],
    [{ model: 'gpt-4.1-2025-04-14', training_file: 'FILE', n_epochs: 3 }, 'n_epochs', 'unknown_parameter'],
  ])('rejects an invalid job request %# with a 400 naming the field', async (body, param, code) => {
    const withFile = JSON.parse(JSON.stringify(body).replace('"FILE"', JSON.stringify(fileId)));
    const res = await createRaw(withFile);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ param, code, type: 'invalid_request_error' });
    expect(res.body.error?.message.length).toBeGreaterThan(10);
  });

  it('refuses a training file that does not exist or has the wrong purpose', async () => {
    expect((await createRaw({ model: 'gpt-4.1-2025-04-14', training_file: 'file-nope' })).body.error).toMatchObject({ param: 'training_file' });
    const batch = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'b.jsonl'), purpose: 'batch' });
    expect((await createRaw({ model: 'gpt-4.1-2025-04-14', training_file: fileId, validation_file: batch.id })).body.error).toMatchObject({ param: 'validation_file', code: 'invalid_file_purpose' });
  });

  it('runs a job through its states on the test clock and makes a model in the real id format', async () => {
    const job = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: fileId, suffix: 'shop-bot' });
    expect(job.status).toBe('validating_files');
    const seen = [job.status as string];
    for (let i = 0; i < 10; i++) {
      fake.clock.advance(500);
      const s = (await client.fineTuning.jobs.retrieve(job.id)).status;
      if (s !== seen.at(-1)) seen.push(s);
    }
    expect(seen).toEqual(['validating_files', 'queued', 'running', 'succeeded']);
    const done = await client.fineTuning.jobs.retrieve(job.id);
    expect(done.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:llmgw-test:shop-bot:[A-Za-z0-9]{8}$/);
    expect(done.finished_at).toBeGreaterThanOrEqual(done.created_at);
    expect((await client.models.retrieve(done.fine_tuned_model ?? '')).id).toBe(done.fine_tuned_model);
    // A fine-tuned model can be tuned again.
    const again = await client.fineTuning.jobs.create({ model: done.fine_tuned_model ?? '', training_file: fileId });
    expect(again.model).toBe(done.fine_tuned_model);
    await expect(client.fineTuning.jobs.cancel(job.id)).rejects.toMatchObject({ status: 400, code: 'job_not_cancellable' });
  });

  it('pauses a running job (the clock no longer moves it) and resumes it from where it was', async () => {
    const job = await client.fineTuning.jobs.create({ model: 'gpt-4.1-2025-04-14', training_file: fileId });
    fake.jobs.step(job.id, 3);
    expect((await client.fineTuning.jobs.pause(job.id)).status).toBe('paused');
    fake.clock.advance(60_000);
    expect((await client.fineTuning.jobs.retrieve(job.id)).status).toBe('paused');
    await expect(client.fineTuning.jobs.pause(job.id)).rejects.toMatchObject({ status: 400, code: 'job_not_pausable' });
    expect((await client.fineTuning.jobs.resume(job.id)).status).toBe('queued');
    expect(fake.jobs.finish(job.id).object.status).toBe('succeeded');
    expect(fake.jobs.get(job.id).events.filter((e) => e.type === 'metrics')).toHaveLength(4);
  });

  it('fails jobs the way their plan says, with the error on the job and an error event', async () => {
    fake.jobs.planNext(failsValidation);
    fake.jobs.planNext(failsWhileRunning);
    const a = await client.fineTuning.jobs.create({ model: 'gpt-4.1-2025-04-14', training_file: fileId });
    const b = await client.fineTuning.jobs.create({ model: 'gpt-4.1-2025-04-14', training_file: fileId });
    expect(fake.jobs.finish(a.id).object).toMatchObject({ status: 'failed', error: { param: 'training_file', code: 'invalid_training_file' } });
    expect(fake.jobs.finish(b.id).object.status).toBe('failed');
    expect(fake.jobs.get(b.id).events.some((e) => e.type === 'metrics')).toBe(true);
    const events = await client.fineTuning.jobs.listEvents(a.id);
    expect(events.data[0]).toMatchObject({ level: 'error', message: expect.stringContaining('invalid training file') });
  });

  it('injects faults: status with Retry-After, a dropped connection, a lost response after the effect', async () => {
    fake.faults.push({ match: 'GET /v1/fine_tuning/jobs', status: 429, retryAfter: 3, skip: 1 });
    expect((await raw('/fine_tuning/jobs')).status).toBe(200);
    const limited = await raw('/fine_tuning/jobs');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');

    fake.faults.push({ match: 'GET /v1/files/*', drop: true });
    await expect(raw(`/files/${fileId}`)).rejects.toThrow();

    fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', loseResponse: true });
    const before = fake.state.jobs.size;
    await expect(createRaw({ model: 'gpt-4.1-2025-04-14', training_file: fileId })).rejects.toThrow();
    expect(fake.state.jobs.size).toBe(before + 1);
    expect(fake.faults.pending()).toEqual([]);
  });

  it('answers unknown paths with the real "Invalid URL" 404', async () => {
    const res = await raw('/fine_tuning/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Invalid URL (GET /v1/fine_tuning/nope)');
  });
});
