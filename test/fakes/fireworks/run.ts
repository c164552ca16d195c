/** The Fireworks fake as a process of its own (`npm run fake -- fireworks`). */
import type { RunningFake } from '../registry.js';
import { FAILURE_PLAN, startFakeFireworks } from './server.js';

export async function run(): Promise<RunningFake> {
  const fake = await startFakeFireworks();
  return {
    url: fake.url,
    env: { FIREWORKS_API_KEY: fake.apiKey, FIREWORKS_ACCOUNT_ID: fake.account, FIREWORKS_BASE_URL: fake.baseUrl },
    provider: 'fireworks',
    model: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
    createMatch: 'POST /v1/accounts/*/supervisedFineTuningJobs',
    faults: fake.faults,
    requests: fake.requests,
    failNextJob: () => fake.planNext(FAILURE_PLAN),
    close: fake.close,
  };
}
