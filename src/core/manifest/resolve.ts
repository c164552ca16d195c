import { UsageError } from '../errors.js';
import { DEFAULT_FALLBACK_STATUS, DEFAULT_RETRY_STATUS, type CachePolicy, type Manifest, type ProviderType, type RetryPolicy, type TargetLimits, type TargetRole } from './schema.js';
import type { Serving } from './schema-model.js';

/** A target as the gateway sends to it: the provider and model id to call, and its weight. */
export interface ResolvedTarget {
  id: string;
  /** Key under `models`. */
  model: string;
  role: TargetRole;
  weight: number;
  /** This target's share of its priority tier's traffic, 0..1. */
  share: number;
  priority: number;
  /** Key under `providers`, and that provider's type. */
  provider: string;
  providerType: ProviderType;
  providerModelId: string;
  baseModel?: string | undefined;
  deployment?: string | undefined;
  baseUrl?: string | undefined;
  apiVersion?: string | undefined;
  resourceName?: string | undefined;
  /** Environment variable holding the key (never the key); absent for Vertex (ADC) and Bedrock (AWS chain). */
  apiKeyEnv?: string | undefined;
  /** Vertex: project and location (the model's serving facts first, then the provider entry's defaults). */
  project?: string | undefined;
  location?: string | undefined;
  /** Bedrock: region (serving facts first, then the provider entry). */
  region?: string | undefined;
  /** Vertex endpoint or Bedrock deployment of a tuned model. */
  serving?: Serving | undefined;
  /** Requests and tokens per minute the gateway may send to this target. */
  limits?: TargetLimits | undefined;
}

export interface ResolvedAlias {
  alias: string;
  /** Targets with traffic (weight > 0), lowest priority tier first. */
  targets: ResolvedTarget[];
  /** Targets that carry no traffic (drained `previous`, `candidate`), for display. */
  idle: ResolvedTarget[];
  /** Aliases tried in order after every target failed; an alias already on the path is not repeated. */
  fallbacks: ResolvedAlias[];
  retry?: RetryPolicy | undefined;
  timeoutMs?: number | undefined;
  /** Statuses that move a request on to the next target, tier or fallback alias. */
  fallbackOn: number[];
  cache?: CachePolicy | undefined;
}

/** The statuses a retry policy retries: its own, or the default set when it names none. */
export function retryStatuses(retry: RetryPolicy): number[] {
  return retry.onStatus.length > 0 ? [...retry.onStatus] : [...DEFAULT_RETRY_STATUS];
}

/**
 * Resolved aliases of frozen manifests (what loadManifest returns): a gateway resolving the same
 * alias on every request pays a lookup. Keyed by the manifest object, so a new file version (a new
 * object) starts over and an old one is collected with its manifest.
 */
const memo = new WeakMap<Manifest, Map<string, ResolvedAlias>>();

/** Resolves an alias of a checked manifest to its weighted targets and its fallback chain. */
export function resolveAlias(manifest: Manifest, alias: string, path: readonly string[] = []): ResolvedAlias {
  if (path.length > 0 || !Object.isFrozen(manifest)) return resolveFresh(manifest, alias, path);
  let byAlias = memo.get(manifest);
  if (!byAlias) memo.set(manifest, (byAlias = new Map()));
  let resolved = byAlias.get(alias);
  if (!resolved) {
    const fresh = resolveFresh(manifest, alias, path);
    Object.defineProperty(fresh, TIER, { value: firstTier(fresh) });
    byAlias.set(alias, (resolved = Object.freeze(fresh)));
  }
  return resolved;
}

