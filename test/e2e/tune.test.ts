import { afterEach, describe, expect, it } from 'vitest';
import { BASE, expectNoKey, project, type Project } from './tune-harness.js';

let p: Project | undefined;
afterEach(async () => {
  if (p) await expectNoKey(p);
  await p?.close();
  p = undefined;
});

const FAST = ['--interval', '0.02'];

describe('tune start → watch (e2e against the fake OpenAI)', () => {
  it('starts, waits and ends succeeded with the model id', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    const r = await p.run(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--validation', 'validation.jsonl', '--suffix', 'support', '--wait', ...FAST]);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    const job = [...p.fake.state.jobs.values()][0];
    expect(job?.object.status).toBe('succeeded');
    const model = job?.object.fine_tuned_model ?? '';
    expect(model).toMatch(/^ft:gpt-4\.1-mini-2025-04-14:llmgw-test:support:[A-Za-z0-9]{8}$/);
    expect(r.stdout).toContain(model);
    const [entry] = await p.ledgerJobs();
    expect(entry).toMatchObject({ state: 'created', status: 'succeeded', providerJobId: job?.object.id, fineTunedModel: model });
    expect(job?.object.metadata).toEqual({ llmgw_ledger_id: entry?.ledgerId });
  });
});
