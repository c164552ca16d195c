/** The Azure OpenAI fake as a process of its own (`npm run fake -- azure`), jobs moving as it is polled. */
import type { RunningFake } from '../registry.js';
import { failsWhileRunning } from '../openai/presets.js';
import { startFakeAzure } from './server.js';

export async function run(): Promise<RunningFake> {
  const fake = await startFakeAzure({ openai: { startTime: Date.now(), advancePerRequestMs: 20_000 } });
  return {
    url: fake.url,
    env: { AZURE_OPENAI_API_KEY: fake.apiKey, AZURE_OPENAI_ENDPOINT: fake.endpoint },
    provider: 'azure',
    model: 'gpt-4.1-mini-2025-04-14',
    createMatch: 'POST /openai/fine_tuning/jobs',
    faults: fake.faults,
    requests: fake.requests,
    failNextJob: () => fake.openai.jobs.planNext(failsWhileRunning),
    close: fake.close,
  };
}
