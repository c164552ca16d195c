/**
 * The whole gateway policy from the CLI: `models route` and `models provider set` write through
 * the same locked, revisioned path as promote (a revision and a history entry each), and the
 * exports carry what they set.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { historyPathFor, readHistory } from '../../src/core/manifest/history.js';
import { A, B, modelsWorld } from './models-helpers.js';

const CLAUDE = 'anthropic/claude-sonnet-4';
const manifest = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('models route', () => {
  it('sets fallbacks, retries, timeout, priorities, limits and cache as one revision with history', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'support-bot', A, '--job', 'ftjob-1']);
    await w.run(['models', 'register', 'claude-backup', CLAUDE, '--provider', 'openrouter']);
    const r = await w.json<{ revision: number; action: string; changed: boolean; policy: Record<string, unknown> }>([
      'models', 'route', 'support-bot', '--fallback', 'claude-backup', '--retry', '2', '--retry-on', '429,503', '--timeout', '30s', '--fallback-on', '429,500,502,503,504',
      '--rpm', 'support-bot.support-AbC12345=600', '--tpm', `${A}=100000`, '--cache', 'exact', '--cache-ttl', '10m', '--reason', 'policy',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.data).toMatchObject({ revision: 3, action: 'route', changed: true });
    expect(r.data.policy).toEqual({ fallbacks: ['claude-backup'], fallbackOn: [429, 500, 502, 503, 504], retry: { attempts: 2, onStatus: [429, 503] }, timeoutMs: 30_000, cache: { mode: 'exact', ttlSeconds: 600 } });
    const alias = manifest(w.manifest).aliases['support-bot'];
    expect(alias.targets[0].limits).toEqual({ rpm: 600, tpm: 100000 });
    const log = (await readHistory(historyPathFor(w.manifest))).entries;
    expect(log.at(-1)).toMatchObject({ revision: 3, action: 'route', alias: 'support-bot', reason: 'policy', who: 'alice' });

    // The exports carry it: LiteLLM router retries and limits, Portkey retry, timeout, cache and fallback.
    const lite = await w.json<{ content: string }>(['models', 'export', '--to', 'litellm']);
    const cfg = parseYaml(lite.data.content) as { model_list: { model_name: string; litellm_params: Record<string, unknown> }[]; router_settings: Record<string, unknown> };
    expect(cfg.model_list.find((e) => e.model_name === 'support-bot')?.litellm_params).toMatchObject({ rpm: 600, tpm: 100000, timeout: 30 });
    expect(cfg.model_list.find((e) => e.model_name === 'claude-backup')?.litellm_params).toMatchObject({ model: `openrouter/${CLAUDE}`, api_key: 'os.environ/OPENROUTER_API_KEY' });
    expect(cfg.router_settings.fallbacks).toEqual([{ 'support-bot': ['claude-backup'] }]);
    const pk = await w.json<{ content: string }>(['models', 'export', '--to', 'portkey']);
    const bot = JSON.parse(pk.data.content).configs['support-bot'];
    expect(bot.strategy).toEqual({ mode: 'fallback', on_status_codes: [429, 500, 502, 503, 504] });
    expect(bot.targets[0]).toMatchObject({ retry: { attempts: 2, on_status_codes: [429, 503] }, request_timeout: 30000, cache: { mode: 'simple', max_age: 600 } });
    expect(bot.targets[1].targets[0]).toMatchObject({ provider: 'openrouter', api_key: '${OPENROUTER_API_KEY}', override_params: { model: CLAUDE } });
  });

  it('writes nothing when nothing changes, and takes settings away with none / default', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    await w.run(['models', 'route', 'bot', '--retry', '2', '--timeout', '1500ms']);
    const again = await w.json<{ revision: number; changed: boolean }>(['models', 'route', 'bot', '--retry', '2']);
    expect(again.data).toMatchObject({ revision: 2, changed: false });
    const off = await w.json<{ revision: number; policy: Record<string, unknown> }>(['models', 'route', 'bot', '--retry', 'none', '--timeout', 'none']);
    expect(off.data.revision).toBe(3);
    expect(off.data.policy).toEqual({ fallbacks: [] });
  });

  it('makes an off-the-shelf model the alias’s backup tier with --priority', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    await w.run(['models', 'register', 'bot', CLAUDE, '--provider', 'openrouter']);
    const r = await w.json<{ targets: { model: string; role: string; weight: number; priority: number }[] }>(['models', 'route', 'bot', '--priority', `${CLAUDE}=1`]);
    expect(r.code).toBe(0);
    expect(r.data.targets.map((t) => [t.model, t.role, t.weight, t.priority])).toEqual([[A, 'stable', 100, 0], [CLAUDE, 'stable', 100, 1]]);
  });

  it('refuses what it cannot do with a usage error and the fix', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    const cases: [string[], string][] = [
      [['--fallback', 'ghost'], 'no such alias'],
      [['--retry-on', '429'], 'needs --retry N'],
      [['--timeout', '30'], 'a duration such as 30s'],
      [['--retry', '11'], 'from 0 to 10'],
      [['--priority', 'nope=1'], 'has no target "nope"'],
      [['--rpm', 'bot.support-AbC12345=fast'], 'TARGET=N'],
      [[], 'Say what to change'],
    ];
    for (const [flags, message] of cases) {
      const r = await w.run(['models', 'route', 'bot', ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err, flags.join(' ')).toContain(message);
    }
    expect(manifest(w.manifest).revision).toBe(1);
  });
});

describe('models provider set, and exports that would fail at request time', () => {
  it('an Azure target is exit 1 until its connection facts are set by command; then both exports work', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'support-eu', 'gpt-4o-mini.ft-1', '--provider', 'azure', '--deployment', 'support-eu-ft', '--base-model', 'gpt-4o-mini-2024-07-18']);
    for (const to of ['litellm', 'portkey']) {
      const r = await w.run(['models', 'export', '--to', to, '-o', `${to}.out`]);
      expect(r.code, to).toBe(1);
      expect(r.err).toContain('would fail requests');
      expect(r.err).toContain('llmgw models provider set azure');
    }
    const allowed = await w.run(['models', 'export', '--to', 'portkey', '--allow-incomplete']);
    expect(allowed.code).toBe(0);

    const set = await w.json<{ revision: number; created: boolean; after: Record<string, string> }>(['models', 'provider', 'set', 'azure', '--resource-name', 'acme-eu', '--api-version', '2024-10-21']);
    expect(set.data).toMatchObject({ revision: 2, created: false, after: { type: 'azure', apiKeyEnv: 'AZURE_OPENAI_API_KEY', resourceName: 'acme-eu', apiVersion: '2024-10-21' } });
    expect((await readHistory(historyPathFor(w.manifest))).entries.at(-1)).toMatchObject({ revision: 2, action: 'provider', provider: 'azure', after: { resourceName: 'acme-eu' } });
    const lite = parseYaml((await w.json<{ content: string }>(['models', 'export', '--to', 'litellm'])).data.content) as { model_list: { litellm_params: Record<string, unknown> }[] };
    expect(lite.model_list[0]?.litellm_params).toMatchObject({ model: 'azure/support-eu-ft', api_base: 'https://acme-eu.openai.azure.com', api_version: '2024-10-21' });
    const pk = JSON.parse((await w.json<{ content: string }>(['models', 'export', '--to', 'portkey'])).data.content);
    expect(pk.configs['support-eu'].targets[0]).toMatchObject({ provider: 'azure-openai', resource_name: 'acme-eu', deployment_id: 'support-eu-ft', api_version: '2024-10-21' });
  });

  it('register takes the connection facts for a new provider entry and refuses ones that differ from an existing entry', async () => {
    const w = modelsWorld();
    const r = await w.run(['models', 'register', 'eu', 'gpt-4o-mini.ft-1', '--provider', 'azure', '--deployment', 'eu-ft', '--resource-name', 'acme-eu', '--api-version', '2024-10-21']);
    expect(r.code, r.err).toBe(0);
    expect(manifest(w.manifest).providers.azure).toEqual({ type: 'azure', apiKeyEnv: 'AZURE_OPENAI_API_KEY', resourceName: 'acme-eu', apiVersion: '2024-10-21' });
    const other = await w.run(['models', 'register', 'eu2', 'gpt-4o-mini.ft-2', '--provider', 'azure', '--deployment', 'eu-ft-2', '--resource-name', 'acme-us']);
    expect(other.code).toBe(2);
    expect(other.err).toContain('llmgw models provider set azure');
  });

  it('adds an OpenAI-compatible server and refuses a key where its variable name belongs', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    const bad = await w.run(['models', 'provider', 'set', 'vllm', '--type', 'openai-compatible', '--api-key-env', 'Zx81kQ2mN7pL4vR9tY3wB6cD']);
    expect(bad.code).toBe(1);
    expect(bad.err).not.toContain('Zx81kQ2mN7pL4vR9tY3wB6cD');
    const ok = await w.run(['models', 'provider', 'set', 'vllm', '--type', 'openai-compatible', '--api-key-env', 'VLLM_API_KEY', '--base-url', 'http://10.0.0.5:8000/v1']);
    expect(ok.code, ok.err).toBe(0);
    expect(manifest(w.manifest).providers.vllm).toEqual({ type: 'openai-compatible', apiKeyEnv: 'VLLM_API_KEY', baseUrl: 'http://10.0.0.5:8000/v1' });
  });
});

describe('registering a registered model on another alias', () => {
  it('needs none of its facts again, and refuses facts that differ', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A, '--job', 'ftjob-1', '--dataset-hash', 'abc']);
    const second = await w.run(['models', 'register', 'bot-eu', A]);
    expect(second.code, second.err).toBe(0);
    expect(manifest(w.manifest).models[A]).toMatchObject({ jobId: 'ftjob-1', datasetHash: 'abc' });
    expect((await w.run(['models', 'register', 'bot-us', A, '--job', 'ftjob-1'])).code).toBe(0);
    const conflict = await w.run(['models', 'register', 'bot-ap', A, '--job', 'ftjob-2']);
    expect(conflict.code).toBe(2);
    expect(conflict.err).toContain('another jobId');
    expect((await w.run(['models', 'register', 'bot-ap', B])).code).toBe(0);
  });
});
