import { afterEach, describe, expect, it } from 'vitest';
import { BASE, expectNoKey, project, type Project } from './tune-harness.js';

let p: Project | undefined;
afterEach(async () => {
  if (p) await expectNoKey(p);
  await p?.close();
  p = undefined;
});

const START = ['tune', 'start', '--model', BASE, '--train', 'train.jsonl'];

async function started(q: Project, extra: string[] = []): Promise<{ id: string; ledgerId: string }> {
  const r = await q.run([...START, '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { job: { id: string; ledgerId: string } };
  return doc.job;
}

describe('tune start: checks before anything is sent (e2e)', () => {
  it('--dry-run sends no request, needs no key, and prints the uploads and the create payload', async () => {
    p = await project();
    const r = await p.run([...START, '--validation', 'validation.jsonl', '--epochs', '2', '--suffix', 'faq', '--dry-run', '--json'], { OPENAI_API_KEY: undefined });
    expect(r.code, r.stderr).toBe(0);
    expect(p.fake.requests).toEqual([]);
    const plan = JSON.parse(r.stdout);
    expect(plan.uploads.map((u: { role: string; sha256: string }) => u.role)).toEqual(['training', 'validation']);
    expect(plan.uploads[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.create).toMatchObject({ baseModel: BASE, method: 'supervised', hyperparameters: { epochs: 2 }, suffix: 'faq' });
  });

  it('--max-cost refuses a job above it with the figures, exit 1, nothing sent', async () => {
    p = await project();
    const r = await p.run([...START, '--max-cost', '0.0001']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/would cost about \$0\.\d+ .*above --max-cost/);
    expect(p.fake.requests).toEqual([]);
  });

  it.each([
    [['--method', 'reinforcement'], /needs a grader/],
    [['--grader', 'train.jsonl'], /not valid JSON|only applies to reinforcement/],
    [['--epochs', '0'], /epochs/],
    [['--suffix', 'bad:suffix'], /suffix/],
    [['--beta', '0.1'], /beta/],
    [['--metadata', 'llmgw_ledger_id=x'], /reserved/],
    [['--metadata', 'novalue'], /key=value/],
  ])('pre-flight %j is a usage error (exit 2) and sends nothing', async (flags, message) => {
    p = await project();
    const r = await p.run([...START, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(p.fake.requests).toEqual([]);
  });

  it('invalid data stops the start with the validator findings, exit 1', async () => {
    p = await project();
    const r = await p.run(['tune', 'start', '--model', BASE, '--train', 'validation.jsonl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('too_few_examples');
    expect(p.fake.requests).toEqual([]);
  });

  it('a missing key is exit 3 with the fix; a rejected key is exit 3 and is never echoed', async () => {
    p = await project();
    const missing = await p.run(START, { OPENAI_API_KEY: undefined });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('OPENAI_API_KEY');
    const wrong = 'sk-wrong-0123456789abcdefghijklmnop';
    const rejected = await p.run([...START, '--json'], { OPENAI_API_KEY: wrong });
    expect(rejected.code).toBe(3);
    expect(JSON.parse(rejected.stdout).error.exitCode).toBe(3);
    await expectNoKey(p, wrong);
    await expectNoKey(p, wrong.slice(-4).padStart(8, '*'));
  });

  it('--debug names where the key and base URL came from, never the key', async () => {
    p = await project();
    const r = await p.run(['--debug', 'tune', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/API key from OPENAI_API_KEY/);
    expect(r.stderr).toMatch(/base URL from OPENAI_BASE_URL/);
  });
});

describe('tune jobs and the ledger (e2e)', () => {
  it('a duplicate start returns the first job (exit 0); --force makes a new one', async () => {
    p = await project();
    const first = await started(p);
    const again = await p.run([...START, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ duplicate: true, job: { id: first.id } });
    expect(p.fake.state.jobs.size).toBe(1);
    expect(p.fake.count('POST /v1/files')).toBe(1);
    const forced = await started(p, ['--force']);
    expect(forced.id).not.toBe(first.id);
    expect(p.fake.state.jobs.size).toBe(2);
    // The same bytes were uploaded once: the second job reused the cached file after checking it.
    expect(p.fake.count('POST /v1/files')).toBe(1);
    expect(p.fake.count('GET /v1/files/*')).toBeGreaterThanOrEqual(1);
  });

  it('cancels a job by ledger id; watching it then ends with exit 1', async () => {
    p = await project();
    const job = await started(p);
    const r = await p.run(['tune', 'cancel', job.ledgerId, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cancelled: true, job: { id: job.id, status: 'cancelled' } });
    expect(p.fake.jobs.get(job.id).object.status).toBe('cancelled');
    const w = await p.run(['tune', 'watch', job.id, '--interval', '0.02']);
    expect(w.code).toBe(1);
    expect(w.stdout).toContain('cancelled');
  });

  it('status, events and checkpoints name a job by either id; an unknown job is exit 2 with a hint', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    const job = await started(p);
    p.fake.jobs.finish(job.id);
    const status = await p.run(['tune', 'status', job.ledgerId, '--json']);
    expect(JSON.parse(status.stdout).job).toMatchObject({ id: job.id, status: 'succeeded', inLedger: true });
    const events = await p.run(['tune', 'events', job.id, '--all', '--json']);
    const ids = (JSON.parse(events.stdout).events as { id: string }[]).map((e) => e.id);
    expect(ids).toEqual(p.fake.jobs.get(job.id).events.map((e) => e.id));
    const cps = await p.run(['tune', 'checkpoints', job.id, '--json']);
    expect(JSON.parse(cps.stdout).checkpoints).toHaveLength(p.fake.jobs.get(job.id).checkpoints.length);
    for (const name of ['lj_doesnotexist', 'ftjob-doesnotexist']) {
      const r = await p.run(['tune', 'status', name]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('llmgw tune list');
    }
  });

  it('list merges the ledger with the provider and marks jobs the ledger does not know', async () => {
    p = await project();
    const mine = await started(p);
    const theirs = await started(p, ['--manifest', 'elsewhere/llmgw.routes.json', '--suffix', 'other']);
    const r = await p.run(['tune', 'list', '--all', '--json']);
    const jobs = JSON.parse(r.stdout).jobs as { id: string; inLedger: boolean }[];
    expect(jobs.find((j) => j.id === mine.id)?.inLedger).toBe(true);
    expect(jobs.find((j) => j.id === theirs.id)?.inLedger).toBe(false);
    const text = await p.run(['tune', 'list']);
    expect(text.stdout).toContain('(not in ledger)');
  });

  it('two concurrent tune start processes keep both ledger entries', async () => {
    p = await project();
    const q = p;
    const runs = await Promise.all(['a', 'b', 'c', 'd'].map((s) => q.run([...START, '--suffix', `team-${s}`, '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const entries = await q.ledgerJobs();
    expect(entries).toHaveLength(4);
    expect(new Set(entries.map((e) => e.providerJobId)).size).toBe(4);
    expect(q.fake.state.jobs.size).toBe(4);
  });

  it('uploads through the Uploads API in parts above the single-upload limit', async () => {
    p = await project({ maxFileBytes: 1024 });
    const r = await p.run([...START, '--json'], { LLMGW_MAX_SINGLE_UPLOAD_BYTES: '1024', LLMGW_UPLOAD_PART_BYTES: '1024' });
    expect(r.code, r.stderr).toBe(0);
    expect(p.fake.count('POST /v1/files')).toBe(0);
    expect(p.fake.count('POST /v1/uploads')).toBe(1);
    expect(p.fake.count('POST /v1/uploads/*/parts')).toBe(4);
    const doc = JSON.parse(r.stdout) as { uploads: { fileId: string; sha256: string }[] };
    const stored = p.fake.state.files.get(doc.uploads[0]?.fileId ?? '');
    expect(stored?.sha256).toBe(doc.uploads[0]?.sha256);
  });
});
