/**
 * The `tune` scenarios run against Azure OpenAI, Together and Fireworks through the built CLI
 * (`node bin/llmgw.js tune … --provider X`) and each provider's fake server: start, watch to
 * success, failure, cancel, retries on 429/5xx, a missing key, pre-flight refusals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../fakes/shared/faults.js';
import type { ServedFake } from '../fakes/together/serve.js';
import { FAILURE_PLAN as FIREWORKS_FAILURE } from '../fakes/fireworks/server.js';
import { FAILURE_PLAN as TOGETHER_FAILURE } from '../fakes/together/server.js';
import { azureProject, fireworksProject, togetherProject, type ProviderProject } from './providers-harness.js';

interface Case {
  provider: string;
  make: () => Promise<ProviderProject<ServedFake>>;
  model: string;
  keyEnv: string;
  /** Makes the next job fail. */
  failNext: (p: ProviderProject<ServedFake>) => void;
  createPath: string;
  getPath: string;
  modelShape: RegExp;
}

const CASES: Case[] = [
  {
    provider: 'together',
    make: togetherProject,
    model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
    keyEnv: 'TOGETHER_API_KEY',
    failNext: (p) => (p.fake as Awaited<ReturnType<typeof togetherProject>>['fake']).planNext(TOGETHER_FAILURE),
    createPath: '/v1/fine-tunes',
    getPath: '/v1/fine-tunes/*',
    modelShape: /^fakeuser\/Meta-Llama-3\.1-8B-Instruct-Reference-bikes-/,
  },
  {
    provider: 'fireworks',
    make: fireworksProject,
    model: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
    keyEnv: 'FIREWORKS_API_KEY',
    failNext: (p) => (p.fake as Awaited<ReturnType<typeof fireworksProject>>['fake']).planNext(FIREWORKS_FAILURE),
    createPath: '/v1/accounts/acme/supervisedFineTuningJobs',
    getPath: '/v1/accounts/acme/supervisedFineTuningJobs/*',
    modelShape: /^accounts\/acme\/models\//,
  },
  {
    provider: 'azure',
    make: azureProject,
    model: 'gpt-4.1-mini-2025-04-14',
    keyEnv: 'AZURE_OPENAI_API_KEY',
    failNext: (p) =>
      (p.fake as Awaited<ReturnType<typeof azureProject>>['fake']).openai.jobs.planNext({
        outcome: { failAt: 'running', error: { code: 'invalid_training_file', message: 'Training file has too few assistant tokens.', param: null } },
      }),
    createPath: '/openai/fine_tuning/jobs',
    getPath: '/openai/fine_tuning/jobs/*',
    modelShape: /^gpt-4\.1-mini-2025-04-14\.ft-/,
  },
];

let open: ProviderProject<ServedFake> | undefined;
afterEach(async () => {
  if (open) await open.expectNoKey();
  await open?.close();
  open = undefined;
});

async function setUp(c: Case): Promise<ProviderProject<ServedFake>> {
  open = await c.make();
  return open;
}

function startArgs(c: Case, extra: string[] = []): string[] {
  return ['tune', 'start', '--provider', c.provider, '--model', c.model, '--train', 'train.jsonl', '--epochs', '2', '--suffix', 'bikes', '--json', ...extra];
}

async function start(p: ProviderProject<ServedFake>, c: Case): Promise<string> {
  const r = await p.run(startArgs(c));
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { job: { id: string } }).job.id;
}

