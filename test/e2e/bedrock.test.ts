/**
 * Bedrock end to end: the built CLI as a subprocess against the fake Bedrock control plane and a
 * real S3-compatible server (s3rver), with credentials only in the AWS environment variables.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3_KEY } from '../fakes/bedrock/s3.js';
import type { FakeBedrock } from '../fakes/bedrock/server.js';
import { bedrockEnv, bedrockWorld, NOVA, ROLE, type BedrockWorld } from '../fakes/bedrock/world.js';
import { BIN, type RunResult } from './tune-harness.js';

let world: BedrockWorld;
let fake: FakeBedrock;
let dir: string;
beforeAll(async () => {
  world = await bedrockWorld('llmgw-bedrock-e2e-');
  ({ fake, dir } = world);
});
afterAll(() => world.close());

function run(args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  const env = bedrockEnv(world, extra);
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const start = ['tune', 'start', '--provider', 'bedrock', '--model', NOVA, '--train', 'train.jsonl', '--role-arn', ROLE, '--bucket', 's3://train-data/llmgw'];
const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('llmgw with Amazon Bedrock', () => {
  it('starts a job from OpenAI JSONL (converted on the way to S3), follows it, and deploys it on demand once', async () => {
    const r = await run([...start, '--epochs', '2', '--wait', '--interval', '0.01', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatchObject({ type: 'started', job: { provider: 'bedrock', status: expect.any(String) } });
    expect(out.at(-1)).toMatchObject({ type: 'result', outcome: 'succeeded', nextStep: expect.stringContaining('llmgw tune deploy') });
    const body = JSON.parse(fake.requests.find((q) => q.method === 'POST' && q.path === '/model-customization-jobs')?.bodyText ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ baseModelIdentifier: NOVA, roleArn: ROLE, hyperParameters: { epochCount: '2' }, trainingDataConfig: { s3Uri: expect.stringMatching(/^s3:\/\/train-data\/llmgw\/llmgw\/[0-9a-f]{64}\.conversation\.jsonl$/) } });
    const ledger = JSON.parse(await readFile(join(dir, '.llmgw', 'jobs.json'), 'utf8')) as { jobs: { ledgerId: string }[] };
    const ledgerId = ledger.jobs[0]?.ledgerId ?? '';
    expect(body.clientRequestToken).toBe(`llmgw-${ledgerId.replace('_', '-')}`);

    const d1 = await run(['tune', 'deploy', ledgerId, '--interval', '0.01', '--register', 'support', '--json']);
    expect(d1.code, d1.stderr).toBe(0);
    const deployed = JSON.parse(d1.stdout) as { deployment: { id: string } };
    expect(deployed.deployment).toMatchObject({
      id: expect.stringMatching(/:custom-model-deployment\//),
      status: 'Active',
      state: 'active',
      serving: { bedrock: { kind: 'custom-model-deployment', region: 'us-east-1', customModelArn: expect.stringMatching(/:custom-model\//) } },
    });
    // The manifest routes to the deployment, never to the bare custom model.
    const routes = JSON.parse(await readFile(join(dir, 'llmgw.routes.json'), 'utf8')) as { models: Record<string, { provider: string; serving?: { bedrock?: { arn: string; kind: string } } }> };
    expect(Object.values(routes.models)).toEqual([expect.objectContaining({ provider: 'bedrock', serving: { bedrock: expect.objectContaining({ arn: deployed.deployment.id, kind: 'custom-model-deployment' }) } })]);
    // Running it again (as after a kill mid-wait) finds the same deployment: no second one, the manifest unchanged.
    const d2 = await run(['tune', 'deploy', ledgerId, '--interval', '0.01', '--register', 'support', '--json']);
    expect(d2.code, d2.stderr).toBe(0);
    expect(JSON.parse(d2.stdout)).toMatchObject({ deployment: { id: deployed.deployment.id }, registered: { changed: false } });
    expect(fake.serving.deployments.size).toBe(1);
    expect(`${r.stdout}${r.stderr}${d1.stdout}${d2.stdout}`).not.toContain(S3_KEY.repeat(2));
  });

  it('buys Provisioned Throughput only with --provisioned --model-units and --yes outside a terminal', async () => {
    const ledger = JSON.parse(await readFile(join(dir, '.llmgw', 'jobs.json'), 'utf8')) as { jobs: { ledgerId: string }[] };
    const id = ledger.jobs[0]?.ledgerId ?? '';
    const noUnits = await run(['tune', 'deploy', id, '--provisioned']);
    expect(noUnits.code).toBe(2);
    expect(noUnits.stderr).toContain('--model-units');
    const noYes = await run(['tune', 'deploy', id, '--provisioned', '--model-units', '1']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/billed by the hour[\s\S]*--yes/);
    expect(fake.serving.throughputs.size).toBe(0);
    const ok = await run(['tune', 'deploy', id, '--provisioned', '--model-units', '1', '--yes', '--interval', '0.01', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ deployment: { status: 'InService', state: 'active', serving: { bedrock: { kind: 'provisioned-throughput' } } } });
    expect([...fake.serving.throughputs.values()].map((t) => t.wire.modelUnits)).toEqual([1]);
  });
});

// Last: its job and upload would be the first ones the tests above look at.
describe('llmgw with Amazon Bedrock, converting data', () => {
  it('says what converting the data changed (stderr and --json), never silently', async () => {
    const example = (q: string, a: string, weight?: number) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a, ...(weight === undefined ? {} : { weight }) }] });
    const rows = Array.from({ length: 12 }, (_, i) => example(`Question ${i}?`, `Answer ${i}.`, i === 2 || i === 5 ? 1 : undefined));
    await writeFile(join(dir, 'notes.jsonl'), `${rows.join('\n')}\n`);
    const r = await run([...start.map((a) => (a === 'train.jsonl' ? 'notes.jsonl' : a)), '--suffix', 'notes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('notes.jsonl: converted for Amazon Bedrock: `weight` has no equivalent in the model\'s format (dropped: Bedrock trains on every assistant turn) (2 examples, first at line 3).');
    const doc = JSON.parse(r.stdout) as { uploads: { conversionNotes: unknown[] }[] };
    expect(doc.uploads[0]?.conversionNotes).toEqual([{ note: expect.stringContaining('`weight`'), count: 2, firstLine: 3 }]);
  });
});
