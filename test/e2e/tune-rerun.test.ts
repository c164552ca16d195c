/**
 * Running `tune start` again after a create that did not settle: the built CLI against the fake
 * OpenAI and the fake Azure. One job at the provider, whatever was lost; a re-run does everything
 * its flags ask; `--wait --register` exits 0 only with a succeeded job and a manifest entry; the
 * advice printed is a command that works.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { azureProject } from './providers-harness.js';
import { BASE, expectNoKey, project, type Project } from './tune-harness.js';

let p: Project | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  if (p) await expectNoKey(p);
  await p?.close();
  await close?.();
  p = undefined;
  close = undefined;
});

const FAST = ['--interval', '0.02'];
const START = ['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--max-retries', '0'];

/** The command inside the hint's backquotes, as argv (the hints quote only words that need it). */
function adviceArgs(hint: string): string[] {
  const m = /`llmgw ([^`]+)`/.exec(hint);
  if (!m?.[1]) throw new Error(`no command in: ${hint}`);
  return m[1].split(' ');
}

describe('tune start again after a create that did not settle (e2e)', () => {
  it('after a 5xx storm, the re-run creates the job at once, waits and registers it; the advice printed is that re-run', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    p.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', times: 3, status: 503 });
    const first = await p.run([...START, '--wait', '--register', 'support', '--json', ...FAST]);
    expect(first.code, first.stderr).toBe(4);
    expect(p.fake.state.jobs.size).toBe(0);
    const [entry] = await p.ledgerJobs();
    expect(entry).toMatchObject({ state: 'creating', creator: null });
    const error = (JSON.parse(first.stdout) as { error: { hint: string } }).error;
    const again = adviceArgs(error.hint);
    expect(again).toEqual(expect.arrayContaining(['--wait', '--register', 'support']));

    const second = await p.run([...again, '--json', '--max-retries', '0', ...FAST]);
    expect(second.code, second.stderr).toBe(0);
    expect(p.fake.state.jobs.size).toBe(1);
    const lines = second.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'started', job: { ledgerId: entry?.ledgerId } });
    expect(lines.find((l) => l.type === 'result')).toMatchObject({ outcome: 'succeeded' });
    expect(lines.at(-1)).toMatchObject({ type: 'registered', alias: 'support', changed: true });
    const manifest = await readFile(join(p.dir, 'llmgw.routes.json'), 'utf8');
    expect(manifest).toContain((lines.at(-1) as { model: string }).model);
    expect(await p.ledgerJobs()).toHaveLength(1);
  });

  it('OpenAI: the create’s answer is lost and the search fails; the command runs again and the fake holds exactly one job', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    p.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', loseResponse: true });
    p.fake.faults.push({ match: 'GET /v1/fine_tuning/jobs', times: 20, status: 503 });
    const first = await p.run([...START, '--json']);
    expect(first.code, first.stderr).toBe(4);
    expect(p.fake.state.jobs.size).toBe(1);
    p.fake.faults.clear();
    const second = await p.run([...START, '--json', '--wait', ...FAST]);
    expect(second.code, second.stderr).toBe(0);
    expect(p.fake.state.jobs.size).toBe(1);
    expect(p.fake.count('POST /v1/fine_tuning/jobs')).toBe(1);
    const [entry] = await p.ledgerJobs();
    expect(entry).toMatchObject({ state: 'created', status: 'succeeded', providerJobId: [...p.fake.state.jobs.keys()][0] });
  });

  it('a creating entry whose create never reached the provider: watch says so and prints the start that creates it', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    p.fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', times: 3, status: 503 });
    expect((await p.run([...START, '--suffix', 'faq', '--epochs', '2'])).code).toBe(4);
    const [entry] = await p.ledgerJobs();
    const watch = await p.run(['tune', 'watch', String(entry?.ledgerId), '--json']);
    expect(watch.code).toBe(2);
    const hint = (JSON.parse(watch.stdout) as { error: { code: string; hint: string } }).error;
    expect(hint.code).toBe('job_not_created');
    const again = await p.run([...adviceArgs(hint.hint), '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(p.fake.state.jobs.size).toBe(1);
    const [job] = [...p.fake.state.jobs.values()];
    expect(job?.object).toMatchObject({ user_provided_suffix: 'faq', method: { supervised: { hyperparameters: { n_epochs: 2 } } } });
  });

  it('an entry another live process is creating: status shows it, watch waits for that process and then follows the job', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    const started = await p.run([...START, '--json']);
    expect(started.code, started.stderr).toBe(0);
    const jobsPath = join(p.dir, '.llmgw', 'jobs.json');
    const done = JSON.parse(await readFile(jobsPath, 'utf8')) as { version: number; jobs: Record<string, unknown>[] };
    const entry = done.jobs[0] ?? {};
    const save = async (patch: Record<string, unknown>): Promise<void> => {
      await writeFile(`${jobsPath}.tmp`, JSON.stringify({ ...done, jobs: [{ ...entry, ...patch }] }));
      await rename(`${jobsPath}.tmp`, jobsPath);
    };
    // As if this test's process were still sending the create call.
    await save({ state: 'creating', providerJobId: null, status: null, creator: { pid: process.pid, host: hostname() } });
    const status = await p.run(['tune', 'status', String(entry.ledgerId), '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ job: { id: null, status: 'creating' } });

    const watch = p.spawn(['tune', 'watch', String(entry.ledgerId), '--interval', '0.02', '--json']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(p.fake.count('GET /v1/fine_tuning/jobs/*')).toBe(0);
    await save({ creator: null });
    const w = await watch.done;
    expect(w.code, w.stderr).toBe(0);
    expect(p.fake.state.jobs.size).toBe(1);
    expect(w.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).at(-1)).toMatchObject({ type: 'result', outcome: 'succeeded' });
  });

  it('Azure: the create’s answer is lost and the search fails; the command runs again and the fake holds exactly one job', async () => {
    const a = await azureProject();
    close = async () => {
      await a.expectNoKey();
      await a.close();
    };
    a.fake.faults.push({ match: 'POST /openai/fine_tuning/jobs', loseResponse: true });
    a.fake.faults.push({ match: 'GET /openai/fine_tuning/jobs', times: 20, status: 503 });
    const args = ['tune', 'start', '--provider', 'azure', '--model', BASE, '--train', 'train.jsonl', '--max-retries', '0', '--json'];
    const first = await a.run(args);
    expect(first.code, first.stderr).toBe(4);
    expect(a.fake.openai.state.jobs.size).toBe(1);
    a.fake.faults.clear();
    const second = await a.run([...args, '--wait', ...FAST]);
    expect(second.code, second.stderr).toBe(0);
    expect(a.fake.openai.state.jobs.size).toBe(1);
    const lines = second.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'started', duplicate: true });
    expect(lines.find((l) => l.type === 'result')).toMatchObject({ outcome: 'succeeded' });
  });
});
