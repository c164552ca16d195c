import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256File } from '../../../src/core/jobs/fingerprint.js';
import { Ledger } from '../../../src/core/jobs/ledger.js';
import { reconcile } from '../../../src/core/jobs/reconcile.js';
import { createOnce } from '../../../src/core/jobs/submit.js';
import { factory } from '../../../src/core/providers/azure/index.js';
import type { FineTuningProvider } from '../../../src/core/providers/types.js';
import { startFakeAzure, type FakeAzure } from '../../fakes/azure/server.js';
import { draft } from './helpers.js';

const BASE = 'gpt-4.1-mini-2025-04-14';
let fake: FakeAzure | undefined;
let dir = '';
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
});

async function azureBench(): Promise<{ provider: FineTuningProvider; ledger: Ledger; file: { id: string; path: string; sha256: string; bytes: number }; fake: FakeAzure }> {
  const f = await startFakeAzure();
  fake = f;
  dir = await mkdtemp(join(tmpdir(), 'llmgw-reconcile-'));
  const provider = factory.create({ apiKey: f.apiKey, baseUrl: f.endpoint, maxRetries: 0 });
  const path = join(dir, 'train.jsonl');
  await writeFile(path, '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
  const { sha256, bytes } = await sha256File(path);
  const uploaded = await provider.upload({ path, bytes, sha256 });
  return { provider, ledger: new Ledger({ dir }), file: { id: uploaded.id, path, sha256, bytes }, fake: f };
}

describe('reconcile on Azure OpenAI (no job metadata: the ledger id rides in the suffix)', () => {
  it('finds the job a lost answer created, so the fake holds exactly one job', async () => {
    const { provider, ledger, file, fake: f } = await azureBench();
    const entry = draft({ provider: 'azure', baseModel: BASE, training: { path: file.path, sha256: file.sha256, bytes: file.bytes, fileId: file.id } });
    await ledger.append(entry);
    f.faults.push({ match: 'POST /openai/fine_tuning/jobs', loseResponse: true });
    const job = await createOnce(provider, ledger, entry, { baseModel: BASE, trainingFileId: file.id, method: 'supervised', hyperparameters: {} });
    expect(f.openai.state.jobs.size).toBe(1);
    expect(job.suffix).toBe(entry.ledgerId);
    expect(await ledger.find(entry.ledgerId)).toMatchObject({ state: 'created', providerJobId: job.id });
    // Another entry for the same file and model is not fooled by that job: nothing carries its mark.
    expect(await reconcile(provider, ledger, draft({ provider: 'azure', baseModel: BASE, training: entry.training }))).toEqual({ kind: 'absent' });
  });

  it('with a suffix of the user’s: one matching job is the one; a job another entry holds is never taken', async () => {
    const { provider, ledger, file, fake: f } = await azureBench();
    const training = { path: file.path, sha256: file.sha256, bytes: file.bytes, fileId: file.id };
    const request = { baseModel: BASE, trainingFileId: file.id, method: 'supervised' as const, hyperparameters: {}, suffix: 'helpdesk' };
    const first = draft({ provider: 'azure', baseModel: BASE, suffix: 'helpdesk', training });
    await ledger.append(first);
    f.faults.push({ match: 'POST /openai/fine_tuning/jobs', loseResponse: true });
    const job = await createOnce(provider, ledger, first, request);
    expect(job.suffix).toBe('helpdesk');
    expect(f.openai.state.jobs.size).toBe(1);

    const second = draft({ provider: 'azure', baseModel: BASE, suffix: 'helpdesk', training });
    await ledger.append(second);
    const lookup = await reconcile(provider, ledger, second);
    expect(lookup).toMatchObject({ kind: 'unknown', candidates: [job.id] });
    f.faults.push({ match: 'POST /openai/fine_tuning/jobs', loseResponse: true });
    const err = await createOnce(provider, ledger, second, request).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'job_create_undecided', exitCode: 4 });
    expect(String((err as { hint: string }).hint)).toContain(`llmgw tune resolve ${second.ledgerId} --not-created`);
    expect(f.openai.state.jobs.size).toBe(2);
    expect(await ledger.find(second.ledgerId)).toMatchObject({ state: 'creating', creator: null });
  });

  it('says unknown, never absent, when the job list cannot be read to its end', async () => {
    const { provider, ledger, file, fake: f } = await azureBench();
    const entry = draft({ provider: 'azure', baseModel: BASE, training: { path: file.path, sha256: file.sha256, bytes: file.bytes, fileId: file.id } });
    await ledger.append(entry);
    await provider.createJob({ ledgerId: 'lj_00000000000000000abc', baseModel: BASE, trainingFileId: file.id, method: 'supervised', hyperparameters: {} });
    // The list says there is more, and answers the same page whatever the cursor.
    f.openai.breakPaging();
    const before = f.requests.length;
    expect(await reconcile(provider, ledger, entry)).toMatchObject({ kind: 'unknown' });
    expect(f.requests.length - before).toBeLessThan(5);
  });
});
