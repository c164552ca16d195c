import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

  it('--wait --register streams NDJSON and registers the model in the manifest', async () => {
    p = await project({ advancePerRequestMs: 1000 });
    const r = await p.run(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--wait', '--register', 'support', '--json', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    expect(lines[0]).toMatchObject({ type: 'started', duplicate: false });
    expect(lines.filter((l) => l.type === 'event').length).toBeGreaterThan(3);
    const result = lines.find((l) => l.type === 'result');
    expect(result).toMatchObject({ outcome: 'succeeded' });
    const model = (result?.job as { fineTunedModel: string }).fineTunedModel;
    expect(lines.at(-1)).toMatchObject({ type: 'registered', alias: 'support', model });
    const manifest = JSON.parse(await readFile(join(p.dir, 'llmgw.routes.json'), 'utf8')) as { models: Record<string, unknown>; aliases: Record<string, unknown> };
    expect(JSON.stringify(manifest.models)).toContain(model);
    expect(manifest.aliases.support).toBeDefined();
    // The same CI step again: the job is a duplicate and the model is already routed, so exit 0 and no new revision.
    const again = await p.run(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--wait', '--register', 'support', '--json', ...FAST]);
    expect(again.code, again.stderr).toBe(0);
    const last = JSON.parse(again.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(last).toMatchObject({ type: 'registered', changed: false, revision: null });
    expect(p.fake.state.jobs.size).toBe(1);
  });

  it('--register without --wait is a usage error', async () => {
    p = await project();
    const r = await p.run(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--register', 'support']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--wait');
    expect(p.fake.requests).toEqual([]);
  });
});
