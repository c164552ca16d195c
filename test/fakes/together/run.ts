/** The Together fake as a process of its own (`npm run fake -- together`). */
import type { RunningFake } from '../registry.js';
import { FAILURE_PLAN, startFakeTogether } from './server.js';

export async function run(): Promise<RunningFake> {
  const fake = await startFakeTogether();
  return {
    url: fake.url,
    env: { TOGETHER_API_KEY: fake.apiKey, TOGETHER_BASE_URL: fake.baseUrl },
    provider: 'together',
    model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
    createMatch: 'POST /v1/fine-tunes',
    faults: fake.faults,
    requests: fake.requests,
    failNextJob: () => fake.planNext(FAILURE_PLAN),
    close: fake.close,
  };
}
