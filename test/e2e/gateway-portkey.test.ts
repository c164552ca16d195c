/**
 * A real gateway reads our export: the open-source Portkey gateway (`@portkey-ai/gateway`, run
 * from its published build) gets the exported config for an alias and an OpenAI-compatible
 * upstream on 127.0.0.1; the upstream must see the fine-tuned model ids in the promoted split.
 * Runs the built CLI (`npm run build` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';
import { spawnLlmgw } from '../cli/models-helpers.js';

const STABLE = 'ft:gpt-4.1-mini-2025-04-14:acme:support:St4bLe01';
const CANARY = 'ft:gpt-4.1-mini-2025-04-14:acme:support:C4n4Ry02';
const CANARY_PERCENT = 25;
const REQUESTS = 200;
const TEST_KEY = 'test-upstream-key-not-secret';

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
  upstream = await startChatUpstream();
  await startGateway();
});

afterAll(async () => {
  gateway?.kill('SIGTERM');
  await upstream?.close();
});

describe('Portkey gateway reading `models export --to portkey`', () => {
  it('sends the promoted fine-tuned models upstream in the canary proportions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmgw-e2e-gateway-'));
    const llmgw = async (...args: string[]) => {
      const r = await spawnLlmgw(args, dir).done;
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    await llmgw('models', 'register', 'support-bot', STABLE);
    await llmgw('models', 'register', 'support-bot', CANARY);
    // The account's endpoint is part of the provider entry (hand-edited, then validated).
    const manifestPath = join(dir, 'llmgw.routes.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.providers.openai.baseUrl = upstream.baseURL;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    await llmgw('manifest', 'validate');
    await llmgw('models', 'promote', 'support-bot', '--model', CANARY, '--canary', String(CANARY_PERCENT));
    await llmgw('models', 'export', '--to', 'portkey', '-o', 'portkey.json');

    const exported = readFileSync(join(dir, 'portkey.json'), 'utf8');
    expect(exported).not.toContain(TEST_KEY);
    // What a deployment does with the file (e.g. envsubst): fill in the key placeholders.
    const config = JSON.stringify(JSON.parse(exported).configs['support-bot']).replaceAll('${OPENAI_API_KEY}', TEST_KEY);

    for (let i = 0; i < REQUESTS; i += 1) {
      const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-portkey-config': config },
        body: JSON.stringify({ model: 'support-bot', messages: [{ role: 'user', content: `Where is order ${i}?` }] }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      await res.json();
    }

    expect(upstream.models).toHaveLength(REQUESTS);
    expect(new Set(upstream.models)).toEqual(new Set([STABLE, CANARY]));
    expect(new Set(upstream.authorizations)).toEqual(new Set([`Bearer ${TEST_KEY}`]));
    // Binomial(200, 0.25): mean 50, sd √(200·0.25·0.75) ≈ 6.1. Six sd either side (a chance of
    // about 2e-9 to fail by luck) still tells 25% apart from 0%, 50%, 75% or an even split.
    const canary = upstream.models.filter((m) => m === CANARY).length;
    const mean = REQUESTS * (CANARY_PERCENT / 100);
    const sd = Math.sqrt(mean * (1 - CANARY_PERCENT / 100));
    expect(Math.abs(canary - mean)).toBeLessThanOrEqual(6 * sd);
  });
});
