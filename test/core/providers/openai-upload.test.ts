import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai/index.js';
import { caught, openaiFor, tempDataset } from './helpers.js';

describe('OpenAI adapter: uploads', () => {
  let fake: FakeOpenAI;
  const data = tempDataset(40);
  const size = statSync(data.path).size;

  beforeAll(async () => {
    // A tiny single-upload limit so a 40-line file goes through the Uploads API.
    fake = await startFakeOpenAI({ maxFileBytes: 1024, maxPartBytes: 1024 });
  });
  afterEach(() => fake.faults.clear());
  afterAll(async () => {
    await fake.close();
    data.cleanup();
  });

  it('uploads a small file in one POST /files with purpose fine-tune', async () => {
    const small = tempDataset(2);
    const progress: number[] = [];
    const provider = openaiFor(fake);
    const file = await provider.upload({ path: small.path, bytes: 0, sha256: '', onProgress: (p) => progress.push(p.sentBytes) });
    const stored = fake.state.files.get(file.id);
    expect(stored?.content?.toString()).toBe(readFileSync(small.path, 'utf8'));
    expect(file).toMatchObject({ purpose: 'fine-tune', filename: 'train.jsonl', bytes: statSync(small.path).size });
    expect(fake.count('POST /v1/files')).toBe(1);
    expect(progress.at(-1)).toBe(statSync(small.path).size);
    small.cleanup();
  });

  it('sends a file over the single-upload limit through the Uploads API in ordered parts', async () => {
    const partBytes = 700;
    const provider = openaiFor(fake, { uploadLimits: { maxSingleUploadBytes: 1024, uploadPartBytes: partBytes, concurrency: 3 } });
    const progress: number[] = [];
    const before = fake.requests.length;
    const file = await provider.upload({ path: data.path, bytes: size, sha256: '', onProgress: (p) => progress.push(p.sentBytes) });

    const expectedParts = Math.ceil(size / partBytes);
    const upload = [...fake.state.uploads.values()].find((u) => u.object.file?.id === file.id);
    expect(upload?.object.status).toBe('completed');
    expect(upload?.completedOrder).toHaveLength(expectedParts);
    // Parts were completed in file order, whatever order they arrived in: the stored bytes equal the file.
    expect(fake.state.files.get(file.id)?.content?.equals(readFileSync(data.path))).toBe(true);
    const partSizes = upload?.completedOrder?.map((id) => upload.parts.get(id)?.bytes);
    expect(partSizes?.slice(0, -1).every((b) => b === partBytes)).toBe(true);
    expect(file.bytes).toBe(size);
    const newRequests = fake.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/upload_\w+/, 'U')}`);
    expect(newRequests.filter((r) => r === 'POST /v1/uploads/U/parts')).toHaveLength(expectedParts);
    expect(newRequests.filter((r) => r === 'POST /v1/files')).toHaveLength(0);
    expect(JSON.parse(fake.requests.find((r) => r.path.endsWith('/complete'))?.bodyText ?? '{}').part_ids).toEqual(upload?.completedOrder);
    expect(progress.at(-1)).toBe(size);
  });

  it('retries a part the server failed (the SDK sends the part again from disk)', async () => {
    const provider = openaiFor(fake, { uploadLimits: { maxSingleUploadBytes: 1024, uploadPartBytes: 900, concurrency: 2 } });
    fake.faults.push({ match: 'POST /v1/uploads/*/parts', status: 503, retryAfterMs: 5 });
    const file = await provider.upload({ path: data.path, bytes: size, sha256: '' });
    expect(fake.state.files.get(file.id)?.content?.equals(readFileSync(data.path))).toBe(true);
    expect(fake.requests.filter((r) => r.fault === 'status_503')).toHaveLength(1);
  });

  it('retries a single upload after a 500, sending the whole file again', async () => {
    const small = tempDataset(3);
    fake.faults.push({ match: 'POST /v1/files', status: 500, retryAfterMs: 5 });
    const file = await openaiFor(fake).upload({ path: small.path, bytes: 0, sha256: '' });
    expect(fake.state.files.get(file.id)?.content?.toString()).toBe(readFileSync(small.path, 'utf8'));
    small.cleanup();
  });

  it('cancels the upload when a part keeps failing, and reports a retryable provider error', async () => {
    const provider = openaiFor(fake, { maxRetries: 1, uploadLimits: { maxSingleUploadBytes: 1024, uploadPartBytes: 900 } });
    fake.faults.push({ match: 'POST /v1/uploads/*/parts', status: 500, times: 100, retryAfterMs: 1 });
    const err = await caught(provider.upload({ path: data.path, bytes: size, sha256: '' }));
    expect(err).toMatchObject({ code: 'provider_unavailable', exitCode: 4, retryable: true, status: 500 });
    const cancelled = [...fake.state.uploads.values()].filter((u) => u.object.status === 'cancelled');
    expect(cancelled).toHaveLength(1);
    expect(fake.count('POST /v1/uploads/*/cancel')).toBe(1);
  });
});

describe('OpenAI adapter: upload edge cases', () => {
  it('uses an injected fetch for uploads too', async () => {
    const fake = await startFakeOpenAI();
    const small = tempDataset(3);
    const seen: string[] = [];
    const spy: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      // The SDK probes fetch's FormData support with a data: URL first.
      if (url.protocol === 'http:') seen.push(`${init?.method} ${url.pathname}`);
      return fetch(input, init);
    };
    const file = await openaiFor(fake, { fetch: spy }).upload({ path: small.path, bytes: 0, sha256: '' });
    expect(seen).toEqual(['POST /v1/files']);
    expect(fake.state.files.get(file.id)?.content?.toString()).toBe(readFileSync(small.path, 'utf8'));
    await fake.close();
    small.cleanup();
  });

  it('times out a stalled upload as a retryable provider error', async () => {
    const fake = await startFakeOpenAI();
    const small = tempDataset(3);
    fake.faults.push({ match: 'POST /v1/files', delayMs: 500, times: 2 });
    const err = await caught(openaiFor(fake, { timeoutMs: 100, maxRetries: 1 }).upload({ path: small.path, bytes: 0, sha256: '' }));
    expect(err).toMatchObject({ code: 'provider_timeout', exitCode: 4, retryable: true });
    expect(fake.count('POST /v1/files')).toBe(2);
    await fake.close();
    small.cleanup();
  });

  it('sends an empty file as an empty part (the provider decides what it thinks of it)', async () => {
    const fake = await startFakeOpenAI();
    const empty = tempDataset(0, 'empty.jsonl');
    writeFileSync(empty.path, '');
    const file = await openaiFor(fake).upload({ path: empty.path, bytes: 0, sha256: '' });
    expect(file.bytes).toBe(0);
    await fake.close();
    empty.cleanup();
  });
});