function resolveFresh(manifest: Manifest, alias: string, path: readonly string[]): ResolvedAlias {
  const entry = manifest.aliases[alias];
  if (!entry) {
    throw new UsageError('unknown_alias', `Alias "${alias}" is not in the manifest.`, { hint: `known aliases: ${Object.keys(manifest.aliases).join(', ') || 'none'}` });
  }
  const all = entry.targets.map((t): ResolvedTarget => {
    const model = manifest.models[t.model];
    const provider = model ? manifest.providers[model.provider] : undefined;
    if (!model || !provider) {
      throw new UsageError('unresolvable_target', `Target "${t.id}" of alias "${alias}" names a model or provider missing from the manifest.`, { hint: 'run `llmgw manifest validate`' });
    }
    return {
      id: t.id,
      model: t.model,
      role: t.role,
      weight: t.weight,
      share: 0,
      priority: t.priority,
      provider: model.provider,
      providerType: provider.type,
      providerModelId: model.providerModelId,
      baseModel: model.baseModel,
      deployment: model.deployment,
      baseUrl: provider.baseUrl,
      apiVersion: provider.apiVersion,
      resourceName: provider.resourceName,
      apiKeyEnv: provider.apiKeyEnv,
      project: model.serving?.vertex?.project ?? provider.project,
      location: model.serving?.vertex?.location ?? provider.location,
      region: model.serving?.bedrock?.region ?? provider.region,
      serving: model.serving,
      ...(t.limits ? { limits: t.limits } : {}),
    };
  });
  const targets = all.filter((t) => t.weight > 0).sort((a, b) => a.priority - b.priority);
  for (const t of targets) {
    const tierTotal = targets.filter((o) => o.priority === t.priority).reduce((s, o) => s + o.weight, 0);
    t.share = t.weight / tierTotal;
  }
  const onPath = [...path, alias];
  return {
    alias,
    targets,
    idle: all.filter((t) => t.weight === 0),
    fallbacks: entry.fallbacks.filter((fb) => !onPath.includes(fb)).map((fb) => resolveAlias(manifest, fb, onPath)),
    ...(entry.retry ? { retry: entry.retry } : {}),
    ...(entry.timeoutMs !== undefined ? { timeoutMs: entry.timeoutMs } : {}),
    fallbackOn: entry.fallbackOn ? [...entry.fallbackOn] : [...DEFAULT_FALLBACK_STATUS],
    ...(entry.cache ? { cache: entry.cache } : {}),
  };
}

/** Targets of the first priority tier: where a request goes while nothing fails. */
export function primaryTier(resolved: ResolvedAlias): ResolvedTarget[] {
  return firstTier(resolved).tier;
}

/** Where a memoised resolved alias keeps its first tier (not enumerable: not in --json output). */
const TIER = Symbol('firstTier');
type WithTier = ResolvedAlias & { [TIER]?: { tier: ResolvedTarget[]; total: number } };

/** The first tier and its total weight; computed once for a memoised (frozen) resolved alias. */
function firstTier(resolved: ResolvedAlias): { tier: ResolvedTarget[]; total: number } {
  const known = (resolved as WithTier)[TIER];
  if (known) return known;
  const first = resolved.targets[0];
  const tier = first ? resolved.targets.filter((t) => t.priority === first.priority) : [];
  return { tier, total: tier.reduce((s, t) => s + t.weight, 0) };
}

/**
 * Picks the target for one request the way the weights say: within the first priority tier,
 * each target with probability weight / total. `random` returns a number in [0, 1).
 */
export function pickTarget(resolved: ResolvedAlias, random: () => number = Math.random): ResolvedTarget {
  const { tier, total } = firstTier(resolved);
  if (tier.length === 0 || total <= 0) {
    throw new UsageError('no_traffic', `Alias "${resolved.alias}" has no target with a positive weight.`, { hint: `promote a model: \`llmgw models promote ${resolved.alias} --model ID\`` });
  }
  let r = random() * total;
  for (const t of tier) {
    r -= t.weight;
    if (r < 0) return t;
  }
  return tier[tier.length - 1] as ResolvedTarget;
}

/** A small seeded generator (mulberry32): the same seed gives the same draws on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many of `samples` seeded picks went to each target id. */
export function sampleSplit(resolved: ResolvedAlias, samples: number, seed: number): Record<string, number> {
  const random = seededRandom(seed);
  const counts: Record<string, number> = Object.fromEntries(primaryTier(resolved).map((t) => [t.id, 0]));
  for (let i = 0; i < samples; i += 1) {
    const id = pickTarget(resolved, random).id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}
