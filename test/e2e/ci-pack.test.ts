/**
 * The path docs/ci.md gives a repository: llmgw as a devDependency with a lockfile, and the
 * workflow `init --ci github` writes running it (`npm ci`, then `npx --no-install llmgw …`).
 * The project is packed as npm would publish it, installed into a fresh repository, and the
 * validate workflow's steps run there, as a runner would run them.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'llmgw.js');
const version = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Ran {
  code: number;
  out: string;
}

function run(cmd: string, args: string[], cwd: string): Promise<Ran> {
  // npm must not take its cache, registry or scripts from the project the test runs in.
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NO_COLOR: '1' };
  return new Promise((resolve) =>
    execFile(cmd, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (err: ExecFileException | null, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` })),
  );
}

let tmp: string;
let repo: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  tmp = await mkdtemp(join(tmpdir(), 'llmgw-pack-'));
  // What `npm publish` would ship (dist/ is built already; prepack would only build it again).
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
  expect(packed.code, packed.out).toBe(0);
  const tarball = join(tmp, (JSON.parse(packed.out.slice(packed.out.indexOf('['))) as { filename: string }[])[0]?.filename ?? '');
  repo = join(tmp, 'support-bot');
  await mkdir(repo);
  await writeFile(join(repo, 'package.json'), `${JSON.stringify({ name: 'support-bot', private: true }, null, 2)}\n`);
  const init = await run(process.execPath, [BIN, 'init', '--ci', 'github', '--json'], repo);
  expect(init.code, init.out).toBe(0);
  expect(JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'))).toMatchObject({ devDependencies: { llmgw: `^${version}` } });
  // The devDependency and its lockfile, from this build rather than a registry; the workflow's
  // `npm ci` installs it (one install instead of two: they cost ~30 s each on 2 busy cores).
  const locked = await run('npm', ['install', '--package-lock-only', '--save-dev', '--prefer-offline', tarball], repo);
  expect(locked.code, locked.out).toBe(0);
  expect(existsSync(join(repo, 'node_modules'))).toBe(false);
}, 300_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface Step {
  name?: string;
  run?: string;
  uses?: string;
}

/** Runs the workflow's `run` steps in order with bash, as the runner does; stops at the first failure. */
async function runSteps(steps: Step[]): Promise<{ name: string; result: Ran }[]> {
  const results: { name: string; result: Ran }[] = [];
  for (const step of steps) {
    if (step.run === undefined) continue;
    const result = await run('bash', ['-eo', 'pipefail', '-c', step.run], repo);
    results.push({ name: step.name ?? step.run, result });
    if (result.code !== 0) break;
  }
  return results;
}

describe('the validate workflow, on a repository that pins llmgw (packed and installed)', () => {
  it('installs with npm ci and validates with the pinned llmgw: exit 0 on good data, exit 1 with an annotation on bad', async () => {
    const workflow = parse(await readFile(join(repo, '.github/workflows/llmgw-validate.yml'), 'utf8')) as { jobs: { validate: { steps: Step[] } } };
    const steps = workflow.jobs.validate.steps;
    expect(steps.map((s) => s.run ?? s.uses)).toContain('npm ci');

    const good = await runSteps(steps);
    expect(good.map((r) => [r.name, r.result.code]), good.map((r) => r.result.out).join('\n')).toEqual([
      ['Install the llmgw this repository pins', 0],
      ['Validate datasets', 0],
      ['Validate the routing manifest', 0],
    ]);
    const pinned = await run(join(repo, 'node_modules', '.bin', 'llmgw'), ['--version'], repo);
    expect(pinned.out.trim()).toBe(version);

    await writeFile(join(repo, 'datasets', 'broken.jsonl'), '{"messages": [{"role": "user", "content": "Hi"}]}\nnot json\n');
    const bad = await runSteps(steps.filter((s) => s.name === 'Validate datasets'));
    expect(bad[0]?.result.code).toBe(1);
    expect(bad[0]?.result.out).toMatch(/^::error file=datasets\/broken\.jsonl,line=2/m);
  }, 300_000);
});
