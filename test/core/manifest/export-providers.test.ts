/**
 * Every provider type through both exports: a golden file per provider and gateway, one meaning
 * of baseUrl, and a LiteLLM config that YAML 1.1 (LiteLLM's loader) reads with every key a string.
 * LiteLLM cannot be installed from npm, so its side is checked against its documented shapes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { exportManifest } from '../../../src/core/manifest/export/index.js';
import { liteLLMApiBase, portkeyCustomHost } from '../../../src/core/manifest/export/hosts.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { PROVIDER_TYPE_INFO, PROVIDER_TYPES, type ProviderType } from '../../../src/core/manifest/provider-types.js';
import { emptyManifest, type Manifest } from '../../../src/core/manifest/schema.js';
import { register } from '../../../src/core/manifest/transitions.js';
import { FIXTURES } from './helpers.js';

const DIR = join(FIXTURES, 'providers');
const opts = { source: 'llmgw.routes.json' };
const all = () => parseManifest(readFileSync(join(DIR, 'routes.json'), 'utf8'));

/** The manifest cut down to one alias, with its models and providers. */
function only(m: Manifest, alias: string): Manifest {
  const entry = m.aliases[alias];
  if (!entry) throw new Error(`no alias ${alias}`);
  const models = Object.fromEntries(entry.targets.map((t) => [t.model, m.models[t.model]!]));
  const providers = Object.fromEntries(Object.values(models).map((mm) => [mm.provider, m.providers[mm.provider]!]));
  return { ...m, providers, models, aliases: { [alias]: entry } };
}

describe('a golden file per provider', () => {
  const m = all();
  for (const alias of Object.keys(m.aliases)) {
    it(`${alias}: LiteLLM and Portkey configs as committed, with nothing blocking`, () => {
      const one = only(m, alias);
      const lite = exportManifest(one, 'litellm', opts);
      const pk = exportManifest(one, 'portkey', opts);
      expect(lite.text).toBe(readFileSync(join(DIR, 'litellm', `${alias}.yaml`), 'utf8'));
      expect(pk.text).toBe(readFileSync(join(DIR, 'portkey', `${alias}.json`), 'utf8'));
      expect([...lite.warnings, ...pk.warnings].filter((w) => w.blocking)).toEqual([]);
    });
  }
});

describe('one meaning of baseUrl', () => {
  // What each gateway uses when it is given no host, as read in its source: Portkey
  // src/providers/<name>/api.ts getBaseURL; LiteLLM's default api_base per provider.
  const PORTKEY_OWN: Partial<Record<ProviderType, string>> = {
    openai: 'https://api.openai.com/v1',
    together: 'https://api.together.xyz',
    fireworks: 'https://api.fireworks.ai/inference/v1',
    mistral: 'https://api.mistral.ai/v1',
    openrouter: 'https://openrouter.ai/api',
    anthropic: 'https://api.anthropic.com/v1',
    gemini: 'https://generativelanguage.googleapis.com',
  };
  const LITELLM_OWN: Partial<Record<ProviderType, string>> = {
    openai: 'https://api.openai.com/v1',
    together: 'https://api.together.xyz/v1',
    fireworks: 'https://api.fireworks.ai/inference/v1',
    mistral: 'https://api.mistral.ai/v1',
    openrouter: 'https://openrouter.ai/api/v1',
    anthropic: 'https://api.anthropic.com',
  };

  it("the provider's own API root, given as baseUrl, becomes each gateway's own default host", () => {
    for (const type of PROVIDER_TYPES) {
      const root = PROVIDER_TYPE_INFO[type].defaultBaseUrl;
      if (!root) continue;
      if (PORTKEY_OWN[type]) expect(portkeyCustomHost(type, root), `portkey ${type}`).toBe(PORTKEY_OWN[type]);
      if (LITELLM_OWN[type]) expect(liteLLMApiBase(type, root), `litellm ${type}`).toBe(LITELLM_OWN[type]);
    }
    expect(portkeyCustomHost('azure', 'https://acme-eu.openai.azure.com/')).toBe('https://acme-eu.openai.azure.com/openai');
  });

  it('a Together baseUrl ending in /v1 is not sent to Portkey with /v1 twice', () => {
    const pk = JSON.parse(exportManifest(only(all(), 'together'), 'portkey', opts).text);
    expect(pk.configs.together.targets[0].custom_host).toBe('https://api.together.xyz');
    const lite = exportManifest(only(all(), 'together'), 'litellm', opts).text;
    expect(lite).toContain('api_base: "https://api.together.xyz/v1"');
  });
});

describe('YAML 1.1, as LiteLLM reads it', () => {
  const TRICKY = ['2024-10-21', 'yes', 'no', 'on', 'off', 'y', 'n', 'true', 'False', 'null', 'NULL', '1_000', '0x1F', '1e3', '0o17', '012', '1.5', '12'];

  function trickyManifest(): Manifest {
    let m = emptyManifest(Date.UTC(2026, 10, 1));
    for (const [i, alias] of TRICKY.entries()) {
      const id = `ft:gpt-4o-mini-2024-07-18:acme:t${i}:Id${i}`;
      m = register(m, { alias, model: { id, provider: 'openai', providerModelId: id, baseModel: '2024-10-21' }, providerEntry: { type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' }, createdAt: '2026-11-01T00:00:00.000Z' }).manifest;
    }
    for (const [i, alias] of TRICKY.entries()) {
      const a = m.aliases[alias]!;
      m.aliases[alias] = { ...a, fallbacks: i + 1 < TRICKY.length ? [TRICKY[i + 1]!] : [], retry: { attempts: 1, onStatus: [] } };
    }
    return parseManifest(m);
  }

  function keysOf(node: Node | null | undefined, out: unknown[] = []): unknown[] {
    if (isMap(node)) for (const pair of node.items) {
      out.push(isScalar(pair.key) ? pair.key.value : pair.key);
      keysOf(pair.value as Node, out);
    }
    else if (isSeq(node)) for (const item of node.items) keysOf(item as Node, out);
    return out;
  }

  it('every key stays a string, and aliases named 2024-10-21, yes, on or 1_000 match their fallbacks', () => {
    const text = exportManifest(trickyManifest(), 'litellm', opts).text;
    const doc = parseDocument(text, { version: '1.1' });
    expect(doc.errors).toEqual([]);
    const keys = keysOf(doc.contents as Node);
    expect(keys.filter((k) => typeof k !== 'string')).toEqual([]);
    const cfg = doc.toJS() as { model_list: { model_name: unknown; model_info: { base_model: unknown } }[]; router_settings: { fallbacks: Record<string, unknown[]>[]; model_group_retry_policy: Record<string, unknown> } };
    const names = cfg.model_list.map((e) => e.model_name);
    expect(names.filter((n) => typeof n !== 'string')).toEqual([]);
    expect(new Set(names)).toEqual(new Set(TRICKY));
    for (const f of cfg.router_settings.fallbacks) {
      const [from, to] = Object.entries(f)[0]!;
      expect(TRICKY).toContain(from);
      expect(to.every((t) => typeof t === 'string' && TRICKY.includes(t))).toBe(true);
    }
    expect(Object.keys(cfg.router_settings.model_group_retry_policy).sort()).toEqual([...TRICKY].sort());
    expect(cfg.model_list.every((e) => e.model_info.base_model === 'openai/2024-10-21')).toBe(true);
  });
});
