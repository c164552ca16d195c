/**
 * Precedence of settings: a flag beats the environment, which beats the project config, which
 * beats the user config, which beats the built-in default. One function decides it for every key.
 */

export type SettingSource = 'flag' | 'env' | 'project' | 'user' | 'default' | 'unset';

export const PRECEDENCE = ['flag', 'env', 'project', 'user', 'default'] as const;
export type SettingLayer = (typeof PRECEDENCE)[number];

export interface Candidate {
  value: string | undefined;
  /** Where it came from, for people: `--base-url`, `OPENAI_BASE_URL`, a file path. Never a value. */
  origin: string;
}

export type SettingLayers = Partial<Record<SettingLayer, Candidate>>;

export interface ResolvedSetting {
  value: string | undefined;
  source: SettingSource;
  origin: string;
}

/** The first layer, in precedence order, that holds a non-blank value. */
export function resolveSetting(layers: SettingLayers): ResolvedSetting {
  for (const layer of PRECEDENCE) {
    const c = layers[layer];
    const value = c?.value?.trim();
    if (c && value) return { value, source: layer, origin: c.origin };
  }
  return { value: undefined, source: 'unset', origin: 'not set' };
}
