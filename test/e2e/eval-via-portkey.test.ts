/**
 * `llmgw eval --via URL --gateway portkey` measures the production path: the built CLI sends
 * every request to the real open-source Portkey gateway (`@portkey-ai/gateway`, its published
 * build), which forwards it to an OpenAI-compatible fake on 127.0.0.1 with the key llmgw resolved.
 * With `--no-stream`: the gateway's Node build (1.15.2) answers every streamed request with a 500
 * on Node 22 (it appends its headers to a Response whose headers undici made immutable).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/eval/report.js';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';
import { spawnLlmgw } from '../cli/models-helpers.js';

const KEY = 'sk-test-eval-portkey-0123456789';
let upstream: ChatUpstream;
let gateway: ChildProcess | undefined;
let gatewayUrl = '';
let dir = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

beforeAll(async () => {
  const table = { 'gpt-4.1-mini': Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`q${i + 1}`, { text: i < 4 ? `a${i + 1}` : 'wrong', usage: { input: 30, output: 4 } }])) };
  upstream = await startChatUpstream({ apiKey: KEY, table });
  const port = await freePort();
  const start = join(dirname(createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json')), 'build', 'start-server.js');
  const child = spawn(process.execPath, [start, `--port=${port}`, '--headless'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
  dir = mkdtempSync(join(tmpdir(), 'llmgw-e2e-eval-portkey-'));
  writeFileSync(join(dir, 'held.jsonl'), Array.from({ length: 6 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `q${i + 1}` }, { role: 'assistant', content: `a${i + 1}` }] })).join('\n') + '\n');
});

afterAll(async () => {
  gateway?.kill('SIGTERM');
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('llmgw eval through the Portkey gateway', () => {
  it('scores the answers that came through the gateway, with the key llmgw resolved', async () => {
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: upstream.baseURL };
    const r = await spawnLlmgw(['--json', 'eval', '--data', 'held.jsonl', 'openai:gpt-4.1-mini', '--score', 'exact', '--via', gatewayUrl, '--gateway', 'portkey', '--no-stream'], dir, env).done;
    expect(r.code, r.stderr + r.stdout.slice(0, 3000)).toBe(0);
    const report = JSON.parse(r.stdout) as EvalReport;
    expect(report.candidates[0]).toMatchObject({ name: 'openai:gpt-4.1-mini', score: { mean: 4 / 6, n: 6 }, requests: { sent: 6, failed: 0 }, tokens: { input: 180, output: 24 } });
    expect(report.candidates[0]?.latencyMs.total.n).toBe(6);
    expect(upstream.requests.every((q) => q.body.stream === undefined && q.body.model === 'gpt-4.1-mini')).toBe(true);
    expect(upstream.models).toEqual(Array(6).fill('gpt-4.1-mini'));
    expect(new Set(upstream.authorizations)).toEqual(new Set([`Bearer ${KEY}`]));
    // The measured path is the gateway's: a direct run is a different endpoint, so it is not served from the gateway's cache.
    const direct = await spawnLlmgw(['--json', 'eval', '--data', 'held.jsonl', 'openai:gpt-4.1-mini', '--score', 'exact'], dir, env).done;
    expect(direct.code, direct.stderr).toBe(0);
    expect((JSON.parse(direct.stdout) as EvalReport).candidates[0]?.requests).toMatchObject({ sent: 6, fromCache: 0 });
    expect(upstream.models).toHaveLength(12);
  });
});
