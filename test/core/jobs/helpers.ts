/** Shared set-up for the jobs unit tests: the real OpenAI adapter against the fake, and a temp ledger. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, newLedgerId, type LedgerJob } from '../../../src/core/jobs/ledger.js';
import { factory } from '../../../src/core/providers/openai/index.js';
import type { FineTuningProvider } from '../../../src/core/providers/types.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../../fakes/openai/index.js';

export interface Bench {
  fake: FakeOpenAI;
  provider: FineTuningProvider;
  ledger: Ledger;
  dir: string;
  close(): Promise<void>;
}

export async function bench(options: FakeOpenAIOptions = {}, maxRetries = 0): Promise<Bench> {
  const fake = await startFakeOpenAI(options);
  const dir = await mkdtemp(join(tmpdir(), 'llmgw-jobs-'));
  const provider = factory.create({ apiKey: fake.apiKey, baseUrl: fake.baseURL, maxRetries });
  const ledger = new Ledger({ dir });
  return {
    fake,
    provider,
    ledger,
    dir,
    close: async () => {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function draft(over: Partial<LedgerJob> = {}): LedgerJob {
  const now = new Date().toISOString();
  return {
    ledgerId: newLedgerId(),
    provider: 'openai',
    account: 'acct',
    fingerprint: 'fp_test',
    state: 'creating',
    providerJobId: null,
    status: null,
    baseModel: 'gpt-4.1-mini-2025-04-14',
    method: 'supervised',
    hyperparameters: {},
    suffix: null,
    seed: null,
    metadata: {},
    training: { path: 'train.jsonl', sha256: 'ab', bytes: 1, fileId: null },
    validation: null,
    fineTunedModel: null,
    error: null,
    eventCursor: null,
    creator: null,
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

/** Uploads a small training file to the fake and returns its id. */
export async function trainingFile(b: Bench, text = '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n'): Promise<string> {
  const { writeFile } = await import('node:fs/promises');
  const { sha256File } = await import('../../../src/core/jobs/fingerprint.js');
  const path = join(b.dir, `train-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(path, text);
  const { sha256, bytes } = await sha256File(path);
  return (await b.provider.upload({ path, bytes, sha256 })).id;
}
