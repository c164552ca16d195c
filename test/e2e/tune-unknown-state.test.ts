/**
 * A job the provider reports in a state llmgw does not know, end to end: the watch names the
 * state, gives it a bounded number of polls (not the whole --timeout), stops with exit 4 and the
 * commands to check and resume; the ledger keeps `unknown`, never `failed`, so running the same
 * start again does not create a second job.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, expectNoKey, project, type Project } from './tune-harness.js';

let p: Project | undefined;
afterEach(async () => {
  if (p) await expectNoKey(p);
  await p?.close();
  p = undefined;
});

const START = ['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--manifest', 'ops/routes.json'];

function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('a job in a state llmgw does not know (e2e)', () => {
  it('tune watch stops after a bounded number of polls with exit 4, naming the state; the ledger says unknown', async () => {
    p = await project();
    const start = await p.run([...START, '--json']);
    expect(start.code, start.stderr).toBe(0);
    const job = (JSON.parse(start.stdout) as { job: { id: string } }).job;
    // A word OpenAI's documents do not list; the fake's clock no longer moves such a job.
    p.fake.jobs.get(job.id).object.status = 'frozen' as never;

    const began = Date.now();
    const w = await p.run(['tune', 'watch', job.id, '--interval', '0.02', '--timeout', '1h', '--manifest', 'ops/routes.json']);
    expect(w.code, w.stderr).toBe(4);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(w.stderr).toContain('unknown state "frozen"');
    expect(w.stderr).toMatch(/reports job ftjob-\S+ as "frozen", a state llmgw does not know: watching 5 more polls/);
    expect(w.stderr).toContain(`check it with \`llmgw tune status ${job.id} --manifest ops/routes.json\``);
    expect(w.stderr).toContain(`\`llmgw tune watch ${job.id} --manifest ops/routes.json\` follows it again`);
    expect(p.fake.count('GET /v1/fine_tuning/jobs/*')).toBeLessThan(20);
    const ledger = JSON.parse(await readFile(join(p.dir, 'ops', '.llmgw', 'jobs.json'), 'utf8')) as { jobs: Record<string, unknown>[] };
    expect(ledger.jobs[0]).toMatchObject({ providerJobId: job.id, status: 'unknown', error: null });

    const json = await p.run(['tune', 'watch', job.id, '--interval', '0.02', '--json', '--manifest', 'ops/routes.json']);
    expect(json.code).toBe(4);
    expect(ndjson(json.stdout).at(-1)).toMatchObject({ type: 'result', outcome: 'unknown_state', jobId: job.id, job: { status: 'unknown', providerStatus: 'frozen' }, error: { code: 'unknown_job_state', exitCode: 4 } });

    const status = await p.run(['tune', 'status', job.id, '--manifest', 'ops/routes.json']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('unknown (frozen)');

    // The same start again finds the job (it may well be alive) instead of creating another.
    const again = await p.run([...START, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ duplicate: true, job: { id: job.id, status: 'unknown' } });
    expect(p.fake.count('POST /v1/fine_tuning/jobs')).toBe(1);
  });

  it('a passing unknown state does not stop the watch: it ends with the job', async () => {
    p = await project({ advancePerRequestMs: 0 });
    const start = await p.run([...START, '--json']);
    const job = (JSON.parse(start.stdout) as { job: { id: string } }).job;
    const stored = p.fake.jobs.get(job.id);
    stored.object.status = 'frozen' as never;
    const q = p;
    const { done } = q.spawn(['tune', 'watch', job.id, '--interval', '0.05', '--manifest', 'ops/routes.json']);
    // Back to a known state after the first polls, then to the end.
    for (let i = 0; i < 200 && q.fake.count('GET /v1/fine_tuning/jobs/*') < 2; i++) await new Promise((r) => setTimeout(r, 20));
    stored.object.status = 'running';
    q.fake.jobs.finish(job.id);
    const w = await done;
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toContain('"frozen", a state llmgw does not know');
    expect(w.stdout).toMatch(/succeeded .* → ft:/);
  });
});
