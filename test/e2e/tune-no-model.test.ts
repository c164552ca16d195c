/**
 * `--register` never exits 0 without a model and a manifest entry, whether the job is followed by
 * `tune start --wait` or by `tune watch`: a provider that reports success but names no fine-tuned
 * model is exit 4 with nothing written. `tune watch --register` registers like `start --wait`,
 * and the resume command a stopped `start --wait --register` prints keeps the `--register`.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, expectNoKey, project, type Project } from './tune-harness.js';

let p: Project | undefined;
afterEach(async () => {
  if (p) await expectNoKey(p);
  await p?.close();
  p = undefined;
});

const START = ['tune', 'start', '--model', BASE, '--train', 'train.jsonl'];
const manifestExists = (dir: string): Promise<boolean> => access(join(dir, 'llmgw.routes.json')).then(() => true, () => false);

/** The fake's job as OpenAI would report a success with `fine_tuned_model: null`. */
function succeedWithoutModel(q: Project, id: string): void {
  const job = q.fake.jobs.get(id).object;
  Object.assign(job, { status: 'succeeded', fine_tuned_model: null, finished_at: q.fake.clock.seconds() });
}

describe('a success without a model id under --register (e2e)', () => {
  it('tune start --wait --register: exit 4, nothing in the manifest', async () => {
    p = await project();
    const q = p;
    const { done } = q.spawn([...START, '--wait', '--interval', '0.05', '--register', 'support']);
    for (let i = 0; i < 500 && q.fake.state.jobs.size === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const [id] = [...q.fake.state.jobs.keys()];
    succeedWithoutModel(q, id ?? '');
    const r = await done;
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(`reports job ${id} succeeded but names no fine-tuned model, so nothing was registered under support`);
    expect(r.stderr).toContain(`llmgw tune status ${id}`);
    expect(await manifestExists(q.dir)).toBe(false);
  });

  it('tune watch --register: exit 4 without a model, nothing in the manifest', async () => {
    p = await project();
    const start = await p.run([...START, '--json']);
    const id = (JSON.parse(start.stdout) as { job: { id: string } }).job.id;
    succeedWithoutModel(p, id);
    const r = await p.run(['tune', 'watch', id, '--interval', '0.02', '--register', 'support', '--json']);
    expect(r.code, r.stderr).toBe(4);
    // The stream stays NDJSON to its end: the error is one more line, after the result.
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-2)).toMatchObject({ type: 'result', outcome: 'succeeded' });
    expect(lines.at(-1)).toEqual({ error: expect.objectContaining({ code: 'no_model_id', exitCode: 4 }) });
    expect(lines.some((l) => l.type === 'registered')).toBe(false);
    expect(await manifestExists(p.dir)).toBe(false);
  });

  it('tune watch --register puts a succeeded job\'s model in the manifest; a stopped start --wait --register says to watch with --register', async () => {
    p = await project();
    const started = await p.run([...START, '--wait', '--interval', '0.02', '--wait-timeout', '300ms', '--register', 'support']);
    expect(started.code, started.stderr).toBe(5);
    const [id] = [...p.fake.state.jobs.keys()];
    expect(started.stderr).toContain(`llmgw tune watch ${id} --register support --timeout 2h`);
    p.fake.jobs.finish(id ?? '');
    const r = await p.run(['tune', 'watch', id ?? '', '--interval', '0.02', '--register', 'support']);
    expect(r.code, r.stderr).toBe(0);
    const model = p.fake.jobs.get(id ?? '').object.fine_tuned_model ?? '';
    expect(r.stdout).toContain(`Registered ${model} under alias support`);
    expect(await manifestExists(p.dir)).toBe(true);
  });
});
