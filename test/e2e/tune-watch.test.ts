import { afterEach, describe, expect, it } from 'vitest';
import { BASE, expectNoKey, project, relay, type Project, type Relay } from './tune-harness.js';

let p: Project | undefined;
let r: Relay | undefined;
afterEach(async () => {
  await r?.close();
  if (p) await expectNoKey(p);
  await p?.close();
  p = undefined;
  r = undefined;
});

const START = ['tune', 'start', '--model', BASE, '--train', 'train.jsonl'];

function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('tune watch (e2e)', () => {
  it('Ctrl-C exits 130 with the resume hint; the resumed watch prints no event twice', async () => {
    p = await project({ jobPlan: { steps: 500 } });
    const start = await p.run([...START, '--json']);
    const job = (JSON.parse(start.stdout) as { job: { id: string } }).job;
    const q = p;
    let out = '';
    const { child, done } = q.spawn(['tune', 'watch', job.id, '--json', '--interval', '0.02']);
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    // Move the job along until the watcher has printed a few events, then press Ctrl-C.
    await until(() => {
      q.fake.clock.advance(500);
      return ndjson(out).filter((l) => l.type === 'event').length >= 5;
    }, 'events').catch(async (e: unknown) => {
      child.kill('SIGKILL');
      const r0 = await done;
      throw new Error(`${String(e)}: ${out} / ${r0.stdout} / ${r0.stderr}`);
    });
    child.kill('SIGINT');
    const first = await done;
    expect(first.code).toBe(130);
    expect(first.stderr).toContain(`resume with \`llmgw tune watch ${job.id}\``);
    const firstLines = ndjson(first.stdout);
    expect(firstLines.at(-1)).toMatchObject({ type: 'result', outcome: 'interrupted' });
    expect(q.fake.jobs.get(job.id).object.status).not.toBe('cancelled');

    q.fake.jobs.finish(job.id);
    const second = await q.run(['tune', 'watch', job.id, '--json', '--interval', '0.02']);
    expect(second.code).toBe(0);
    const ids = [...firstLines, ...ndjson(second.stdout)].filter((l) => l.type === 'event').map((l) => (l.event as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(q.fake.jobs.get(job.id).events.map((e) => e.id));
    expect(ndjson(second.stdout).at(-1)).toMatchObject({ type: 'result', outcome: 'succeeded' });
  });

  it('survives the provider going away and coming back on the same address', async () => {
    p = await project({ advancePerRequestMs: 500 });
    r = await relay(p.fake.baseURL);
    const q = p;
    const rel = r;
    const start = await q.run([...START, '--json', '--base-url', rel.baseURL]);
    const job = (JSON.parse(start.stdout) as { job: { id: string } }).job;
    const { done } = q.spawn(['tune', 'watch', job.id, '--interval', '0.05', '--max-retries', '0', '--base-url', rel.baseURL]);
    await until(() => q.fake.count('GET /v1/fine_tuning/jobs/*') >= 2, 'the first polls');
    await rel.stop();
    await new Promise((res) => setTimeout(res, 300));
    await rel.start();
    const res = await done;
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/Could not reach OpenAI.*Trying again in/);
    expect(res.stderr).toMatch(/answering again/);
    expect(res.stdout).toMatch(/succeeded .* → ft:/);
  });

  it('--timeout ends the watch with exit 5 while the job keeps running', async () => {
    p = await project();
    const start = await p.run([...START, '--json']);
    const job = (JSON.parse(start.stdout) as { job: { id: string } }).job;
    const w = await p.run(['tune', 'watch', job.id, '--interval', '0.02', '--timeout', '200ms']);
    expect(w.code).toBe(5);
    expect(w.stderr).toContain('did not finish before the time limit');
    expect(p.fake.jobs.get(job.id).object.status).toBe('validating_files');
  });

  it('--timeout is a hard deadline: a request that hangs is aborted when it passes', async () => {
    p = await project();
    const start = await p.run([...START, '--json']);
    const job = (JSON.parse(start.stdout) as { job: { id: string } }).job;
    p.fake.faults.push({ match: 'GET /v1/fine_tuning/jobs/*', skip: 1, delayMs: 25_000 });
    const began = Date.now();
    const w = await p.run(['tune', 'watch', job.id, '--interval', '0.02', '--timeout', '3s', '--json']);
    const took = Date.now() - began;
    expect(w.code, w.stderr).toBe(5);
    expect(ndjson(w.stdout).at(-1)).toMatchObject({ type: 'result', outcome: 'timed_out' });
    // 3 s, plus starting node on a busy machine; the hung request alone would take 25 s.
    expect(took).toBeLessThan(15_000);
  }, 40_000);

  it('lists whose cursor never advances end with a warning; tune list shows each job once', async () => {
    p = await project();
    for (const suffix of ['one', 'two']) expect((await p.run([...START, '--suffix', suffix, '--json'])).code).toBe(0);
    const [first] = [...p.fake.state.jobs.keys()];
    p.fake.jobs.finish(first ?? '');
    p.fake.breakPaging();
    const list = await p.run(['tune', 'list', '--all', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const ids = (JSON.parse(list.stdout) as { jobs: { id: string }[]; complete: boolean }).jobs.map((j) => j.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(list.stderr).toMatch(/Stopped listing the jobs of OpenAI/);
    for (const verb of ['events', 'checkpoints']) {
      const r = await p.run(['tune', verb, first ?? '', ...(verb === 'events' ? ['--all'] : [])]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`Stopped listing the ${verb} of job`));
    }
    expect(p.fake.requests.length).toBeLessThan(40);
  });
});
