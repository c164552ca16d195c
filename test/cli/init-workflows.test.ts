/**
 * The CI files `llmgw init --ci …` writes must be valid YAML, and every `llmgw` command they (and
 * init's "next steps") run must exist with the flags they pass, checked against the real program.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { createProgram } from '../../src/cli/program.js';
import { memoryIo } from '../helpers/io.js';

interface Invocation {
  path: string[];
  flags: string[];
  line: string;
}

/** `npx --no-install llmgw tune start --model "$M" ${V:+--validation "$V"}` → tune start, [--model, --validation]. */
function invocations(script: string): Invocation[] {
  const lines = script.replace(/\\\n\s*/g, ' ').split('\n');
  const found: Invocation[] = [];
  for (const line of lines) {
    // llmgw where a command starts (line start, `$ `, after `;`, `(`, `then`, `npx [--no-install]`), maybe after VAR=value.
    const m = /(?:^\s*|\$\s+|[;(]\s*|\bthen\s+|\bnpx\s+(?:--no-install\s+|--yes\s+)?)(?:[A-Z_]+=\S*\s+)*llmgw(?:@\S+)?\s+([a-z].*)$/.exec(line);
    const cmd = m?.[1]?.split(/;|&&|\|\|/)[0];
    if (!cmd) continue;
    const words = cmd.split(/\s+/).map((w) => w.replace(/[)"'`]+$/, ''));
    // Command words as deep as they go (`models provider set`); findCommand stops where the commands do.
    const firstArg = words.findIndex((w, i) => i >= 3 || !/^[a-z][a-z-]*$/.test(w));
    const path = words.slice(0, firstArg === -1 ? 3 : firstArg);
    const flags = [...cmd.matchAll(/(?:^|[\s+])(--[a-z][a-z0-9-]*)/g)].map((f) => f[1] ?? '');
    found.push({ path, flags, line: line.trim() });
  }
  return found;
}

/** Every shell script in a GitHub workflow (`steps[].run`) or a GitLab pipeline (`script` lines). */
function scripts(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const jobs = (doc.jobs ?? doc) as Record<string, unknown>;
  for (const job of Object.values(jobs)) {
    if (job === null || typeof job !== 'object') continue;
    const j = job as { steps?: { run?: unknown }[]; script?: unknown[] };
    const lines = [...(j.steps ?? []).map((s) => s.run).filter((r) => r !== undefined), ...(j.script ?? [])];
    // A `key: value` inside an unquoted script line turns it into a mapping, which CI rejects.
    for (const line of lines) expect(typeof line, JSON.stringify(line)).toBe('string');
    out.push(...(lines as string[]));
  }
  return out;
}

function findCommand(program: Command, path: string[]): { cmd: Command; rest: string[] } | undefined {
  let cmd = program;
  const rest = [...path];
  while (rest.length > 0 && cmd.commands.length > 0) {
    const next = cmd.commands.find((c) => c.name() === rest[0] || c.aliases().includes(rest[0] ?? ''));
    if (!next) return undefined;
    cmd = next;
    rest.shift();
  }
  return cmd === program ? undefined : { cmd, rest };
}

function checkInvocation(program: Command, inv: Invocation): string[] {
  const found = findCommand(program, inv.path);
  if (!found) return [`no command "llmgw ${inv.path.join(' ')}" (${inv.line})`];
  const known = new Set([...found.cmd.options, ...program.options].map((o) => o.long).concat('--help'));
  if (found.cmd.commands.length > 0 && inv.flags.some((f) => f !== '--help')) return [`"llmgw ${inv.path.join(' ')}" needs a subcommand (${inv.line})`];
  return inv.flags.filter((f) => !known.has(f)).map((f) => `"llmgw ${found.cmd.parent?.name() === 'llmgw' ? '' : `${found.cmd.parent?.name()} `}${found.cmd.name()}" has no option ${f}`);
}

let dir: string;
let program: Command;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llmgw-ci-'));
  const io = memoryIo({ cwd: dir });
  expect(await main(['init', '--ci', 'github'], io)).toBe(0);
  expect(await main(['init', '--ci', 'gitlab'], io)).toBe(0);
  program = await createProgram(memoryIo(), { exitCode: 0 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yamlOf = (path: string) => parse(readFileSync(join(dir, path), 'utf8')) as Record<string, unknown>;

describe('generated CI files', () => {
  it('the validate workflow runs on pull requests touching datasets, with GitHub annotations', () => {
    const doc = yamlOf('.github/workflows/llmgw-validate.yml');
    expect(doc.on).toEqual({ pull_request: { paths: expect.arrayContaining(['datasets/**']) } });
    const invs = scripts(doc).flatMap(invocations);
    expect(invs).toContainEqual(expect.objectContaining({ path: ['dataset', 'validate'], flags: ['--format'] }));
    expect(invs.find((i) => i.path[0] === 'dataset')?.line).toContain('--format github');
    expect(invs.every((i) => i.line.includes('npx --no-install llmgw '))).toBe(true);
  });

  it('the tune workflow is manual, waits, registers, and opens a pull request with the manifest change', () => {
    const doc = yamlOf('.github/workflows/llmgw-tune.yml');
    expect(Object.keys(doc.on as object)).toEqual(['workflow_dispatch']);
    expect(doc.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    const invs = scripts(doc).flatMap(invocations);
    expect(invs.map((i) => i.path.join(' '))).toEqual(['tune start', 'eval', 'models show', 'models promote']);
    expect(invs.find((i) => i.path[1] === 'promote')?.flags).toEqual(expect.arrayContaining(['--canary', '--gate']));
    expect(invs[0]?.flags).toEqual(expect.arrayContaining(['--wait', '--register']));
    const steps = (doc.jobs as { tune: { steps: { uses?: string; env?: Record<string, string>; run?: string }[] } }).tune.steps;
    expect(steps.some((s) => s.uses?.startsWith('peter-evans/create-pull-request@'))).toBe(true);
    // The key comes from the repository's secrets, and no input is pasted into a script.
    expect(steps.find((s) => s.run?.includes('tune start'))?.env?.OPENAI_API_KEY).toBe('${{ secrets.OPENAI_API_KEY }}');
    expect(steps.filter((s) => s.run?.includes('${{')).length).toBe(0);
  });

  it('the GitLab pipeline validates merge requests and has a manual tune job that opens a merge request', () => {
    const doc = yamlOf('.gitlab-ci.yml');
    const validate = doc['llmgw-validate'] as { rules: { if: string }[] };
    expect(validate.rules[0]?.if).toContain('merge_request_event');
    const tune = doc['llmgw-tune'] as { script: string[] };
    expect(tune.script.join('\n')).toContain('merge_request.create');
    const invs = scripts(doc).flatMap(invocations);
    expect(invs.map((i) => i.path.join(' ')).sort()).toEqual(['dataset validate', 'eval', 'manifest validate', 'models promote', 'models show', 'tune start']);
  });

  it('the GitLab tune job evaluates against the stable model and promotes a 10% canary only through the gate, keeping the report', () => {
    const tune = yamlOf('.gitlab-ci.yml')['llmgw-tune'] as { variables: Record<string, string>; script: string[]; artifacts: { when: string; paths: string[] } };
    // The same default gate as the GitHub workflow's input; an empty EVAL_DATA skips the step.
    const github = yamlOf('.github/workflows/llmgw-tune.yml') as { on: { workflow_dispatch: { inputs: { gate: { default: string } } } } };
    expect(tune.variables).toMatchObject({ EVAL_DATA: '', EVAL_GATE: github.on.workflow_dispatch.inputs.gate.default });
    const at = (needle: string) => tune.script.findIndex((l) => l.includes(needle));
    const evalStep = tune.script[at('llmgw eval')] ?? '';
    expect(evalStep).toMatch(/^if \[ -n "\$EVAL_DATA" \]; then/);
    const invs = invocations(evalStep);
    expect(invs.map((i) => i.path.join(' '))).toEqual(['eval', 'models show', 'models promote']);
    expect(invs[0]?.line).toContain('"$TUNE_ALIAS" --score exact --html llmgw-eval.html');
    expect(invs[2]?.line).toContain('--canary 10 --gate "$EVAL_GATE"');
    // After registering, before anything is committed or pushed: a failing gate stops the job.
    expect(at('tune start')).toBeLessThan(at('llmgw eval'));
    expect(at('llmgw eval')).toBeLessThan(at('git checkout'));
    expect(tune.artifacts).toMatchObject({ when: 'always', paths: ['llmgw-eval.html'] });
  });

  it('every llmgw command in the CI files and in init\'s next steps exists with the flags used', async () => {
    const io = memoryIo({ cwd: dir });
    await main(['init', '--json'], io);
    const next = (JSON.parse(io.out()) as { next: string[] }).next.filter((s) => s.startsWith('llmgw '));
    const all = [
      ...scripts(yamlOf('.github/workflows/llmgw-validate.yml')),
      ...scripts(yamlOf('.github/workflows/llmgw-tune.yml')),
      ...scripts(yamlOf('.gitlab-ci.yml')),
      ...next,
    ].flatMap(invocations);
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(all.flatMap((inv) => checkInvocation(program, inv))).toEqual([]);
  });

  it('CI files and docs run the llmgw the repository pins, never a package fetched by name', () => {
    const root = join(import.meta.dirname, '../..');
    const texts = ['templates/ci/github/llmgw-validate.yml', 'templates/ci/github/llmgw-tune.yml', 'templates/ci/gitlab/gitlab-ci.yml', 'docs/ci.md', 'docs/commands/dataset.md'].map((f) => [f, readFileSync(join(root, f), 'utf8')] as const);
    // `npx llmgw` (or --yes) fetches whatever is published under that name when it is not installed; CI has no prompt to stop it.
    const fetched = texts.flatMap(([f, text]) => [...text.matchAll(/npx(?! --no-install)[^\n|;&]*?\bllmgw\b/g)].map((m) => `${f}: ${m[0]}`));
    expect(fetched).toEqual([]);
    expect(texts.filter(([f]) => f.startsWith('templates/')).every(([, text]) => text.includes('npm ci'))).toBe(true);
  });

  it('every llmgw command shown in the README and the docs exists with its flags', () => {
    const root = join(import.meta.dirname, '../..');
    const files = ['README.md', 'docs/ci.md', 'docs/configuration.md', 'docs/troubleshooting.md', 'docs/manifest.md', 'docs/tokens.md', ...readdirSync(join(root, 'docs/commands')).map((f) => `docs/commands/${f}`)];
    const docs = files.map((f) => readFileSync(join(root, f), 'utf8'));
    // Code blocks line by line, and inline `code` spans.
    const snippets = docs.flatMap((text) => [
      // In console blocks only the `$ ` lines are commands; the rest is output.
      ...[...text.matchAll(/```([a-z]*)\n([\s\S]*?)```/g)].map((m) => (m[1] === 'console' ? (m[2] ?? '').split('\n').filter((l) => l.startsWith('$ ')).join('\n') : (m[2] ?? ''))),
      ...[...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? ''),
    ]);
    const all = snippets.flatMap(invocations).filter((inv) => inv.path.length > 0);
    expect(all.length).toBeGreaterThanOrEqual(20);
    expect(all.flatMap((inv) => checkInvocation(program, inv))).toEqual([]);
  });
});
