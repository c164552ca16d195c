/**
 * `llmgw eval --via URL --gateway litellm` through a LiteLLM proxy fake that serves the config
 * `llmgw models export --to litellm` wrote, in front of an OpenAI-compatible fake. LiteLLM routes
 * by `model_name`: an alias is sent as the alias (the proxy's weights pick the target), any other
 * candidate as `provider/model`; the caller holds only the proxy's key (`LITELLM_API_KEY`), the
 * provider key stays in the proxy's environment.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { EvalReport } from '../../src/core/eval/report.js';
import { spawnLlmgw } from '../cli/models-helpers.js';
import { startLiteLLMFake, type LiteLLMFake } from '../fakes/litellm/server.js';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';

const STABLE = 'ft:gpt-4.1-mini-2025-04-14:acme:support:St4bLe01';
const CANARY = 'ft:gpt-4.1-mini-2025-04-14:acme:support:C4n4ry01';
const MASTER = 'sk-litellm-master-0123456789';
const PROVIDER_KEY = 'sk-test-upstream-0123456789';
let upstream: ChatUpstream;
let proxy: LiteLLMFake;
let dir: string;

const answers = (right: number) => Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`q${i + 1}`, { text: i < right ? `a${i + 1}` : 'no idea', usage: { input: 20, output: 3 }, ttftMs: 5 }]));

beforeAll(async () => {
  upstream = await startChatUpstream({ apiKey: PROVIDER_KEY, table: { [STABLE]: answers(5), [CANARY]: answers(5), 'gpt-4.1-mini': answers(3) } });
  dir = mkdtempSync(join(tmpdir(), 'llmgw-e2e-eval-litellm-'));
  writeFileSync(join(dir, 'held.jsonl'), Array.from({ length: 6 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `q${i + 1}` }, { role: 'assistant', content: `a${i + 1}` }] })).join('\n') + '\n');
  // An alias with a stable model and a 50% canary, exported as the proxy's config.
  for (const args of [['models', 'register', 'support-bot', STABLE], ['models', 'register', 'support-bot', CANARY], ['models', 'promote', 'support-bot', '--model', CANARY, '--canary', '50'], ['models', 'export', '--to', 'litellm', '-o', 'litellm.yaml']]) {
    const r = await spawnLlmgw(args, dir).done;
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  const config = parse(readFileSync(join(dir, 'litellm.yaml'), 'utf8')) as { model_list: unknown[] };
  // LiteLLM's wildcard route, so off-the-shelf models can be asked as provider/model.
  config.model_list.push({ model_name: 'openai/*', litellm_params: { model: 'openai/*', api_key: 'os.environ/OPENAI_API_KEY' } });
  proxy = await startLiteLLMFake({ config: stringify(config), masterKey: MASTER, env: { OPENAI_API_KEY: PROVIDER_KEY, OPENAI_API_BASE: upstream.baseURL } });
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('llmgw eval through a LiteLLM proxy', () => {
  it('sends the alias as the model and the proxy key from LITELLM_API_KEY, and scores what came back', async () => {
    const r = await spawnLlmgw(['--json', 'eval', '--data', 'held.jsonl', 'support-bot', 'openai:gpt-4.1-mini', '--score', 'exact', '--via', proxy.url, '--gateway', 'litellm', '--no-save'], dir, { LITELLM_API_KEY: MASTER }).done;
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as EvalReport;
    // The alias's two targets are one candidate: the proxy decides which answers.
    expect(report.candidates.map((c) => c.name)).toEqual(['support-bot', 'openai:gpt-4.1-mini']);
    const [alias, base] = report.candidates;
    expect(alias).toMatchObject({ score: { mean: 5 / 6, n: 6 }, requests: { sent: 6, failed: 0 }, tokens: { input: 120, output: 18 } });
    expect(base).toMatchObject({ score: { mean: 0.5, n: 6 }, requests: { sent: 6, failed: 0 } });
    expect(alias?.latencyMs.ttft.n).toBe(6); // streamed through the proxy

    // What the proxy saw: its own model names, its master key, on the OpenAI path.
    expect(proxy.requests.map((q) => q.model).sort()).toEqual([...Array(6).fill('openai/gpt-4.1-mini'), ...Array(6).fill('support-bot')]);
    expect(new Set(proxy.requests.map((q) => q.authorization))).toEqual(new Set([`Bearer ${MASTER}`]));
    expect(new Set(proxy.requests.map((q) => q.path))).toEqual(new Set(['/v1/chat/completions']));
    expect(proxy.requests.every((q) => q.stream)).toBe(true);
    // What the provider saw: the deployments' model ids, with the key only the proxy holds.
    expect(upstream.models.filter((m) => m === 'gpt-4.1-mini')).toHaveLength(6);
    expect(upstream.models.filter((m) => m !== 'gpt-4.1-mini').every((m) => m === STABLE || m === CANARY)).toBe(true);
    expect(new Set(upstream.authorizations)).toEqual(new Set([`Bearer ${PROVIDER_KEY}`]));
  });

  it('names LITELLM_API_KEY when the proxy refuses the key, and the alias the proxy does not serve', async () => {
    writeFileSync(join(dir, 'one.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'q9' }, { role: 'assistant', content: 'a9' }] })}\n`);
    const refused = await spawnLlmgw(['--json', 'eval', '--data', 'one.jsonl', 'support-bot', '--via', proxy.url, '--gateway', 'litellm'], dir, { LITELLM_API_KEY: 'sk-wrong' }).done;
    expect(refused.code).toBe(3);
    const err = (JSON.parse(refused.stdout) as { error: { code: string; message: string; hint: string } }).error;
    expect(err.message).toContain('LiteLLM rejected the API key (HTTP 401)');
    expect(err.hint).toContain('LITELLM_API_KEY');
    expect(refused.stderr + refused.stdout).not.toContain('sk-wrong');

    // Registered after the proxy's config was exported: the proxy has no such model_name.
    expect((await spawnLlmgw(['models', 'register', 'billing-bot', STABLE], dir).done).code).toBe(0);
    const unknown = await spawnLlmgw(['--json', 'eval', '--data', 'held.jsonl', 'billing-bot', '--via', proxy.url, '--gateway', 'litellm', '--concurrency', '1'], dir, { LITELLM_API_KEY: MASTER }).done;
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'gateway_model_not_found', message: expect.stringContaining('serves no model named "billing-bot"'), hint: expect.stringContaining('llmgw models export --to litellm') } });
    // Stopped at the first answer instead of paying for (and failing) the rest.
    expect(proxy.requests.filter((q) => q.model === 'billing-bot')).toHaveLength(1);
  });
});
