import type { ProviderFactory, ProviderSettings } from '../core/providers/types.js';
import type { CommandContext } from './command.js';

/** Where a setting's value came from, named under `--debug` (never the value of a key). */
export type SettingSource = 'flag' | 'env' | 'project' | 'user' | 'default' | 'unset';

export interface ResolvedProviderSettings {
  settings: ProviderSettings;
  sources: { apiKey: SettingSource; baseUrl: SettingSource };
  /** Human-readable origin, e.g. "OPENAI_API_KEY" or "user config (~/.config/llmgw)". */
  origins: { apiKey: string; baseUrl: string };
}

export interface ProviderFlags {
  baseUrl?: string | undefined;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
}

/**
 * Resolves a provider's settings. Precedence: flag > environment > project > user config > default.
 * (Project and user config are layered in by the config module.)
 */
export function resolveProviderSettings(ctx: CommandContext, factory: ProviderFactory, flags: ProviderFlags = {}): ResolvedProviderSettings {
  const env = ctx.io.env;
  const apiKey = nonEmpty(env[factory.env.apiKey]);
  const envBase = factory.env.baseUrl ? nonEmpty(env[factory.env.baseUrl]) : undefined;
  const baseUrl = flags.baseUrl ?? envBase;
  const fromEnv = (name: string | undefined) => (name ? nonEmpty(env[name]) : undefined);
  const resolved: ResolvedProviderSettings = {
    settings: {
      apiKey,
      baseUrl,
      apiVersion: fromEnv(factory.env.apiVersion),
      organization: fromEnv(factory.env.organization),
      token: fromEnv(factory.env.token),
      maxRetries: flags.maxRetries,
      timeoutMs: flags.timeoutMs,
    },
    sources: {
      apiKey: apiKey ? 'env' : 'unset',
      baseUrl: flags.baseUrl ? 'flag' : envBase ? 'env' : 'default',
    },
    origins: {
      apiKey: apiKey ? factory.env.apiKey : 'not set',
      baseUrl: flags.baseUrl ? '--base-url' : envBase && factory.env.baseUrl ? factory.env.baseUrl : 'provider default',
    },
  };
  ctx.out.debug(`${factory.name}: API key from ${resolved.origins.apiKey}; base URL from ${resolved.origins.baseUrl}`);
  return resolved;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
