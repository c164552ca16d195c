/**
 * Never two paid jobs for one start, on the providers that have no job metadata: the answer to
 * the create is lost once (the provider made the job, the connection closed before the answer),
 * `tune start` runs, then runs again, and the provider's fake holds exactly one job. Together is
 * found again by the ledger id in the suffix; Fireworks by the job id derived from it. The
 * providers' clocks run 10 minutes behind this machine's, so matching by creation time would miss.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServedFake } from '../fakes/together/serve.js';
import { fireworksProject, togetherProject, type ProviderProject } from './providers-harness.js';

interface Case {
  provider: string;
  make: (opts: { skewMs: number }) => Promise<ProviderProject<ServedFake & { jobs: Map<string, unknown> }>>;
  model: string;
  create: string;
}

const CASES: Case[] = [
  { provider: 'together', make: togetherProject, model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', create: 'POST /v1/fine-tunes' },
  { provider: 'fireworks', make: fireworksProject, model: 'accounts/fireworks/models/llama-v3p1-8b-instruct', create: 'POST /v1/accounts/acme/supervisedFineTuningJobs' },
];

let open: ProviderProject<ServedFake> | undefined;
afterEach(async () => {
  if (open) await open.expectNoKey();
  await open?.close();
  open = undefined;
});

describe.each(CASES)('a lost create on $provider (e2e)', (c) => {
  it('the answer is lost once, start runs twice: exactly one job, and both runs name it', async () => {
    const p = await c.make({ skewMs: -10 * 60_000 });
    open = p;
    p.fake.faults.push({ match: c.create, loseResponse: true });
    const args = ['tune', 'start', '--provider', c.provider, '--model', c.model, '--train', 'train.jsonl', '--suffix', 'bikes', '--json'];
    const first = await p.run(args);
    expect(first.code, first.stderr).toBe(0);
    expect(p.fake.faults.pending()).toEqual([]);
    expect(p.fake.jobs.size).toBe(1);
    const [id] = [...p.fake.jobs.keys()];
    expect((JSON.parse(first.stdout) as { job: { id: string } }).job.id).toBe(id);

    const again = await p.run(args);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { job: { id: string } }).job.id).toBe(id);
    expect(p.fake.jobs.size).toBe(1);
  });
});
