import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { resolveAlias, retryStatuses, type ResolvedAlias } from '../resolve.js';
import type { Manifest } from '../schema.js';
import { aliasNames, generatedNote, idleTargets, type ExportOptions, type ExportResult, type ExportWarning } from './common.js';
import { liteLLMCache } from './litellm-cache.js';
import { liteLLMTarget } from './litellm-target.js';

/** LiteLLM tries at most this many fallbacks unless `max_fallbacks` says more. */
const LITELLM_MAX_FALLBACKS = 5;

/**
 * LiteLLM proxy `config.yaml`. Each alias is a `model_name` group of its first priority tier; a
 * later tier is a group of its own, `<alias>~p<N>` (`~` cannot be in an alias), tried through
 * `fallbacks` per request, as the manifest promises (LiteLLM's `order` only moves traffic after a
 * cooldown). Every member has a `weight` (simple-shuffle reads a missing one as 0); keys are
 * `os.environ/VAR`. The router does the retries (`num_retries`, per-alias
 * `model_group_retry_policy`); `max_retries` would only reach the provider SDK.
 */
export function exportLiteLLM(m: Manifest, opts: ExportOptions): ExportResult {
  const warnings: ExportWarning[] = [];
  const modelList: Record<string, unknown>[] = [];
  const fallbacks: [string, string[]][] = [];
  const retryPolicies: [string, Record<string, number>][] = [];
  let limited = false;

  for (const alias of aliasNames(m)) {
    const r = resolveAlias(m, alias);
    const groups = tierGroups(r);
    for (const [group, targets] of groups) {
      for (const t of targets) {
        const { params, baseModel } = liteLLMTarget(t, alias, warnings);
        params.weight = t.weight;
        if (r.timeoutMs !== undefined) params.timeout = r.timeoutMs / 1000;
        if (t.limits?.rpm !== undefined) params.rpm = t.limits.rpm;
        if (t.limits?.tpm !== undefined) params.tpm = t.limits.tpm;
        if (t.limits) limited = true;
        const info: Record<string, unknown> = { id: t.id };
        if (baseModel) info.base_model = baseModel;
        else if (looksTuned(m, t.model)) warnings.push({ code: 'missing_base_model', alias, target: t.id, message: `target "${t.id}" has no baseModel, so LiteLLM cannot price it or know its context window; register the model with --base-model` });
        info.llmgw_role = t.role;
        modelList.push({ model_name: group, litellm_params: params, model_info: info });
      }
    }
    const chain = [...groups.slice(1).map(([g]) => g), ...r.fallbacks.flatMap(flatChain)].filter((g, i, all) => all.indexOf(g) === i);
    if (chain.length > 0) fallbacks.push([alias, chain]);
    if (r.retry) {
      const policy = retryPolicy(r, warnings);
      for (const [group] of groups) retryPolicies.push([group, policy]);
    }
    if (r.fallbackOn.join() !== '408,429,500,502,503,504') {
      warnings.push({ code: 'fallback_status_not_expressible', alias, message: `LiteLLM falls back by error class after its retries, not by status: fallbackOn [${r.fallbackOn.join(', ')}] of "${alias}" is not exported` });
    }
  }

  const doc = new Document();
  const router = doc.createNode({ routing_strategy: 'simple-shuffle', num_retries: 0 }) as YAMLMap;
  if (retryPolicies.length > 0) router.add(new Pair('model_group_retry_policy', dataMap(doc, retryPolicies)));
  if (fallbacks.length > 0) {
    router.add(new Pair('fallbacks', fallbackSeq(doc, fallbacks)));
    const longest = Math.max(...fallbacks.map(([, c]) => c.length));
    if (longest > LITELLM_MAX_FALLBACKS) router.add(new Pair('max_fallbacks', longest));
  }
  // Deployment rpm/tpm are only enforced by a pre-call check (older LiteLLM: enable_pre_call_checks).
  if (limited) {
    router.add(new Pair('enable_pre_call_checks', true));
    router.add(new Pair('optional_pre_call_checks', doc.createNode(['enforce_model_rate_limits'])));
  }
  const root = doc.createNode({ model_list: modelList }) as YAMLMap;
  root.add(new Pair('router_settings', router));
  const cache = liteLLMCache(m, warnings);
  if (cache) root.add(new Pair('litellm_settings', doc.createNode(cache)));
  doc.contents = root;
  doc.commentBefore = ` ${generatedNote(m, 'litellm', opts.source)}`;
  // Quote every string: PyYAML reads a bare 2024-10-21 as a date, and ft: ids hold colons. Keys
  // that are data (alias names) are quoted too (dataMap); the schema's own keys stay plain.
  const text = doc.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
  return { to: 'litellm', revision: m.revision, text, warnings, omitted: idleTargets(m) };
}

