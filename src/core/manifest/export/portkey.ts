import { resolveAlias, type ResolvedAlias } from '../resolve.js';
import type { Manifest } from '../schema.js';
import { aliasNames, generatedNote, idleTargets, type ExportOptions, type ExportResult, type ExportWarning, type OmittedTarget } from './common.js';
import { portkeyTarget, type PortkeyNode } from './portkey-target.js';

/** Portkey caps retry attempts at 5. */
const MAX_RETRY_ATTEMPTS = 5;

/**
 * Portkey gateway configs, one per alias under `configs` (a client sends one in the
 * `x-portkey-config` header): a loadbalance over the alias's weighted targets with
 * `override_params.model`, priority tiers and fallback aliases as `fallback` strategies. Keys are
 * `${VAR}` placeholders to fill at deploy time (e.g. with envsubst); no secret is ever written.
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

function uniqueTargets(ws: ExportWarning[]): ExportWarning[] {
  const seen = new Set<string>();
  return ws.filter((w) => (seen.has(`${w.alias}\u0000${w.target}`) ? false : (seen.add(`${w.alias}\u0000${w.target}`), true)));
}

function aliasNode(r: ResolvedAlias, warnings: ExportWarning[], top: boolean): PortkeyNode {
  const tiers = [...new Set(r.targets.map((t) => t.priority))].sort((a, b) => a - b);
  const groups = tiers
    .map((p) => ({
      strategy: { mode: 'loadbalance' },
      targets: r.targets.filter((t) => t.priority === p).flatMap((t) => portkeyTarget(t, r.alias, warnings) ?? []),
    }))
    .filter((g) => g.targets.length > 0);
  if (groups.length === 0) {
    warnings.push({ code: 'no_expressible_target', alias: r.alias, message: `alias "${r.alias}" has no target Portkey can call, so every request to it would fail`, blocking: true });
  }
  const own: PortkeyNode = { name: r.alias, ...(groups.length === 1 ? groups[0] : { strategy: { mode: 'fallback' }, targets: groups }) };
  if (r.retry) {
    if (r.retry.attempts > MAX_RETRY_ATTEMPTS) {
      warnings.push({ code: 'retry_attempts_clamped', alias: r.alias, message: `Portkey retries at most ${MAX_RETRY_ATTEMPTS} times; retry.attempts ${r.retry.attempts} of "${r.alias}" is exported as ${MAX_RETRY_ATTEMPTS}` });
    }
    own.retry = { attempts: Math.min(r.retry.attempts, MAX_RETRY_ATTEMPTS), ...(r.retry.onStatus.length > 0 ? { on_status_codes: r.retry.onStatus } : {}) };
  }
  if (r.timeoutMs !== undefined) own.request_timeout = r.timeoutMs;
  if (r.fallbacks.length === 0) return own;
  const chain: PortkeyNode = { strategy: { mode: 'fallback' }, targets: [own, ...r.fallbacks.map((fb) => aliasNode(fb, warnings, false))] };
  return top ? chain : { ...chain, name: `${r.alias}+fallbacks` };
}
