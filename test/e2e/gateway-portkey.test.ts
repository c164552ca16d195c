/**
 * A real gateway reads our export: the open-source Portkey gateway (`@portkey-ai/gateway`, run
 * from its published build) gets the exported config for an alias and OpenAI-compatible upstreams
 * on 127.0.0.1. The manifest is built with the CLI only (register, promote, route, provider set).
 * Checked: the canary split, fallback on 429/5xx but never on 400, a failing canary served by its
 * stable, a timeout that falls back, an Azure target, and the cache setting (accepted; the npm build
 * does not cache). Runs the built CLI (`npm run build` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatAsk, ChatReply } from '../fakes/openai/chat-table.js';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';
import { spawnLlmgw } from '../cli/models-helpers.js';

const STABLE = 'ft:gpt-4.1-mini-2025-04-14:acme:support:St4bLe01';
const CANARY = 'ft:gpt-4.1-mini-2025-04-14:acme:support:C4n4Ry02';
const CANARY_PERCENT = 25;
const REQUESTS = 200;
const TEST_KEY = 'test-upstream-key-not-secret';
const AZURE_KEY = 'test-azure-key-not-secret';

/** What the upstream answers: the primary model by the status asked for, a broken canary, a slow model. */
function replies(ask: ChatAsk): ChatReply {
  const status = /^status (\d{3})$/.exec(ask.prompt)?.[1];
  if (ask.model === 'primary-model' && status) return { status: Number(status) };
  if (ask.model === 'broken-canary') return { status: 503 };
  if (ask.model === 'slow-model') return { delayMs: 3_000, text: 'late' };
  return { text: 'ok' };
}

let upstream: ChatUpstream;
let gateway: ChildProcess | undefined;
let gatewayUrl = '';

/** A free port on 127.0.0.1 (the gateway takes `--port=N` and cannot report a port-0 choice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function startGateway(): Promise<void> {
  const pkg = createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json');
  const port = await freePort();
  const child = spawn(process.execPath, [join(dirname(pkg), 'build', 'start-server.js'), `--port=${port}`, '--headless'], { stdio: ['ignore', 'pipe', 'pipe'] });
  gateway = child;
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      log += d.toString();
      if (log.includes('Ready for connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the Portkey gateway exited (${code}) before it was ready:\n${log}`)));
  });
  gatewayUrl = `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  upstream = await startChatUpstream({ fallback: replies });
  await startGateway();
});

afterAll(async () => {
  gateway?.kill('SIGTERM');
  await upstream?.close();
});

/** A project folder and the CLI run in it (every step must succeed). */
function project(): { dir: string; llmgw: (...args: string[]) => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-e2e-gateway-'));
  return {
    dir,
    llmgw: async (...args: string[]) => {
      const r = await spawnLlmgw(args, dir).done;
      expect(r.code, `llmgw ${args.join(' ')}: ${r.stderr}`).toBe(0);
    },
  };
}

/** The exported config of one alias, with the key placeholders filled as a deployment would (e.g. envsubst). */
function configOf(dir: string, alias: string): string {
  const exported = readFileSync(join(dir, 'portkey.json'), 'utf8');
  expect(exported).not.toContain(TEST_KEY);
  return JSON.stringify(JSON.parse(exported).configs[alias]).replaceAll('${OPENAI_API_KEY}', TEST_KEY).replaceAll('${AZURE_TEST_KEY}', AZURE_KEY);
}