/** The alias's priority tiers as LiteLLM groups: the alias itself, then `<alias>~p<N>`. */
function tierGroups(r: ResolvedAlias): [string, ResolvedAlias['targets']][] {
  const tiers = [...new Set(r.targets.map((t) => t.priority))].sort((a, b) => a - b);
  return tiers.map((p, i) => [i === 0 ? r.alias : `${r.alias}~p${p}`, r.targets.filter((t) => t.priority === p)]);
}

/** A fallback alias as the groups it tries, in order: its tiers, then its own fallbacks. */
function flatChain(r: ResolvedAlias): string[] {
  return [...tierGroups(r).map(([g]) => g), ...r.fallbacks.flatMap(flatChain)];
}

/** LiteLLM retries by exception class; each status maps to the class LiteLLM raises for it. */
function retryPolicy(r: ResolvedAlias, warnings: ExportWarning[]): Record<string, number> {
  const attempts = r.retry?.attempts ?? 0;
  const policy: Record<string, number> = {};
  const lost: number[] = [];
  const statuses = r.retry ? retryStatuses(r.retry) : [];
  for (const s of statuses) {
    const cls = s === 408 ? 'TimeoutErrorRetries' : s === 429 ? 'RateLimitErrorRetries' : s === 400 ? 'BadRequestErrorRetries' : s === 401 || s === 403 ? 'AuthenticationErrorRetries' : s === 404 ? 'NotFoundErrorRetries' : s >= 500 ? 'InternalServerErrorRetries' : undefined;
    if (cls) policy[cls] = attempts;
    else lost.push(s);
    if (s === 503) policy.ServiceUnavailableErrorRetries = attempts;
  }
  const serverErrors = statuses.filter((s) => s >= 500);
  if (serverErrors.length > 0 && !['500', '502', '503', '504'].every((s) => serverErrors.includes(Number(s)))) {
    warnings.push({ code: 'retry_status_widened', alias: r.alias, message: `LiteLLM retries server errors as one class: "${r.alias}" retries on [${serverErrors.join(', ')}] become every 5xx` });
  }
  if (lost.length > 0) warnings.push({ code: 'retry_status_not_expressible', alias: r.alias, message: `LiteLLM retries by error class: statuses [${lost.join(', ')}] of "${r.alias}" have no class and are not retried` });
  return Object.fromEntries(Object.entries(policy).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A map whose keys are data (alias names): each key double-quoted, so YAML 1.1 reads `yes`, `2024-10-21` or `1_000` as a string. */
function dataMap(doc: Document, entries: [string, unknown][]): YAMLMap {
  const map = new YAMLMap();
  for (const [key, value] of entries) map.add(new Pair(quoted(key), doc.createNode(value)));
  return map;
}

function fallbackSeq(doc: Document, entries: [string, string[]][]): YAMLSeq {
  const seq = new YAMLSeq();
  for (const entry of entries) seq.add(dataMap(doc, [entry]));
  return seq;
}

function quoted(value: string): Scalar {
  const s = new Scalar(value);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

/** A model with fine-tune provenance, for which LiteLLM needs the base model; off-the-shelf models have none. */
function looksTuned(m: Manifest, key: string): boolean {
  const model = m.models[key];
  return model !== undefined && (model.jobId !== undefined || model.datasetHash !== undefined || model.serving !== undefined || model.providerModelId.startsWith('ft:'));
}
