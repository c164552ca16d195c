import { resolveAlias, retryStatuses, type ResolvedAlias, type ResolvedTarget } from '../resolve.js';
import type { Manifest } from '../schema.js';
import { aliasNames, generatedNote, idleTargets, type ExportOptions, type ExportResult, type ExportWarning, type OmittedTarget } from './common.js';
import { portkeyTarget, type PortkeyNode } from './portkey-target.js';

/** Portkey caps retry attempts at 5. */
const MAX_RETRY_ATTEMPTS = 5;

/**
 * Portkey gateway configs, one per alias under `configs` (a client sends one in the
 * `x-portkey-config` header). An alias is a loadbalance over its first tier's weighted targets;
 * later tiers and fallback aliases follow in a `fallback` strategy whose `on_status_codes` is the
 * alias's `fallbackOn` (without it Portkey falls back on any non-2xx, a 400 included). A canary
 * that fails is tried on its tier's stable target before anything else. Keys are `${VAR}`
 * placeholders to fill at deploy time (e.g. with envsubst); no secret is ever written.
 */
export function exportPortkey(m: Manifest, opts: ExportOptions): ExportResult {
  const warnings: ExportWarning[] = [];
  const configs: Record<string, PortkeyNode> = {};
  for (const alias of aliasNames(m)) configs[alias] = aliasNode(resolveAlias(m, alias), warnings, true);
  const left = warnings.filter((w) => w.code === 'target_not_expressible' && w.alias && w.target);
  const omitted: OmittedTarget[] = [...idleTargets(m), ...uniqueTargets(left).map((w) => ({ alias: w.alias ?? '', target: w.target ?? '', reason: 'Portkey cannot route it' }))];
  const withBase = Object.values(m.aliases).flatMap((a) => a.targets.filter((t) => t.weight > 0 && m.models[t.model]?.baseModel));
  if (withBase.length > 0) {
    warnings.push({ code: 'base_model_not_expressible', message: `Portkey configs have no place for a base model; ${withBase.length} target(s) keep theirs in the manifest only` });
  }
  const doc = {
    $comment: generatedNote(m, 'portkey', opts.source),
    llmgw: { manifest: opts.source, revision: m.revision },
    configs,
  };
  return { to: 'portkey', revision: m.revision, text: `${JSON.stringify(doc, null, 2)}\n`, warnings, omitted };
}

function aliasNode(r: ResolvedAlias, warnings: ExportWarning[], top: boolean): PortkeyNode {
  const fallback = { mode: 'fallback', on_status_codes: r.fallbackOn };
  const tiers = [...new Set(r.targets.map((t) => t.priority))].sort((a, b) => a - b);
  const groups = tiers
    .map((p) => ({ strategy: { mode: 'loadbalance' }, targets: tierNodes(r.targets.filter((t) => t.priority === p), r, warnings) }))
    .filter((g) => g.targets.length > 0);
  if (groups.length === 0) {
    warnings.push({ code: 'no_expressible_target', alias: r.alias, message: `alias "${r.alias}" has no target Portkey can call, so its own models would never get a request`, blocking: true });
  }
  const own: PortkeyNode = { name: r.alias, ...(groups.length === 1 ? groups[0] : { strategy: fallback, targets: groups }) };
  if (r.retry) {
    if (r.retry.attempts > MAX_RETRY_ATTEMPTS) {
      warnings.push({ code: 'retry_attempts_clamped', alias: r.alias, message: `Portkey retries at most ${MAX_RETRY_ATTEMPTS} times; retry.attempts ${r.retry.attempts} of "${r.alias}" is exported as ${MAX_RETRY_ATTEMPTS}` });
    }
    own.retry = { attempts: Math.min(r.retry.attempts, MAX_RETRY_ATTEMPTS), on_status_codes: retryStatuses(r.retry) };
  }
  if (r.timeoutMs !== undefined) own.request_timeout = r.timeoutMs;
  if (r.cache?.mode === 'exact') own.cache = { mode: 'simple', ...(r.cache.ttlSeconds !== undefined ? { max_age: r.cache.ttlSeconds } : {}) };
  for (const t of r.targets) {
    if (t.limits) warnings.push({ code: 'rate_limit_not_expressible', alias: r.alias, target: t.id, message: `Portkey's open-source gateway has no rate limits (hosted Portkey sets them per API key or workspace): the limits of target "${t.id}" are not exported` });
  }
  if (r.fallbacks.length === 0) return own;
  const chain: PortkeyNode = { strategy: fallback, targets: [...(groups.length > 0 ? [own] : []), ...r.fallbacks.map((fb) => aliasNode(fb, warnings, false))] };
  return top ? chain : { ...chain, name: `${r.alias}+fallbacks` };
}

/**
 * One tier's loadbalance members. A canary is wrapped in a fallback to the tier's stable target,
 * so a request the canary fails is served by the stable model rather than moving on to the next
 * tier or alias.
 */
function tierNodes(targets: ResolvedTarget[], r: ResolvedAlias, warnings: ExportWarning[]): PortkeyNode[] {
  const stable = targets.find((t) => t.role === 'stable');
  const stableNode = stable ? portkeyTarget(stable, r.alias, warnings) : undefined;
  return targets.flatMap((t): PortkeyNode[] => {
    if (t === stable) return stableNode ? [stableNode] : [];
    const node = portkeyTarget(t, r.alias, warnings);
    if (!node) return [];
    if (t.role !== 'canary' || !stableNode) return [node];
    const { weight: _canaryWeight, ...canary } = node;
    const { weight: _stableWeight, ...backup } = stableNode;
    return [{ name: `${t.id}+stable`, weight: t.weight, strategy: { mode: 'fallback', on_status_codes: r.fallbackOn }, targets: [canary, backup] }];
  });
}

function uniqueTargets(ws: ExportWarning[]): ExportWarning[] {
  const seen = new Set<string>();
  return ws.filter((w) => (seen.has(`${w.alias}\u0000${w.target}`) ? false : (seen.add(`${w.alias}\u0000${w.target}`), true)));
}
