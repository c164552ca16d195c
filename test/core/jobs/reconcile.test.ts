import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256File } from '../../../src/core/jobs/fingerprint.js';
import { Ledger } from '../../../src/core/jobs/ledger.js';
import { reconcile, tagsJobs } from '../../../src/core/jobs/reconcile.js';
import { createOnce } from '../../../src/core/jobs/submit.js';
import { factory } from '../../../src/core/providers/together/index.js';
import { startFakeTogether, type FakeTogether } from '../../fakes/together/server.js';
import { draft } from './helpers.js';

const BASE = 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference';
let fake: FakeTogether | undefined;
let dir = '';
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
});

describe('reconcile on a provider without job metadata (Together)', () => {
  it('finds the job a lost answer created by its file and base model, and never claims another entry’s job', async () => {
    fake = await startFakeTogether();
    dir = await mkdtemp(join(tmpdir(), 'llmgw-reconcile-'));
    const provider = factory.create({ apiKey: fake.apiKey, baseUrl: fake.baseUrl, maxRetries: 0 });
    expect(tagsJobs(provider.capabilities)).toBe(false);
    const ledger = new Ledger({ dir });
    const path = join(dir, 'train.jsonl');
    await writeFile(path, '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
    const { sha256, bytes } = await sha256File(path);
    const file = await provider.upload({ path, bytes, sha256 });
    // The fake's clock starts at 2026-11-24 09:00 UTC; the entries are written "then" too.
    const at = { createdAt: '2026-11-24T09:00:00.000Z', updatedAt: '2026-11-24T09:00:00.000Z' };
    const request = { baseModel: BASE, trainingFileId: file.id, method: 'supervised' as const, hyperparameters: {} };

    const first = draft({ ...at, provider: 'together', baseModel: BASE, training: { path, sha256, bytes, fileId: file.id } });
    await ledger.append(first);
    const firstJob = await createOnce(provider, ledger, first, request);

    const second = draft({ ...at, provider: 'together', baseModel: BASE, training: { path, sha256, bytes, fileId: file.id } });
    await ledger.append(second);
    fake.faults.push({ match: 'POST /v1/fine-tunes', loseResponse: true });
    const secondJob = await createOnce(provider, ledger, second, request);
    expect(secondJob.id).not.toBe(firstJob.id);
    expect(fake.jobs.size).toBe(2);
    expect(secondJob.metadata).toEqual({});

    const third = draft({ ...at, provider: 'together', baseModel: BASE, training: { path, sha256, bytes, fileId: file.id } });
    await ledger.append(third);
    expect(await reconcile(provider, ledger, third)).toBeUndefined();
  });
});
