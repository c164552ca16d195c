/**
 * Settings a user reaches from `tune start` (built CLI, fake OpenAI): any provider
 * hyperparameter by name, from flags or a JSON file; `--dry-run` printing the request as it will
 * be sent; OpenAI's last day for new jobs read from the clock; the ledger's paths relative to
 * the manifest's folder.
 */
import { writeFile } from 'node:fs/promises';
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

describe('tune start settings (e2e)', () => {
  it('--hyperparameters FILE, --hyperparameter NAME=VALUE and the dedicated flags reach the provider by its own names', async () => {
    p = await project();
    await writeFile(join(p.dir, 'hp.json'), JSON.stringify({ n_epochs: 4, batch_size: 8, learning_rate_multiplier: 0.3 }));
    const r = await p.run([...START, '--hyperparameters', 'hp.json', '--hyperparameter', 'batch_size=16', '--learning-rate-multiplier', '0.5', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const sent = JSON.parse(p.fake.requests.find((q) => q.method === 'POST' && q.path === '/v1/fine_tuning/jobs')?.bodyText ?? '{}');
    expect(sent.method.supervised.hyperparameters).toEqual({ n_epochs: 4, batch_size: 16, learning_rate_multiplier: 0.5 });
    // The ledger keeps the data file relative to the manifest's folder, so .llmgw/ can be committed.
    expect((await p.ledgerJobs())[0]).toMatchObject({ training: { path: 'train.jsonl' } });
  });

  it('an unknown hyperparameter is exit 2 naming every name this provider takes, before anything is sent', async () => {
    p = await project();
    const r = await p.run([...START, '--hyperparameter', 'lora_r=16', '--json']);
    expect(r.code).toBe(2);
    const error = (JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } }).error;
    expect(error).toMatchObject({ code: 'hyperparameter_not_supported', message: expect.stringContaining('--hyperparameter lora_r') });
    expect(error.hint).toBe('OpenAI takes, as --hyperparameter NAME=VALUE: n_epochs (or --epochs), batch_size (or --batch-size), learning_rate_multiplier (or --learning-rate-multiplier)');
    const range = await p.run([...START, '--hyperparameter', 'n_epochs=99']);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('epochs is too large');
    expect(p.fake.requests).toEqual([]);
  });

  it('--dry-run prints the create request as OpenAI will get it, the key masked', async () => {
    p = await project();
    const r = await p.run([...START, '--epochs', '2', '--suffix', 'faq', '--dry-run', '--json', '--timeout', '30']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('--timeout on tune start is deprecated');
    const plan = JSON.parse(r.stdout) as { request: { method: string; url: string; headers: Record<string, string>; body: Record<string, unknown> } };
    expect(plan.request).toMatchObject({ method: 'POST', url: `${p.fake.baseURL}/fine_tuning/jobs` });
    expect(plan.request.body).toEqual({
      model: BASE,
      training_file: '<training upload>',
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } },
      suffix: 'faq',
      metadata: { llmgw_ledger_id: '<ledger id>' },
    });
    expect(plan.request.headers.authorization).toBe(`Bearer sk-test-…${p.fake.apiKey.slice(-4)}`);
    expect(p.fake.requests).toEqual([]);
  });

  it('from 2027-01-06 OpenAI takes no new jobs: exit 2 before anything is read or sent', async () => {
    p = await project();
    const r = await p.run([...START, '--json'], { LLMGW_NOW: '2027-01-06T08:00:00Z' });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'provider_closed_to_new_jobs', hint: expect.stringContaining('--provider azure') });
    expect(p.fake.requests).toEqual([]);
  });
});
