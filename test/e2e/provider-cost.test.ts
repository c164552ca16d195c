/**
 * `--max-cost` on a provider that prices jobs itself (Together's estimate call): llmgw has no
 * price of its own for Together's models, so the provider's estimate decides, after the upload
 * and before anything is created.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { togetherProject } from './providers-harness.js';

const MODEL = 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference';
const START = ['tune', 'start', '--provider', 'together', '--model', MODEL, '--train', 'train.jsonl', '--epochs', '2', '--json'];

let open: Awaited<ReturnType<typeof togetherProject>> | undefined;
afterEach(async () => {
  if (open) await open.expectNoKey();
  await open?.close();
  open = undefined;
});

describe('--max-cost with Together (e2e)', () => {
  it('refuses a job Together prices above the limit, exit 1, with no job created; starts one under it', async () => {
    const p = await togetherProject();
    open = p;
    const over = await p.run([...START, '--max-cost', '0.000001']);
    expect(over.code, over.stderr).toBe(1);
    expect((JSON.parse(over.stdout) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'cost_over_limit', message: expect.stringContaining('Together AI estimates the job at') });
    expect(p.fake.jobs.size).toBe(0);
    const asked = p.fake.requests.filter((r) => r.path === '/v1/fine-tunes/estimate-price').map((r) => JSON.parse(r.bodyText ?? '{}') as Record<string, unknown>);
    expect(asked).toEqual([{ model: MODEL, training_file: [...p.fake.files.keys()][0], n_epochs: 2, training_method: { method: 'sft', train_on_inputs: 'auto' } }]);

    const under = await p.run([...START, '--max-cost', '5']);
    expect(under.code, under.stderr).toBe(0);
    expect(under.stderr).toMatch(/Together AI estimates the job at \$0\.\d+/);
    expect(p.fake.jobs.size).toBe(1);
    // The file went up once: the refused start's upload is reused.
    expect(p.fake.files.size).toBe(1);
  });
});
