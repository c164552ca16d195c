/**
 * The path docs/ci.md gives a repository: llmgw as a devDependency with a lockfile, and the
 * workflow `init --ci github` writes running it (`npm ci`, then `npx --no-install llmgw …`).
 * The project is packed as npm would publish it, installed into a fresh repository, and the
 * validate workflow's steps run there, as a runner would run them; so does the eval-and-gate
 * step of the GitLab tune job (`init --ci gitlab`), against an OpenAI-compatible fake.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'llmgw.js');
const version = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Ran {
  code: number;
  out: string;
}

function run(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}): Promise<Ran> {
  // npm must not take its cache, registry or scripts from the project the test runs in.
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NO_COLOR: '1', ...extra };
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
  const gitlab = await run(process.execPath, [BIN, 'init', '--ci', 'gitlab', '--json'], repo);
  expect(gitlab.code, gitlab.out).toBe(0);
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

const STABLE = 'ft:gpt-4.1-mini-2025-04-14:acme:support:St4bLe01';
const NEW = 'ft:gpt-4.1-mini-2025-04-14:acme:support:N3wM0d01';
const WEAK = 'ft:gpt-4.1-mini-2025-04-14:acme:billing:We4kM0d1';
const KEY = 'sk-test-ci-pack-eval-0123456789';

describe('the GitLab tune job\'s eval and gate step, with the pinned llmgw', () => {
  let upstream: ChatUpstream | undefined;

  afterAll(async () => {
    await upstream?.close();
  });

  it('evaluates the new model against the stable one, keeps the HTML report, and opens a 10% canary only when the gate passes', async () => {
    // The validate test above ran the workflow's `npm ci`; alone, this one installs for itself.
    if (!existsSync(join(repo, 'node_modules', '.bin', 'llmgw'))) expect((await run('npm', ['ci'], repo)).code).toBe(0);
    const answers = (right: number) => Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`q${i + 1}`, { text: i < right ? `a${i + 1}` : 'no idea' }]));
    upstream = await startChatUpstream({ apiKey: KEY, table: { [STABLE]: answers(5), [NEW]: answers(6), [WEAK]: answers(3) } });
    await writeFile(join(repo, 'datasets', 'held.jsonl'), Array.from({ length: 6 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `q${i + 1}` }, { role: 'assistant', content: `a${i + 1}` }] })).join('\n') + '\n');

    const job = (parse(await readFile(join(repo, '.gitlab-ci.yml'), 'utf8')) as Record<string, { variables: Record<string, string>; script: string[]; artifacts: { paths: string[] } }>)['llmgw-tune'];
    const step = job?.script.find((l) => l.includes('llmgw eval')) ?? '';
    const env = { ...job?.variables, EVAL_DATA: 'datasets/held.jsonl', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: upstream.baseURL, LLMGW_CONFIG_DIR: join(tmp, 'config') };
    const llmgw = (args: string[]) => run(join(repo, 'node_modules', '.bin', 'llmgw'), args, repo, env);
    // What `tune start --register` leaves behind: the alias with its stable model and the new one as a candidate.
    for (const [alias, model] of [['support-bot', STABLE], ['support-bot', NEW], ['billing-bot', STABLE], ['billing-bot', WEAK]] as const) expect((await llmgw(['models', 'register', alias, model])).code).toBe(0);

    // GitLab runs a script entry with bash -e -o pipefail.
    const passed = await run('bash', ['-eo', 'pipefail', '-c', step], repo, { ...env, TUNE_ALIAS: 'support-bot' });
    expect(passed.code, passed.out).toBe(0);
    expect(existsSync(join(repo, job?.artifacts.paths[0] ?? 'missing'))).toBe(true);
    const show = (alias: string) => llmgw(['--json', 'models', 'show', alias]).then((r) => (JSON.parse(r.out) as { targets: { role: string; weight: number; model: { id: string } }[] }).targets);
    expect((await show('support-bot')).map((t) => [t.model.id, t.role, t.weight])).toEqual([[STABLE, 'stable', 90], [NEW, 'canary', 10]]);

    await rm(join(repo, 'llmgw-eval.html'));
    const refused = await run('bash', ['-eo', 'pipefail', '-c', step], repo, { ...env, TUNE_ALIAS: 'billing-bot' });
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toMatch(/gate/i);
    expect(existsSync(join(repo, 'llmgw-eval.html'))).toBe(true);
    expect((await show('billing-bot')).map((t) => [t.model.id, t.role, t.weight])).toEqual([[STABLE, 'stable', 100], [WEAK, 'candidate', 0]]);

    // An alias's first model is its stable one: evaluated, nothing to promote, the job goes on.
    expect((await llmgw(['models', 'register', 'first-bot', NEW])).code).toBe(0);
    const first = await run('bash', ['-eo', 'pipefail', '-c', step], repo, { ...env, TUNE_ALIAS: 'first-bot' });
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('nothing to promote');
    expect((await show('first-bot')).map((t) => [t.model.id, t.role, t.weight])).toEqual([[NEW, 'stable', 100]]);

    const skipped = await run('bash', ['-eo', 'pipefail', '-c', step], repo, { ...env, EVAL_DATA: '', TUNE_ALIAS: 'billing-bot' });
    expect(skipped.code, skipped.out).toBe(0);
    // 6 examples × 3 models: the stable model's answers came from the cache the second time, and
    // NEW's for first-bot too (the same model and request); nothing was asked without EVAL_DATA.
    expect(upstream.models.length).toBe(18);
  }, 120_000);
});