async function status(p: ProviderProject<ServedFake>, c: Case, id: string): Promise<{ status: string; fineTunedModel: string | null; provider: string }> {
  const r = await p.run(['tune', 'status', id, '--provider', c.provider, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { job: { status: string; fineTunedModel: string | null; provider: string } }).job;
}

const watch = (p: ProviderProject<ServedFake>, c: Case, id: string) => p.run(['tune', 'watch', id, '--provider', c.provider, '--interval', '0.01']);

describe.each(CASES)('tune against $provider (e2e)', (c) => {
  it('starts, watches to success and reports the fine-tuned model', async () => {
    const p = await setUp(c);
    const id = await start(p, c);
    const w = await watch(p, c, id);
    expect(w.code, w.stderr).toBe(0);
    const job = await status(p, c, id);
    expect(job).toMatchObject({ provider: c.provider, status: 'succeeded' });
    expect(job.fineTunedModel).toMatch(c.modelShape);
    expect(w.stdout + w.stderr).toContain(job.fineTunedModel ?? '?');
    // A provider whose result needs a deployment says so when the job succeeds.
    if (c.provider === 'azure') expect(w.stderr).toContain('--deployment');
  });

  it('a failed job makes watch exit 1', async () => {
    const p = await setUp(c);
    c.failNext(p);
    const id = await start(p, c);
    const w = await watch(p, c, id);
    expect(w.code).toBe(1);
    expect((await status(p, c, id)).status).toBe('failed');
  });

  it('cancels a running job (Fireworks: no cancel API, exit 2 naming firectl)', async () => {
    const p = await setUp(c);
    const id = await start(p, c);
    const r = await p.run(['tune', 'cancel', id, '--provider', c.provider]);
    if (c.provider === 'fireworks') {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`firectl supervised-fine-tuning-job cancel ${id}`);
      return;
    }
    expect(r.code, r.stderr).toBe(0);
    expect((await status(p, c, id)).status).toBe('cancelled');
  });

  it('retries a 429 on create and a 503 on polling, and still succeeds', async () => {
    const p = await setUp(c);
    const faults: FaultSpec[] = [
      { match: `POST ${c.createPath}`, status: 429, retryAfterMs: 5 },
      { match: `GET ${c.getPath}`, status: 503, retryAfterMs: 5 },
    ];
    p.fake.faults.push(...faults);
    const id = await start(p, c);
    expect((await watch(p, c, id)).code).toBe(0);
    expect(p.fake.requests.filter((r) => r.method === 'POST' && r.path === c.createPath)).toHaveLength(2);
    expect(p.fake.faults.pending()).toEqual([]);
  });

  it(`a missing key is exit 3 naming ${c.keyEnv}, with nothing sent`, async () => {
    const p = await setUp(c);
    const r = await p.run(startArgs(c), { [c.keyEnv]: undefined });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toContain(c.keyEnv);
    expect(p.fake.requests).toEqual([]);
  });
});

describe('pre-flight per provider (e2e)', () => {
  it('Fireworks has no DPO: --method dpo is exit 2 before anything is sent', async () => {
    const c = CASES[1] as Case;
    const p = await setUp(c);
    const r = await p.run(startArgs(c, ['--method', 'dpo']));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not offer dpo fine-tuning');
    expect(p.fake.requests).toEqual([]);
  });

  it('Azure refuses a base model it does not tune, naming the ones it does', async () => {
    const c = CASES[2] as Case;
    const p = await setUp(c);
    const r = await p.run(['tune', 'start', '--provider', 'azure', '--model', 'gpt-35-turbo-0613', '--train', 'train.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gpt-4.1-mini-2025-04-14');
    expect(p.fake.requests).toEqual([]);
  });

  it('Together refuses an epoch count above its limit, naming the range', async () => {
    const c = CASES[0] as Case;
    const p = await setUp(c);
    const r = await p.run(['tune', 'start', '--provider', 'together', '--model', c.model, '--train', 'train.jsonl', '--epochs', '50']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('from 1 to 20');
    expect(p.fake.requests).toEqual([]);
  });

  it('--provider mistral says the API is retired (exit 2)', async () => {
    const p = await setUp(CASES[0] as Case);
    const r = await p.run(['tune', 'start', '--provider', 'mistral', '--model', 'open-mistral-7b', '--train', 'train.jsonl'], { MISTRAL_API_KEY: 'mk-test' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('retired');
  });
});
