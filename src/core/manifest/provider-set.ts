import { UsageError } from '../errors.js';
import { isProviderType, PROVIDER_TYPE_INFO, PROVIDER_TYPES, type ProviderType } from './provider-types.js';
import type { Manifest, ProviderEntry } from './schema.js';
import type { ProviderChange } from './transitions.js';

/** The connection facts a command can set on a provider entry. */
export const PROVIDER_FACTS = ['apiKeyEnv', 'baseUrl', 'apiVersion', 'resourceName', 'project', 'location', 'region'] as const;
export type ProviderFact = (typeof PROVIDER_FACTS)[number];

export interface ProviderPatch {
  /** Type of a new entry (default: the key, when it names a type). Cannot change on an existing one. */
  type?: string | undefined;
  set?: Partial<Record<ProviderFact, string>>;
  unset?: ProviderFact[];
}

/**
 * Creates or changes a provider entry's connection facts (`llmgw models provider set`). A new
 * entry starts from the type's defaults (its SDK's key variable); the manifest's checks then say
 * whether the result is complete.
 */
export function setProvider(m: Manifest, key: string, patch: ProviderPatch): ProviderChange {
  const before = m.providers[key] ?? null;
  const typeName = patch.type ?? before?.type ?? key;
  if (!isProviderType(typeName)) {
    throw new UsageError('unknown_provider_type', `"${typeName}" is not a provider type llmgw can route to.`, { hint: `pass --type with one of: ${PROVIDER_TYPES.join(', ')}` });
  }
  if (before && before.type !== typeName) {
    throw new UsageError('provider_type_fixed', `Provider "${key}" is ${before.type}; its type cannot change to ${typeName}.`, { hint: 'add the other account under a new key, e.g. `llmgw models provider set azure-eu --type azure …`' });
  }
  const after: ProviderEntry = before ? { ...before } : fresh(typeName);
  for (const [field, value] of Object.entries(patch.set ?? {}) as [ProviderFact, string][]) after[field] = value;
  for (const field of patch.unset ?? []) delete after[field];
  return { manifest: { ...m, providers: { ...m.providers, [key]: after } }, action: 'provider', provider: key, before, after };
}

function fresh(type: ProviderType): ProviderEntry {
  const keyEnv = PROVIDER_TYPE_INFO[type].keyEnv;
  return { type, ...(keyEnv ? { apiKeyEnv: keyEnv } : {}) };
}
