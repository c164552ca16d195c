import type { Manifest } from '../schema.js';
import { aliasNames, type ExportWarning } from './common.js';

/**
 * LiteLLM caches proxy-wide (`litellm_settings.cache`), not per model group. When every alias
 * that says anything about caching says the same, that is exported exactly. When they differ,
 * the cache is turned on in `default_off` mode, so nothing is cached that a client did not ask
 * for (`"cache": {"use-cache": true}` in the request), and a warning names the aliases that
 * wanted caching: caching what an alias said not to would change its answers.
 */
export function liteLLMCache(m: Manifest, warnings: ExportWarning[]): Record<string, unknown> | undefined {
  const names = aliasNames(m);
  const wants = names.filter((a) => m.aliases[a]?.cache?.mode === 'exact');
  if (wants.length === 0) return undefined;
  const ttls = [...new Set(wants.map((a) => m.aliases[a]?.cache?.ttlSeconds))];
  const ttl = ttls.filter((t): t is number => t !== undefined).sort((a, b) => a - b)[0];
  const params: Record<string, unknown> = { type: 'local' };
  if (wants.length === names.length) {
    if (ttl !== undefined) params.ttl = ttl;
    if (ttls.length > 1) warnings.push({ code: 'cache_ttl_merged', message: `LiteLLM has one cache TTL for the proxy: the aliases' TTLs (${ttls.map((t) => t ?? 'default').join(', ')} s) are exported as the shortest, ${ttl} s` });
    return { cache: true, cache_params: params };
  }
  params.mode = 'default_off';
  if (ttl !== undefined) params.ttl = ttl;
  for (const alias of wants) {
    warnings.push({ code: 'cache_not_per_alias', alias, message: `LiteLLM caches for the whole proxy, not per alias: "${alias}" wants caching while other aliases do not, so the cache is on in default_off mode and only requests that send "cache": {"use-cache": true} are cached` });
  }
  return { cache: true, cache_params: params };
}
