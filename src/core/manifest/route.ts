import { UsageError } from '../errors.js';
import type { Alias, CachePolicy, Manifest, Target } from './schema.js';
import { orderTargets } from './targets.js';
import { requireAlias, type AliasChange } from './transitions.js';

/**
 * An alias's routing policy as one change (`llmgw models route`): fallbacks and what triggers
 * them, retries, the time limit, target priorities, per-target rate limits and caching. Every
 * field left undefined stays as it is; `null` removes the setting.
 */
export interface RouteChanges {
  fallbacks?: string[];
  fallbackOn?: number[] | null;
  /** Further attempts within the tier; null removes the retry policy. */
  retryAttempts?: number | null;
  retryOn?: number[];
  timeoutMs?: number | null;
  /** Target (id or model key) → priority tier. */
  priorities?: { target: string; priority: number }[];
  cache?: CachePolicy | null;
  /** Target (id or model key) → limits; a null field removes that limit. */
  limits?: { target: string; rpm?: number | null; tpm?: number | null }[];
}

/** A route change always has the alias before and after. */
export type RouteChange = AliasChange & { before: Alias; after: Alias };

export function route(m: Manifest, name: string, changes: RouteChanges): RouteChange {
  const before = requireAlias(m, name);
  const after: Alias = { ...before, targets: before.targets.map((t) => ({ ...t })) };

  if (changes.fallbacks !== undefined) {
    for (const fb of changes.fallbacks) {
      if (!m.aliases[fb]) throw new UsageError('unknown_fallback', `Alias "${name}" cannot fall back to "${fb}": there is no such alias.`, { hint: `register it first (\`llmgw models register ${fb} MODEL_ID\`), or pick one of: ${Object.keys(m.aliases).join(', ')}` });
      if (fb === name) throw new UsageError('fallback_cycle', `Alias "${name}" cannot fall back to itself.`, { hint: 'name another alias' });
    }
    after.fallbacks = [...new Set(changes.fallbacks)];
  }
  if (changes.fallbackOn !== undefined) setOrDelete(after, 'fallbackOn', changes.fallbackOn === null ? undefined : [...new Set(changes.fallbackOn)]);
  if (changes.retryAttempts === null) {
    if (changes.retryOn !== undefined) throw new UsageError('retry_conflict', '--retry none removes the retry policy, so --retry-on has nothing to apply to.', { hint: 'drop one of the two' });
    delete after.retry;
  } else if (changes.retryAttempts !== undefined || changes.retryOn !== undefined) {
    const attempts = changes.retryAttempts ?? after.retry?.attempts;
    if (attempts === undefined) throw new UsageError('retry_needs_attempts', `Alias "${name}" has no retry policy yet, so --retry-on needs --retry N with it.`, { hint: `e.g. llmgw models route ${name} --retry 2 --retry-on ${changes.retryOn?.join(',') ?? '429,503'}` });
    after.retry = { attempts, onStatus: changes.retryOn ? [...new Set(changes.retryOn)] : (after.retry?.onStatus ?? []) };
  }
  if (changes.timeoutMs !== undefined) setOrDelete(after, 'timeoutMs', changes.timeoutMs ?? undefined);
  if (changes.cache !== undefined) setOrDelete(after, 'cache', changes.cache ?? undefined);
  for (const p of changes.priorities ?? []) setPriority(after, name, findTarget(after, name, p.target), p.priority);
  for (const l of changes.limits ?? []) {
    const t = findTarget(after, name, l.target);
    const limits = { ...t.limits };
    if (l.rpm !== undefined) setOrDelete(limits, 'rpm', l.rpm ?? undefined);
    if (l.tpm !== undefined) setOrDelete(limits, 'tpm', l.tpm ?? undefined);
    if (Object.keys(limits).length > 0) t.limits = limits;
    else delete t.limits;
  }
  after.targets = orderTargets(after.targets);
  return { manifest: { ...m, aliases: { ...m.aliases, [name]: after } }, action: 'route', alias: name, before, after };
}

/**
 * Moves a target to a priority tier. A target without traffic (a candidate, or a drained
 * previous) moved to a later tier becomes that tier's stable target with weight 100: that is how
 * an off-the-shelf model becomes the alias's backup.
 */
function setPriority(alias: Alias, name: string, target: Target, priority: number): void {
  if (!Number.isInteger(priority) || priority < 0) throw new UsageError('invalid_priority', `A priority is a whole number from 0 (got ${priority}).`, { hint: 'e.g. --priority support-bot.llama=1' });
  if (target.weight === 0) {
    if (priority === 0) throw new UsageError('priority_needs_promote', `Target "${target.id}" carries no traffic; the first tier is changed by promote.`, { hint: `llmgw models promote ${name} --model ${target.model}` });
    const taken = alias.targets.find((t) => t !== target && t.priority === priority && t.role === 'stable');
    if (taken) throw new UsageError('tier_taken', `Priority tier ${priority} of "${name}" already has the stable target "${taken.id}".`, { hint: 'pick another tier number, or move that target first' });
    Object.assign(target, { priority, role: 'stable', weight: 100 });
    return;
  }
  target.priority = priority;
}

function findTarget(alias: Alias, name: string, ref: string): Target {
  const t = alias.targets.find((x) => x.id === ref) ?? alias.targets.find((x) => x.model === ref);
  if (!t) {
    throw new UsageError('unknown_target', `Alias "${name}" has no target "${ref}".`, { hint: `targets: ${alias.targets.map((x) => x.id).join(', ')} (a target id or its model)` });
  }
  return t;
}

function setOrDelete<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete obj[key];
  else obj[key] = value;
}
