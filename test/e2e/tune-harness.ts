/**
 * Shared set-up for the `tune` end-to-end tests: a fake OpenAI on 127.0.0.1, a temp project
 * folder with the sample data, and `llmgw` run as a real subprocess (`node bin/llmgw.js`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../fakes/openai/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'llmgw.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'tune');
export const BASE = 'gpt-4.1-mini-2025-04-14';
/** When the fake OpenAI's clock starts (its default), and the CLI's in these tests. */
export const FAKE_START = '2026-11-24T09:00:00.000Z';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Project {
  fake: FakeOpenAI;
  dir: string;
  env: Record<string, string>;
  /** Runs `llmgw <args>` in the project folder and waits for it. */
  run(args: string[], extraEnv?: Record<string, string | undefined>): Promise<RunResult>;
  /** Starts `llmgw <args>` and hands back the child (for Ctrl-C tests). */
  spawn(args: string[], extraEnv?: Record<string, string | undefined>): { child: ChildProcess; done: Promise<RunResult> };
  /** Every RunResult seen so far, to check nothing printed the key. */
  outputs: RunResult[];
  ledgerJobs(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function project(options: FakeOpenAIOptions = {}): Promise<Project> {
  const fake = await startFakeOpenAI(options);
  const dir = await mkdtemp(join(tmpdir(), 'llmgw-tune-'));
  await copyFile(join(FIXTURES, 'train.jsonl'), join(dir, 'train.jsonl'));
  await copyFile(join(FIXTURES, 'validation.jsonl'), join(dir, 'validation.jsonl'));
  // The CLI's clock starts where the fake's does (before OpenAI's last day for new jobs), whatever today is.
  const env: Record<string, string> = { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseURL, NO_COLOR: '1', LLMGW_NOW: FAKE_START };
  const outputs: RunResult[] = [];
  const start = (args: string[], extraEnv: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<RunResult> } => {
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OPENAI_') && !k.startsWith('LLMGW_')) childEnv[k] = v;
    for (const [k, v] of Object.entries({ ...env, ...extraEnv })) if (v !== undefined) childEnv[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<RunResult>((resolve) => {
      child.on('close', (code) => {
        const r = { code, stdout, stderr };
        outputs.push(r);
        resolve(r);
      });
    });
    return { child, done };
  };
  return {
    fake,
    dir,
    env,
    outputs,
    run: (args, extraEnv) => start(args, extraEnv).done,
    spawn: start,
    ledgerJobs: async () => (JSON.parse(await readFile(join(dir, '.llmgw', 'jobs.json'), 'utf8')) as { jobs: Record<string, unknown>[] }).jobs,
    close: async () => {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir` (recursively), as text, for the "the key is nowhere" check. */
export async function allFileText(dir: string): Promise<string> {
  let text = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const full = join(dir, name);
    if ((await stat(full)).isFile()) text += await readFile(full, 'utf8');
  }
  return text;
}

/** Asserts the key is in no output and no file the run wrote. */
export async function expectNoKey(p: Project, key = p.fake.apiKey): Promise<void> {
  const seen = p.outputs.map((o) => o.stdout + o.stderr).join('\n') + (await allFileText(p.dir));
  if (seen.includes(key)) throw new Error('the API key appeared in an output or a file');
}

/**
 * A TCP relay in front of the fake on a fixed port, so a test can take "the provider" down
 * (connections refused) and bring it back on the same address, like a server restart.
 */
export interface Relay {
  baseURL: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function relay(targetUrl: string): Promise<Relay> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const start = async (): Promise<void> => {
    const s = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const stop = async (): Promise<void> => {
    for (const sock of sockets) sock.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  };
  await start();
  return { baseURL: `http://127.0.0.1:${port}${target.pathname}`, stop, start, close: stop };
}
