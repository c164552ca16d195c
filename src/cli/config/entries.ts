/**
 * What the `config` verbs show for a key: its effective value (masked when secret), the layer it
 * came from and where. Shared by `config get`, `config list` and `config set`.
 */
import type { KeySpec, ProviderEnvNames } from '../../core/config/keys.js';
import { findKey, isKeyShaped } from '../../core/config/keys.js';
import { maskSecret } from '../../core/config/mask.js';
import type { SettingSource } from '../../core/config/resolve.js';
import { UsageError } from '../../core/errors.js';
import { getProviderFactory } from '../../core/providers/registry.js';
import type { Io } from '../io.js';
import { resolveKey } from '../settings.js';
import type { ConfigLayers } from './layers.js';

export interface SettingEntry {
  key: string;
  /** The effective value; a secret shows only as `sk-…abcd`. Null when unset. */
  value: string | null;
  secret: boolean;
  source: SettingSource;
  /** `OPENAI_API_KEY`, `user config <path>`, `project config <path>`, `default`, or `not set`. */
  origin: string;
}

/** Each provider's environment variable names (loads the adapters, which only `config` verbs need). */
export async function providerEnvNames(names: readonly string[]): Promise<Map<string, ProviderEnvNames>> {
  const entries = await Promise.all(names.map(async (name) => [name, (await getProviderFactory(name)).env] as const));
  return new Map(entries);
}

export function settingEntry(config: ConfigLayers, env: Io['env'], spec: KeySpec, envs: Map<string, ProviderEnvNames>): SettingEntry {
  const r = resolveKey(config, env, spec.key, spec.provider ? envs.get(spec.provider) : undefined);
  const value = r.value === undefined ? null : spec.secret ? maskSecret(r.value) : r.value;
  return { key: spec.key, value, secret: spec.secret, source: r.source, origin: r.origin };
}

/** The spec for a key a user typed, or a usage error listing the keys that exist. */
export function requireKey(config: ConfigLayers, key: string): KeySpec {
  const spec = findKey(config.keys, key);
  if (spec) return spec;
  const globals = config.keys.filter((k) => !k.provider).map((k) => k.key);
  const fields = [...new Set(config.keys.filter((k) => k.provider).map((k) => k.field))];
  // A key pasted in the wrong place (`config set sk-… openai.apiKey`) must not be echoed.
  const shown = isKeyShaped(key) ? `"${key}"` : 'That';
  throw new UsageError('unknown_setting', `${shown} is not a setting llmgw knows.`, {
    hint: `use one of ${globals.join(', ')}, or <provider>.{${fields.join(',')}} with a provider from ${config.providerNames.join(', ')} (see \`llmgw config list\`)`,
  });
}
