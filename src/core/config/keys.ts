/**
 * The settings llmgw knows: their names, what a value must look like, which are secrets, and the
 * environment variable that overrides each. Pure data and checks; the CLI reads the files and the
 * environment and hands them in.
 */

export type ValueKind = 'string' | 'url' | 'provider';

export interface KeySpec {
  /** The dotted name users type, e.g. `provider` or `openai.baseUrl`. */
  key: string;
  /** The part after the provider, e.g. `baseUrl`; the whole key for global settings. */
  field: string;
  /** Set for per-provider keys. */
  provider?: string | undefined;
  kind: ValueKind;
  /** Secrets are never printed, never accepted in project config, and masked when listed. */
  secret: boolean;
  description: string;
  /** Environment variable that wins over the config files (global keys; see `envNameFor`). */
  env?: string | undefined;
  default?: string | undefined;
}

/** The environment variables a provider adapter reads (a subset of `ProviderFactory['env']`). */
export interface ProviderEnvNames {
  apiKey: string;
  baseUrl?: string | undefined;
  organization?: string | undefined;
  /** Project id (Vertex: `GOOGLE_CLOUD_PROJECT`); most providers read none. */
  project?: string | undefined;
  apiVersion?: string | undefined;
}

export const DEFAULT_PROVIDER = 'openai';
export const DEFAULT_MANIFEST = 'llmgw.routes.json';

const GLOBAL_KEYS: KeySpec[] = [
  { key: 'provider', field: 'provider', kind: 'provider', secret: false, env: 'LLMGW_PROVIDER', default: DEFAULT_PROVIDER, description: 'provider used when a command gets no --provider' },
  { key: 'model', field: 'model', kind: 'string', secret: false, env: 'LLMGW_MODEL', description: 'base model to fine-tune when a command gets no --model' },
  { key: 'manifest', field: 'manifest', kind: 'string', secret: false, env: 'LLMGW_MANIFEST', default: DEFAULT_MANIFEST, description: 'routing manifest path, relative to the working folder' },
];

type ProviderField = 'apiKey' | 'baseUrl' | 'organization' | 'project' | 'apiVersion';

const PROVIDER_FIELDS: { field: ProviderField; kind: ValueKind; secret: boolean; description: string }[] = [
  { field: 'apiKey', kind: 'string', secret: true, description: 'API key (prefer the environment variable)' },
  { field: 'baseUrl', kind: 'url', secret: false, description: 'API base URL (a proxy or an OpenAI-compatible endpoint)' },
  { field: 'organization', kind: 'string', secret: false, description: 'organization or account id' },
  { field: 'project', kind: 'string', secret: false, description: 'project id' },
  { field: 'apiVersion', kind: 'string', secret: false, description: 'API version (providers that take one, e.g. Azure OpenAI)' },
];

/**
 * A setting only one provider has (e.g. `vertex.location`, `bedrock.roleArn`), declared by its
 * registry entry so the config keys are known without loading the adapter.
 */
export interface ProviderSettingSpec {
  /** The part after the provider's name, e.g. `location`. */
  field: string;
  kind: Exclude<ValueKind, 'provider'>;
  description: string;
  /** The provider's standard environment variable for it (e.g. `GOOGLE_CLOUD_LOCATION`), which wins over config files. */
  env?: string | undefined;
  /** The long flag provider commands take for it (e.g. `--location`), which wins over everything; providers may share one. */
  flag?: string | undefined;
}

/** A provider as the config keys see it: its name and the settings only it has. */
export interface ProviderKeys {
  name: string;
  settings?: readonly ProviderSettingSpec[] | undefined;
}

/**
 * Every known key: the global ones, then each provider's five common ones followed by its own, in
 * the order given. A provider may be given by name alone.
 */
export function settingKeys(providers: readonly (string | ProviderKeys)[]): KeySpec[] {
  const perProvider = providers.flatMap((p) => {
    const { name: provider, settings = [] } = typeof p === 'string' ? { name: p } : p;
    const common = PROVIDER_FIELDS.map((f): KeySpec => ({ key: `${provider}.${f.field}`, provider, ...f }));
    // A declared setting may only add a flag to a common field (e.g. `--project`): the key is already there.
    const own = settings
      .filter((f) => !PROVIDER_FIELDS.some((c) => c.field === f.field))
      .map((f): KeySpec => ({ key: `${provider}.${f.field}`, provider, field: f.field, kind: f.kind, secret: false, description: f.description, env: f.env }));
    return [...common, ...own];
  });
  return [...GLOBAL_KEYS, ...perProvider];
}

export function findKey(keys: readonly KeySpec[], key: string): KeySpec | undefined {
  return keys.find((k) => k.key === key);
}

/**
 * The environment variable that overrides a key: fixed for global keys, the adapter's own name
 * for per-provider ones, or the one a provider's own setting declares (undefined when the adapter
 * reads none, e.g. most providers' `project`).
 */
export function envNameFor(spec: KeySpec, providerEnv: ProviderEnvNames | undefined): string | undefined {
  if (!spec.provider || spec.env) return spec.env;
  if (!providerEnv || !(PROVIDER_FIELDS as { field: string }[]).some((f) => f.field === spec.field)) return undefined;
  return providerEnv[spec.field as ProviderField];
}

export type ValueCheck = { ok: true; value: string } | { ok: false; reason: string };

/** Shaped like an API key (`sk-…`, a long token); such text is never echoed back. */
export function looksLikeSecret(text: string): boolean {
  return /^(sk|pk|rk)-[A-Za-z0-9_-]{12,}/.test(text.trim()) || /^[A-Za-z0-9_-]{32,}$/.test(text.trim());
}

/** A key name as users type it (`model`, `openai.baseUrl`), safe to repeat in a message. */
export function isKeyShaped(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_-]{0,40}(\.[A-Za-z][A-Za-z0-9_]{0,40})?$/.test(text) && !looksLikeSecret(text);
}

/**
 * Checks a value for a key. The reason never repeats a secret's value, so it can be printed.
 */
export function checkValue(spec: KeySpec, raw: string, providerNames: readonly string[]): ValueCheck {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: `${spec.key} cannot be empty` };
  if (spec.secret) {
    return /\s/.test(value) ? { ok: false, reason: `${spec.key} must not contain spaces or line breaks` } : { ok: true, value };
  }
  if (looksLikeSecret(value)) return { ok: false, reason: `the value looks like an API key, and ${spec.key} is not a secret (keys go in <provider>.apiKey, or better the environment)` };
  if (spec.kind === 'provider' && !providerNames.includes(value)) {
    return { ok: false, reason: `"${value}" is not a provider llmgw knows (known: ${providerNames.join(', ')})` };
  }
  if (spec.kind === 'url') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { ok: false, reason: `"${value}" is not a URL (expected e.g. https://api.example.com/v1)` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `"${value}" must be an http(s) URL` };
    if (url.username || url.password) return { ok: false, reason: `${spec.key} must not carry credentials in the URL` };
  }
  return { ok: true, value };
}
