import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factory } from '../../../src/core/providers/openai/index.js';
import type { FineTuningProvider, Job, ProviderSettings } from '../../../src/core/providers/types.js';
import type { FakeOpenAI } from '../../fakes/openai/index.js';

/** An OpenAI adapter pointed at the fake, with fast retries unless the test says otherwise. */
export function openaiFor(fake: FakeOpenAI, settings: Partial<ProviderSettings> = {}): FineTuningProvider {
  return factory.create({ apiKey: fake.apiKey, baseUrl: fake.baseURL, maxRetries: 2, timeoutMs: 5000, ...settings });
}

/** A temp dir with a small, realistic chat JSONL file of `lines` examples. */
export function tempDataset(lines = 12, name = 'train.jsonl'): { dir: string; path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-openai-'));
  const path = join(dir, name);
  writeFileSync(path, chatLines(lines));
  return { dir, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function chatLines(n: number): string {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(
      JSON.stringify({
        messages: [
          { role: 'system', content: 'You are a terse support agent for a bike shop.' },
          { role: 'user', content: `Do you have inner tubes in size ${26 + (i % 4)}"? (ticket ${i})` },
          { role: 'assistant', content: `Yes, ${26 + (i % 4)}" tubes are in stock at the front desk.` },
        ],
      }),
    );
  }
  return `${rows.join('\n')}\n`;
}

/** Catches a rejection so a test can assert on the error itself. */
export async function caught<E extends Error = Error & Record<string, unknown>>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected the promise to reject');
}

/** Polls a job until it ends (the fakes advance one state per read). */
/** Reads the job until `done` holds for it. */
export async function pollUntil(provider: FineTuningProvider, id: string, done: (job: Job) => boolean, reads = 60): Promise<Job> {
  for (let i = 0; i < reads; i++) {
    const job = await provider.getJob(id);
    if (done(job)) return job;
  }
  throw new Error('the job never reached the state looked for');
}

export async function pollToEnd(provider: FineTuningProvider, id: string, reads = 60): Promise<Job> {
  for (let i = 0; i < reads; i++) {
    const job = await provider.getJob(id);
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
  }
  throw new Error('job never finished');
}
