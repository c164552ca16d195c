/**
 * Reinforcement fine-tuning with a grader file, and `tune pause` / `tune resume`, through the
 * built CLI against the fake OpenAI (and the fake Together for a provider that cannot pause).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { togetherProject } from './providers-harness.js';
import { expectNoKey, project, type Project } from './tune-harness.js';

let p: Project | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  if (p) await expectNoKey(p);
  await p?.close();
  await close?.();
  p = undefined;
  close = undefined;
});

const RFT_MODEL = 'o4-mini-2025-04-16';
const GRADER = { type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{item.answer}}', operation: 'eq' };

async function rftData(dir: string): Promise<void> {
  const lines = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({ messages: [{ role: 'developer', content: 'Answer with the number only.' }, { role: 'user', content: `What is ${i} + 2?` }], answer: String(i + 2) }),
  );
  await writeFile(join(dir, 'rft.jsonl'), `${lines.join('\n')}\n`);
}

describe('reinforcement fine-tuning (e2e)', () => {
  it('sends the grader from --grader with the reinforcement method', async () => {
    p = await project();
    await rftData(p.dir);
    await writeFile(join(p.dir, 'grader.json'), JSON.stringify(GRADER));
    const r = await p.run(['tune', 'start', '--model', RFT_MODEL, '--train', 'rft.jsonl', '--method', 'reinforcement', '--grader', 'grader.json', '--hyperparameter', 'reasoning_effort=low', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [job] = [...p.fake.state.jobs.values()];
    expect(job?.object.method).toMatchObject({ type: 'reinforcement', reinforcement: { grader: GRADER, hyperparameters: { reasoning_effort: 'low' } } });
    const [entry] = await p.ledgerJobs();
    expect(entry).toMatchObject({ method: 'reinforcement', grader: { path: 'grader.json' }, training: { path: 'rft.jsonl' } });
  });

  it('checks the grader before anything is sent: a bad one is exit 2 naming the field', async () => {
    p = await project();
    await rftData(p.dir);
    await writeFile(join(p.dir, 'grader.json'), JSON.stringify({ ...GRADER, operation: 'equals' }));
    const bad = await p.run(['tune', 'start', '--model', RFT_MODEL, '--train', 'rft.jsonl', '--method', 'reinforcement', '--grader', 'grader.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('grader.operation must be one of eq, ne, like, ilike');
    const none = await p.run(['tune', 'start', '--model', RFT_MODEL, '--train', 'rft.jsonl', '--method', 'reinforcement']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--grader');
    expect(p.fake.requests).toEqual([]);
  });
});

describe('tune pause / resume (e2e)', () => {
  it('pauses and resumes an OpenAI job by its ledger id', async () => {
    p = await project();
    const started = await p.run(['tune', 'start', '--model', 'gpt-4.1-mini-2025-04-14', '--train', 'train.jsonl', '--json']);
    const { id, ledgerId } = (JSON.parse(started.stdout) as { job: { id: string; ledgerId: string } }).job;
    p.fake.jobs.step(id, 2);
    const paused = await p.run(['tune', 'pause', ledgerId, '--json']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ job: { id, status: 'paused' } });
    expect(p.fake.jobs.get(id).object.status).toBe('paused');
    const resumed = await p.run(['tune', 'resume', id, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(p.fake.jobs.get(id).object.status).toBe('queued');
    expect((await p.ledgerJobs())[0]).toMatchObject({ status: 'queued' });
  });

  it('a provider that cannot pause is a usage error naming those that can', async () => {
    const t = await togetherProject();
    close = t.close;
    const r = await t.run(['tune', 'pause', 'ft-123', '--provider', 'together']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Together AI cannot pause a fine-tuning job');
    expect(r.stderr).toContain('OpenAI and Azure OpenAI');
    expect(t.fake.requests).toEqual([]);
  });
});
