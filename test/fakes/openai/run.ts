/**
 * The OpenAI fake as a process of its own (`npm run fake -- openai`): its clock starts now and
 * moves 20 s with every request, so a job polled by `tune watch` finishes in a few dozen polls.
 * It answers chat completions too (every answer is "ok"), so `llmgw eval` can be tried against it.
 */
import type { RunningFake } from '../registry.js';
import { chatRequestHandler } from './chat.js';
import { DEFAULT_API_KEY } from './context.js';
import { failsWhileRunning } from './presets.js';
import { startFakeOpenAI } from './server.js';

export async function run(): Promise<RunningFake> {
  const fake = await startFakeOpenAI({ startTime: Date.now(), advancePerRequestMs: 20_000, chat: chatRequestHandler({ apiKey: DEFAULT_API_KEY }) });
  return {
    url: fake.url,
    env: { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseURL },
    provider: 'openai',
    model: 'gpt-4.1-mini-2025-04-14',
    createMatch: 'POST /v1/fine_tuning/jobs',
    faults: fake.faults,
    requests: fake.requests,
    failNextJob: () => fake.jobs.planNext(failsWhileRunning),
    close: fake.close,
  };
}