async function chat(config: string, prompt: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-portkey-config': config },
    body: JSON.stringify({ model: 'any', messages: [{ role: 'user', content: prompt }] }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The models the upstream saw for the requests sent while `fn` ran. */
async function seen(fn: () => Promise<void>): Promise<string[]> {
  const from = upstream.models.length;
  await fn();
  return upstream.models.slice(from);
}

describe('Portkey gateway reading `models export --to portkey`', () => {
  it('sends the promoted fine-tuned models upstream in the canary proportions', async () => {
    const { dir, llmgw } = project();
    await llmgw('models', 'register', 'support-bot', STABLE);
    await llmgw('models', 'register', 'support-bot', CANARY);
    await llmgw('models', 'provider', 'set', 'openai', '--base-url', upstream.baseURL);
    await llmgw('models', 'promote', 'support-bot', '--model', CANARY, '--canary', String(CANARY_PERCENT));
    await llmgw('models', 'export', '--to', 'portkey', '-o', 'portkey.json');
    const config = configOf(dir, 'support-bot');

    const models = await seen(async () => {
      for (let i = 0; i < REQUESTS; i += 1) expect((await chat(config, `Where is order ${i}?`)).status).toBe(200);
    });
    expect(models).toHaveLength(REQUESTS);
    expect(new Set(models)).toEqual(new Set([STABLE, CANARY]));
    expect(new Set(upstream.authorizations)).toEqual(new Set([`Bearer ${TEST_KEY}`]));
    // Binomial(200, 0.25): mean 50, sd √(200·0.25·0.75) ≈ 6.1. Six sd either side (a chance of
    // about 2e-9 to fail by luck) still tells 25% apart from 0%, 50%, 75% or an even split.
    const canary = models.filter((m) => m === CANARY).length;
    const mean = REQUESTS * (CANARY_PERCENT / 100);
    const sd = Math.sqrt(mean * (1 - CANARY_PERCENT / 100));
    expect(Math.abs(canary - mean)).toBeLessThanOrEqual(6 * sd);
  }, 90_000);

  it('honours the policy set with `models route`: fallback on 429/5xx and timeouts, never on 400; a failing canary served by its stable; an Azure target', async () => {
    const { dir, llmgw } = project();
    const azureRoot = upstream.baseURL.replace(/\/v1$/, '');
    await llmgw('models', 'register', 'primary', 'primary-model');
    await llmgw('models', 'register', 'backup', 'backup-model');
    await llmgw('models', 'register', 'slow', 'slow-model');
    await llmgw('models', 'register', 'canaried', 'stable-model');
    await llmgw('models', 'register', 'canaried', 'broken-canary');
    await llmgw('models', 'register', 'eu', 'gpt-4o-mini.ft-eu', '--provider', 'azure', '--deployment', 'support-eu-ft', '--base-url', azureRoot, '--api-version', '2024-10-21', '--api-key-env', 'AZURE_TEST_KEY');
    await llmgw('models', 'provider', 'set', 'openai', '--base-url', upstream.baseURL);
    await llmgw('models', 'promote', 'canaried', '--model', 'broken-canary', '--canary', '50');
    await llmgw('models', 'route', 'primary', '--fallback', 'backup', '--cache', 'exact', '--cache-ttl', '60s');
    await llmgw('models', 'route', 'slow', '--fallback', 'backup', '--timeout', '400ms');
    await llmgw('models', 'export', '--to', 'portkey', '-o', 'portkey.json');

    const primary = configOf(dir, 'primary');
    for (const status of [429, 500, 503]) {
      let r = { status: 0, body: {} as Record<string, unknown> };
      expect(await seen(async () => void (r = await chat(primary, `status ${status}`))), `on ${status}`).toEqual(['primary-model', 'backup-model']);
      expect(r.status).toBe(200);
    }
    // A 400 is the client's: returned as it is, the fallback alias never asked.
    let bad = { status: 0, body: {} as Record<string, unknown> };
    expect(await seen(async () => void (bad = await chat(primary, 'status 400')))).toEqual(['primary-model']);
    expect(bad.status).toBe(400);

    // The cache setting is accepted; the gateway published on npm does not install its cache, so
    // both identical requests reach the upstream (docs/manifest.md says so).
    expect(await seen(async () => {
      expect((await chat(primary, 'same question')).status).toBe(200);
      expect((await chat(primary, 'same question')).status).toBe(200);
    })).toEqual(['primary-model', 'primary-model']);

    // Every request the canary fails is served by the stable model.
    const canaried = configOf(dir, 'canaried');
    const models = await seen(async () => {
      for (let i = 0; i < 30; i += 1) expect((await chat(canaried, `q${i}`)).status).toBe(200);
    });
    const canaryTries = models.filter((m) => m === 'broken-canary').length;
    expect(canaryTries).toBeGreaterThan(0);
    expect(models.filter((m) => m === 'stable-model')).toHaveLength(30);
    expect(models).not.toContain('backup-model');

    // A timeout is a 408 to the gateway: the slow alias falls back well before the upstream answers.
    const started = Date.now();
    let late = { status: 0, body: {} as Record<string, unknown> };
    expect(await seen(async () => void (late = await chat(configOf(dir, 'slow'), 'hello')))).toEqual(['slow-model', 'backup-model']);
    expect(late.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_500);

    // Azure: the deployment path, the api-version and the api-key header Azure expects.
    const from = upstream.requests.length;
    expect((await chat(configOf(dir, 'eu'), 'hello')).status).toBe(200);
    const azure = upstream.requests[from];
    expect(azure?.url).toBe('/openai/deployments/support-eu-ft/chat/completions?api-version=2024-10-21');
    expect(azure?.headers['api-key']).toBe(AZURE_KEY);
  }, 90_000);
});
