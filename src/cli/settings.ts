import { envNameFor, findKey, type ProviderEnvNames } from '../core/config/keys.js';
import { resolveSetting, type ResolvedSetting, type SettingLayers, type SettingSource } from '../core/config/resolve.js';
import { getProviderFactory, listProviders } from '../core/providers/registry.js';
import type { ProviderFactory, ProviderSettings } from '../core/providers/types.js';
import type { CommandContext } from './command.js';
import { loadConfigLayers, type ConfigLayers } from './config/layers.js';

export type { SettingSource } from '../core/config/resolve.js';

export interface ResolvedProviderSettings {
  settings: ProviderSettings;
  sources: { apiKey: SettingSource; baseUrl: SettingSource };
  /** Human-readable origin, e.g. "OPENAI_API_KEY" or "user config /home/me/.config/llmgw/config.json". */
  origins: { apiKey: string; baseUrl: string };
}

export interface ProviderFlags {
  baseUrl?: string | undefined;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
  /** Flags for the provider's own settings, by field (e.g. `{ location: { value: opts.location, name: '--location' } }`). */
  extra?: Record<string, FlagValue> | undefined;
}

/** A value given on the command line and the flag's name, e.g. `{ value: opts.model, name: '--model' }`. */
export interface FlagValue {
  value: string | undefined;
  name: string;
}

/**
 * Resolves one setting through every layer: flag > environment > project config > user config >
 * default. `providerEnv` names the adapter's environment variables for per-provider keys.
 */
export function resolveKey(config: ConfigLayers, env: CommandContext['io']['env'], key: string, providerEnv?: ProviderEnvNames, flag?: FlagValue): ResolvedSetting {
  const spec = findKey(config.keys, key);
  const envName = spec ? envNameFor(spec, providerEnv) : undefined;
  const layers: SettingLayers = {
    flag: flag && { value: flag.value, origin: flag.name },
    env: envName ? { value: env[envName], origin: envName } : undefined,
    project: config.project && { value: config.project.values[key], origin: `project config ${config.project.path}` },
    user: { value: config.user.values[key], origin: `user config ${config.user.path}` },
    default: spec?.default ? { value: spec.default, origin: 'default' } : undefined,
  };
  return resolveSetting(layers);
}

/**
 * A global default (`provider`, `model`, `manifest`) for commands that take it as a flag, e.g.
 * `resolveDefault(ctx, 'model', { value: opts.model, name: '--model' }).value`. Names the source
 * under `--debug`.
 */
export function resolveDefault(ctx: CommandContext, key: 'provider' | 'model' | 'manifest', flag?: FlagValue): ResolvedSetting {
  const resolved = resolveKey(loadConfigLayers(ctx.io), ctx.io.env, key, undefined, flag);
  ctx.out.debug(`${key} from ${resolved.origin}`);
  return resolved;
}

/**
 * Resolves a provider's settings. Precedence: flag > environment > project > user config > default.
 * A key is never read from a flag (it would show in `ps` and shell history) nor from project config.
 * Under `--debug` it names where the key and base URL came from, never their values.
 */
export function resolveProviderSettings(ctx: CommandContext, factory: ProviderFactory, flags: ProviderFlags = {}): ResolvedProviderSettings {
  const env = ctx.io.env;
  const config = loadConfigLayers(ctx.io);
  const field = (name: string, flag?: FlagValue) => resolveKey(config, env, `${factory.name}.${name}`, factory.env, flag);
  const apiKey = field('apiKey');
  const baseUrl = field('baseUrl', { value: flags.baseUrl, name: '--base-url' });
  const organization = field('organization', flags.extra?.organization);
  const project = field('project', flags.extra?.project);
  const apiVersion = field('apiVersion', flags.extra?.apiVersion);
  const token = factory.env.token ? nonEmpty(env[factory.env.token]) : undefined;
  const own = config.keys.filter((k) => k.provider === factory.name && !COMMON_FIELDS.has(k.field));
  const extraResolved = own.map((k) => [k.field, field(k.field, flags.extra?.[k.field])] as const);
  const resolved: ResolvedProviderSettings = {
    settings: {
      apiKey: apiKey.value,
      baseUrl: baseUrl.value,
      apiVersion: apiVersion.value,
      organization: organization.value,
      project: project.value,
      token,
      maxRetries: flags.maxRetries,
      timeoutMs: flags.timeoutMs,
      extra: Object.fromEntries(extraResolved.map(([name, r]) => [name, r.value])),
    },
    sources: { apiKey: apiKey.source, baseUrl: baseUrl.source },
    origins: { apiKey: apiKey.origin, baseUrl: baseUrl.source === 'unset' ? 'provider default' : baseUrl.origin },
  };
  const extras = [
    ['organization', organization],
    ['project', project],
    ['API version', apiVersion],
    ...extraResolved,
  ] as const;
  const more = extras.filter(([, r]) => r.source !== 'unset').map(([label, r]) => `; ${label} from ${r.origin}`).join('');
  ctx.out.debug(`${factory.name}: API key from ${resolved.origins.apiKey}; base URL from ${resolved.origins.baseUrl}${more}`);
  return resolved;
}

/** The option name commander gives a flag: `--role-arn` → `roleArn`. */
export function optionName(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The values given to a provider's own setting flags. */
export function ownSettingFlags(name: string, opts: Readonly<Record<string, unknown>>): Record<string, FlagValue> {
  const settings = listProviders().find((p) => p.name === name)?.settings ?? [];
  const flags: Record<string, FlagValue> = {};
  for (const s of settings) {
    if (!s.flag) continue;
    const value = opts[optionName(s.flag)];
    flags[s.field] = { value: typeof value === 'string' ? value : undefined, name: s.flag };
  }
  return flags;
}

/**
 * For dataset inputs named by a URI (`gs://…`, `s3://…`): the settings of the provider that owns
 * the scheme, resolved exactly as the tune commands resolve them (its own flags among `opts`,
 * e.g. `--region`; environment; project and user config). Asked only when such a URI is opened,
 * so a local file loads no provider.
 */
export function inputSettings(ctx: CommandContext, opts: Readonly<Record<string, unknown>> = {}): (provider: string) => Promise<ProviderSettings> {
  return async (provider) => {
    const factory = await getProviderFactory(provider);
    return resolveProviderSettings(ctx, factory, { extra: ownSettingFlags(provider, opts) }).settings;
  };
}

/** The fields every provider has; anything else a provider's registry entry declares for itself. */
const COMMON_FIELDS = new Set(['apiKey', 'baseUrl', 'organization', 'project', 'apiVersion']);

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
