import { afterEach, describe, expect, it } from 'vitest';
import { BASE, expectNoKey, project, type Project } from './tune-harness.js';

let p: Project | undefined;
afterEach(async () => {
  if (p) await expectNoKey(p);
  await p?.close();
  p = undefined;
});

const START = ['tune', 'start', '--model', BASE, '--train', 'train.jsonl'];

describe('tune against a misbehaving provider (e2e)', () => {
  it('reconciles a create whose answer was lost: exactly one job exists afterwards', async () => {
    p = await project();
    p.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', loseResponse: true });
    const r = await p.run([...START, '--json']);
    expect(r.code).toBe(0);
    expect(p.fake.state.jobs.size).toBe(1);
    const [job] = [...p.fake.state.jobs.values()];
    expect(JSON.parse(r.stdout).job.id).toBe(job?.object.id);
    expect(p.fake.count('POST /v1/fine_tuning/jobs')).toBe(1);
    const [entry] = await p.ledgerJobs();
    expect(entry).toMatchObject({ state: 'created', providerJobId: job?.object.id });
    const lookup = p.fake.requests.find((q) => q.method === 'GET' && q.path === '/v1/fine_tuning/jobs');
    expect(lookup?.query).toMatchObject({ [`metadata[llmgw_ledger_id]`]: entry?.ledgerId });
  });

  it('creates again after a dropped create that never reached the provider: still one job', async () => {
    p = await project();
    p.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', drop: true });
    const r = await p.run([...START, '--json', '--max-retries', '0']);
    expect(r.code).toBe(0);
    expect(p.fake.state.jobs.size).toBe(1);
    expect(p.fake.count('POST /v1/fine_tuning/jobs')).toBe(2);
  });

  it('rides out a 429 storm with Retry-After and finishes with a bounded number of requests', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    p.fake.faults.push({ match: 'GET /v1/fine_tuning/jobs/*', times: 4, status: 429, retryAfterMs: 20 });
    p.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', times: 2, status: 429, retryAfterMs: 20 });
    const r = await p.run([...START, '--wait', '--interval', '0.02', '--max-retries', '5']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    expect(p.fake.state.jobs.size).toBe(1);
    expect(p.fake.faults.pending()).toEqual([]);
    expect(p.fake.requests.length).toBeLessThan(80);
  });

  it('keeps watching while the provider is down and says so', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    // Every request is refused for a while, as if the server restarted: the SDK retries, then llmgw backs off.
    p.fake.faults.push({ match: 'GET /v1/fine_tuning/jobs/*', skip: 2, times: 6, drop: true });
    const r = await p.run([...START, '--wait', '--interval', '0.02', '--max-retries', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Trying again in/);
    expect(r.stderr).toMatch(/answering again/);
    expect(r.stdout).toMatch(/succeeded .* → ft:/);
  });

  it('reports a failed job with its error code and message, exit 1', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    p.fake.jobs.planNext({ outcome: { failAt: 'running', error: { code: 'server_error', message: 'The job failed due to an internal error.', param: null } } });
    const r = await p.run([...START, '--wait', '--interval', '0.02']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('server_error: The job failed due to an internal error.');
    const [entry] = await p.ledgerJobs();
    expect(entry).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
  });

  it('explains a policy refusal of the create call and records it as create_failed', async () => {
    p = await project();
    p.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', status: 403, error: { message: 'Fine-tuning is not available for your organization.', code: 'fine_tuning_unavailable' } });
    const r = await p.run(START);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('fine-tuning is not available');
    const [entry] = await p.ledgerJobs();
    expect(entry).toMatchObject({ state: 'create_failed', providerJobId: null });
  });

  it('a refused create keeps the provider\'s own fix: only an undecided one says to run the same start again', async () => {
    p = await project();
    p.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', status: 429, times: 10, error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' }, headers: { 'x-should-retry': 'false' } });
    const r = await p.run(START);
    expect(r.code).toBe(4);
    expect(r.stderr).not.toContain('run the same start again');
    const [entry] = await p.ledgerJobs();
    expect(entry).toMatchObject({ state: 'create_failed' });
  });
});
