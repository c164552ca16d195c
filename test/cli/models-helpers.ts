/** A temp project for the `models` and `manifest` CLI tests, run in-process through `main`. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';

export const A = 'ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345';
export const B = 'ft:gpt-4.1-mini-2025-04-14:acme:support:Qw3rTy12';

export interface ModelsWorld {
  dir: string;
  manifest: string;
  run(argv: string[], env?: Record<string, string>): Promise<{ code: number; out: string; err: string; io: MemoryIo }>;
  /** Runs with --json and parses stdout. */
  json<T = Record<string, unknown>>(argv: string[], env?: Record<string, string>): Promise<{ code: number; data: T; err: string }>;
}

export function modelsWorld(baseEnv: Record<string, string> = {}): ModelsWorld {
  const root = mkdtempSync(join(tmpdir(), 'llmgw-models-'));
  const dir = join(root, 'project');
  mkdirSync(join(dir, '.git'), { recursive: true });
  let t = Date.UTC(2026, 10, 24, 12);
  const run: ModelsWorld['run'] = async (argv, env = {}) => {
    const io = memoryIo({ env: { LLMGW_CONFIG_DIR: join(root, 'config'), NO_COLOR: '1', USER: 'alice', ...baseEnv, ...env }, cwd: dir, now: () => (t += 1000) });
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err(), io };
  };
  return {
    dir,
    manifest: join(dir, 'llmgw.routes.json'),
    run,
    async json(argv, env) {
      const r = await run(['--json', ...argv], env);
      return { code: r.code, data: JSON.parse(r.out), err: r.err };
    },
  };
}

/** The repository root and the built CLI, for tests that spawn `node bin/llmgw.js`. */
export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'llmgw.js');

export interface Spawned {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `node bin/llmgw.js <args>` in `cwd` with a clean llmgw/OpenAI environment plus `env`. */
export function spawnLlmgw(args: string[], cwd: string, env: Record<string, string> = {}, user?: { uid: number; gid: number }): Spawned {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OPENAI_') && !k.startsWith('LLMGW_')) childEnv[k] = v;
  Object.assign(childEnv, { NO_COLOR: '1', LLMGW_CONFIG_DIR: join(cwd, '.test-config') }, env);
  // `user`: run as that (unprivileged) user; the test must run as root to switch.
  const argv = user ? [join(ROOT, 'test', 'helpers', 'as-user.mjs'), String(user.uid), String(user.gid), BIN, ...args] : [BIN, ...args];
  const child = spawn(process.execPath, argv, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}
