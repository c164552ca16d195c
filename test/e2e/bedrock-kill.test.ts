/**
 * Killed mid-way (SIGKILL: no chance to save anything), the same command run again finishes the
 * work with one job and one deployment: the create carries a clientRequestToken and a job name
 * from the ledger id, and a deployment is found again by its name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedrockEnv, bedrockWorld, NOVA, ROLE, type BedrockWorld } from '../fakes/bedrock/world.js';
import { BIN, type RunResult } from './tune-harness.js';

let world: BedrockWorld;
beforeAll(async () => {
  world = await bedrockWorld('llmgw-bedrock-kill-');
});
afterAll(() => world.close());

function spawnCli(args: string[]): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: world.dir, env: bedrockEnv(world), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

/** Kills the process with SIGKILL as soon as `ready()` holds (checked every 2 ms). */
async function killWhen(child: ChildProcess, ready: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !ready(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(ready()).toBe(true);
  child.kill('SIGKILL');
}

const start = ['tune', 'start', '--provider', 'bedrock', '--model', NOVA, '--train', 'train.jsonl', '--role-arn', ROLE, '--bucket', 's3://train-data/llmgw'];

describe('Bedrock: killed and run again (e2e)', () => {
  it('killed right after the create reached Bedrock: the re-run finds that job, waits for it, and deploys it once', async () => {
    const first = spawnCli([...start, '--wait', '--interval', '0.5']);
    await killWhen(first.child, () => world.fake.jobs.size === 1);
    expect((await first.done).code).toBeNull(); // killed by the signal
    const [job] = [...world.fake.jobs.values()];

    const again = spawnCli([...start, '--wait', '--interval', '0.01', '--json']);
    const r = await again.done;
    expect(r.code, r.stderr).toBe(0);
    expect(world.fake.jobs.size).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; job?: { id: string }; outcome?: string });
    expect(lines[0]?.job?.id).toBe(job?.wire.jobArn);
    expect(lines.at(-1)).toMatchObject({ type: 'result', outcome: 'succeeded' });

    const ledger = JSON.parse(await readFile(join(world.dir, '.llmgw', 'jobs.json'), 'utf8')) as { jobs: { ledgerId: string }[] };
    expect(ledger.jobs).toHaveLength(1);
    const id = ledger.jobs[0]?.ledgerId ?? '';
    const deploy = spawnCli(['tune', 'deploy', id, '--interval', '0.5', '--register', 'support']);
    await killWhen(deploy.child, () => world.fake.serving.deployments.size === 1);
    await deploy.done;
    const resumed = await spawnCli(['tune', 'deploy', id, '--interval', '0.01', '--register', 'support', '--json']).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(world.fake.serving.deployments.size).toBe(1);
    const [deployment] = [...world.fake.serving.deployments.keys()];
    const routes = JSON.parse(await readFile(join(world.dir, 'llmgw.routes.json'), 'utf8')) as { aliases: Record<string, unknown>; models: Record<string, { serving?: { bedrock?: { arn: string } } }> };
    expect(Object.keys(routes.aliases)).toEqual(['support']);
    expect(Object.values(routes.models).map((m) => m.serving?.bedrock?.arn)).toEqual([expect.stringContaining(deployment ?? 'none')]);
  }, 60_000);

  it('start --wait --register says it deployed and registered, and leaves no deploy step to the user', async () => {
    const r = await spawnCli([...start, '--suffix', 'human', '--wait', '--interval', '0.01', '--register', 'human']).done;
    expect(r.code, r.stderr).toBe(0);
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toMatch(/Deployed \S+custom-model\/\S+: \S+:custom-model-deployment\/\S+ \(Active\); the manifest routes to it\./);
    expect(out).toContain('under alias human');
    expect(out).not.toContain('serves nothing until it is deployed');
  }, 60_000);

  it('start checks --provisioned before it uploads or trains anything', async () => {
    const jobs = world.fake.jobs.size;
    const cases: [string[], string][] = [
      [['--wait', '--register', 'pt', '--provisioned'], 'model_units_missing'],
      [['--wait', '--register', 'pt', '--provisioned', '--model-units', '1'], 'provisioned_not_confirmed'],
      [['--provisioned', '--model-units', '1', '--yes'], 'provisioned_needs_register'],
      [['--model-units', '1'], 'model_units_without_provisioned'],
    ];
    for (const [flags, code] of cases) {
      const r = await spawnCli([...start, '--suffix', 'pt', ...flags, '--json']).done;
      expect(r.code, r.stderr).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code } });
    }
    expect(world.fake.jobs.size).toBe(jobs);
  });

  it('tune deploy --wait-timeout is a hard deadline: a request that hangs is aborted when it passes', async () => {
    const ledger = JSON.parse(await readFile(join(world.dir, '.llmgw', 'jobs.json'), 'utf8')) as { jobs: { ledgerId: string; status: string }[] };
    const done = ledger.jobs.find((j) => j.status === 'succeeded');
    world.fake.faults.push({ match: 'POST /model-customization/custom-model-deployments', delayMs: 20_000 });
    const began = Date.now();
    const r = await spawnCli(['tune', 'deploy', done?.ledgerId ?? '', '--wait-timeout', '2s', '--json']).done;
    expect(r.code, r.stderr).toBe(5);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'deployment_timeout' } });
    // 2 s plus starting node on a busy machine; the hung request alone would take 20 s.
    expect(Date.now() - began).toBeLessThan(12_000);
    world.fake.faults.clear();
  }, 40_000);
});

