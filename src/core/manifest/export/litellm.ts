import { Document } from 'yaml';
import { resolveAlias } from '../resolve.js';
import type { Manifest } from '../schema.js';
import { aliasNames, generatedNote, idleTargets, type ExportOptions, type ExportResult, type ExportWarning } from './common.js';
import { liteLLMTarget } from './litellm-target.js';

/**
 * LiteLLM proxy `config.yaml`: each alias is a `model_name` group with one entry per target that
 * carries traffic, a `weight` on every member (simple-shuffle reads a missing weight as 0) and
 * keys as `os.environ/VAR`. Drained (weight-0) targets are left out.
 */
export function exportLiteLLM(m: Manifest, opts: ExportOptions): ExportResult {
  const warnings: ExportWarning[] = [];
  const modelList: Record<string, unknown>[] = [];
  const fallbacks: Record<string, string[]>[] = [];
  let tiered = false;

  for (const alias of aliasNames(m)) {
    const resolved = resolveAlias(m, alias);
    const entry = m.aliases[alias];
    const tiers = new Set(resolved.targets.map((t) => t.priority));
    if (tiers.size > 1) tiered = true;
    if (entry?.retry && entry.retry.onStatus.length > 0) {
      warnings.push({ code: 'retry_status_not_expressible', alias, message: `LiteLLM retries by error class, not status code: retry.onStatus [${entry.retry.onStatus.join(', ')}] of "${alias}" is not exported (attempts are, as max_retries)` });
    }
    for (const t of resolved.targets) {
      const { params, baseModel } = liteLLMTarget(t, alias, warnings);
      params.weight = t.weight;
      if (tiers.size > 1) params.order = t.priority + 1;
      if (resolved.timeoutMs !== undefined) params.timeout = resolved.timeoutMs / 1000;
      if (resolved.retry) params.max_retries = resolved.retry.attempts;
      const info: Record<string, unknown> = { id: t.id };
      if (baseModel) info.base_model = baseModel;
      else warnings.push({ code: 'missing_base_model', alias, target: t.id, message: `target "${t.id}" has no baseModel, so LiteLLM cannot price it or know its context window; register the model with --base-model` });
      info.llmgw_role = t.role;
      modelList.push({ model_name: alias, litellm_params: params, model_info: info });
    }
    if (entry && entry.fallbacks.length > 0) fallbacks.push({ [alias]: [...entry.fallbacks] });
  }

  const router: Record<string, unknown> = { routing_strategy: 'simple-shuffle' };
  if (tiered) router.enable_pre_call_checks = true; // `order` only takes effect with pre-call checks
  if (fallbacks.length > 0) router.fallbacks = fallbacks;

  const doc = new Document({ model_list: modelList, router_settings: router });
  doc.commentBefore = ` ${generatedNote(m, 'litellm', opts.source)}`;
  // Quote every string: PyYAML reads a bare 2024-10-21 as a date, and ft: ids hold colons.
  const text = doc.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
  return { to: 'litellm', revision: m.revision, text, warnings, omitted: idleTargets(m) };
}
