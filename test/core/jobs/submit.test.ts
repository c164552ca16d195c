import { afterEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/core/jobs/reconcile.js';
import { createOnce, findExisting } from '../../../src/core/jobs/submit.js';
import { cachedUpload, ensureUploaded } from '../../../src/core/jobs/upload-cache.js';
import { sha256File } from '../../../src/core/jobs/fingerprint.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bench, draft, trainingFile, type Bench } from './helpers.js';

let b: Bench | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

const request = (fileId: string) => ({ baseModel: 'gpt-4.1-mini-2025-04-14', trainingFileId: fileId, method: 'supervised' as const, hyperparameters: {} });

describe('createOnce', () => {
  it('tags the job with its ledger id and records the provider id', async () => {
    b = await bench();
    const fileId = await trainingFile(b);
    const entry = draft();
    await b.ledger.append(entry);
    const job = await createOnce(b.provider, b.ledger, entry, request(fileId));
    expect(job.metadata.llmgw_ledger_id).toBe(entry.ledgerId);
    expect(await b.ledger.find(entry.ledgerId)).toMatchObject({ state: 'created', providerJobId: job.id });
  });

  it('finds the job after a lost answer instead of creating a second one', async () => {
    b = await bench();
    const fileId = await trainingFile(b);
    const entry = draft();
    await b.ledger.append(entry);
    b.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', loseResponse: true });
    const reconciles: number[] = [];
    const job = await createOnce(b.provider, b.ledger, entry, request(fileId), { onReconcile: (_e, n) => void reconciles.push(n) });
    expect(b.fake.state.jobs.size).toBe(1);
    expect(job.id).toBe([...b.fake.state.jobs.keys()][0]);
    expect(reconciles).toEqual([1]);
  });

  it('leaves the entry `creating` when the outcome stays unknown, so the next start reconciles it', async () => {
    b = await bench();
    const fileId = await trainingFile(b);
    const entry = draft();
    await b.ledger.append(entry);
    b.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', times: 3, status: 503 });
    await expect(createOnce(b.provider, b.ledger, entry, request(fileId))).rejects.toMatchObject({ code: 'provider_unavailable' });
    expect((await b.ledger.find(entry.ledgerId))?.state).toBe('creating');
    expect(b.fake.state.jobs.size).toBe(0);
  });

  it('marks a refused request create_failed', async () => {
    b = await bench();
    const entry = draft();
    await b.ledger.append(entry);
    await expect(createOnce(b.provider, b.ledger, entry, request('file-missing'))).rejects.toMatchObject({ exitCode: 2 });
    expect(await b.ledger.find(entry.ledgerId)).toMatchObject({ state: 'create_failed', providerJobId: null });
  });
});

describe('findExisting', () => {
  it('reports an active job with the same fingerprint, but not a failed one', async () => {
    b = await bench();
    const fileId = await trainingFile(b);
    const entry = draft({ fingerprint: 'fp_x', account: b.provider.accountKey() });
    await b.ledger.append(entry);
    const job = await createOnce(b.provider, b.ledger, entry, request(fileId));
    expect(await findExisting(b.provider, b.ledger, 'fp_x')).toMatchObject({ kind: 'duplicate', job: { id: job.id } });
    expect(await findExisting(b.provider, b.ledger, 'fp_other')).toBeUndefined();
    await b.provider.cancelJob(job.id);
    expect(await findExisting(b.provider, b.ledger, 'fp_x')).toBeUndefined();
  });

  it('settles a `creating` entry left by a crash: the job it made is found by its ledger id', async () => {
    b = await bench();
    const fileId = await trainingFile(b);
    const entry = draft({ fingerprint: 'fp_crash', account: b.provider.accountKey() });
    await b.ledger.append(entry);
    // The create reached the provider, then the process died before recording the answer.
    const job = await b.provider.createJob({ ...request(fileId), ledgerId: entry.ledgerId });
    const found = await findExisting(b.provider, b.ledger, 'fp_crash');
    expect(found).toMatchObject({ kind: 'duplicate', job: { id: job.id } });
    expect(await b.ledger.find(entry.ledgerId)).toMatchObject({ state: 'created', providerJobId: job.id, creator: null });
    expect(await reconcile(b.provider, b.ledger, draft({ ledgerId: 'lj_never' }))).toEqual({ kind: 'absent' });
  });

  it('hands back an entry whose create never reached the provider, to create it under the same ledger id', async () => {
    b = await bench();
    const entry = draft({ fingerprint: 'fp_storm', account: b.provider.accountKey() });
    await b.ledger.append(entry);
    expect(await findExisting(b.provider, b.ledger, 'fp_storm')).toMatchObject({ kind: 'retry', entry: { ledgerId: entry.ledgerId } });
  });
});

describe('ensureUploaded', () => {
  it('uploads once per content hash, and again when the provider lost the file', async () => {
    b = await bench();
    const path = join(b.dir, 'train.jsonl');
    await writeFile(path, '{"messages":[]}\n');
    const { sha256, bytes } = await sha256File(path);
    const req = { path, filename: 'train.jsonl', sha256, bytes };
    const first = await ensureUploaded(b.provider, b.ledger, req);
    const second = await ensureUploaded(b.provider, b.ledger, req);
    expect(first.reused).toBe(false);
    expect(second).toMatchObject({ reused: true, file: { id: first.file.id } });
    expect(b.fake.count('POST /v1/files')).toBe(1);
    b.fake.state.files.delete(first.file.id);
    const third = await ensureUploaded(b.provider, b.ledger, req);
    expect(third.reused).toBe(false);
    expect(third.file.id).not.toBe(first.file.id);
  });

  it('where the uploaded file depends on the base model (uploadsByModel), reuses it per model, and --dry-run finds it', async () => {
    b = await bench();
    const byModel = Object.assign(Object.create(b.provider) as typeof b.provider, { capabilities: { ...b.provider.capabilities, uploadsByModel: true } });
    const path = join(b.dir, 'train.jsonl');
    await writeFile(path, '{"messages":[]}\n');
    const { sha256, bytes } = await sha256File(path);
    const req = { path, filename: 'train.jsonl', sha256, bytes };
    const first = await ensureUploaded(byModel, b.ledger, { ...req, baseModel: 'model-a' });
    expect((await ensureUploaded(byModel, b.ledger, { ...req, baseModel: 'model-a' })).reused).toBe(true);
    expect((await ensureUploaded(byModel, b.ledger, { ...req, baseModel: 'model-b' })).reused).toBe(false);
    expect(b.fake.count('POST /v1/files')).toBe(2);
    expect((await cachedUpload(b.ledger, byModel, sha256, 'model-a'))?.fileId).toBe(first.file.id);
    expect(await cachedUpload(b.ledger, byModel, sha256, 'model-c')).toBeUndefined();
  });
});
