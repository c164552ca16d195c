import { resolveAlias, type ResolvedAlias, type ResolvedTarget } from '../resolve.js';
import type { Manifest, ProviderType } from '../schema.js';
import { aliasNames, generatedNote, idleTargets, type ExportOptions, type ExportResult, type ExportWarning } from './common.js';

/** Portkey's provider names. */
const PORTKEY_PROVIDER: Record<ProviderType, string> = {
  openai: 'openai',
  azure: 'azure-openai',
  mistral: 'mistral-ai',
  together: 'together-ai',
  fireworks: 'fireworks-ai',
};

/** Portkey caps retry attempts at 5. */
const MAX_RETRY_ATTEMPTS = 5;

type PortkeyNode = Record<string, unknown>;

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
  const withBase = Object.values(m.aliases).flatMap((a) => a.targets.filter((t) => t.weight > 0 && m.models[t.model]?.baseModel));
  if (withBase.length > 0) {
    warnings.push({ code: 'base_model_not_expressible', message: `Portkey configs have no place for a base model; ${withBase.length} target(s) keep theirs in the manifest only` });
  }
  const doc = {
    $comment: generatedNote(m, 'portkey', opts.source),
    llmgw: { manifest: opts.source, revision: m.revision },
    configs,
  };
  return { to: 'portkey', revision: m.revision, text: `${JSON.stringify(doc, null, 2)}\n`, warnings, omitted: idleTargets(m) };
}

function aliasNode(r: ResolvedAlias, warnings: ExportWarning[], top: boolean): PortkeyNode {
  const tiers = [...new Set(r.targets.map((t) => t.priority))].sort((a, b) => a - b);
  const groups = tiers.map((p) => ({ strategy: { mode: 'loadbalance' }, targets: r.targets.filter((t) => t.priority === p).map((t) => targetNode(t, warnings, r.alias)) }));
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

function targetNode(t: ResolvedTarget, warnings: ExportWarning[], alias: string): PortkeyNode {
  const node: PortkeyNode = { name: t.id, provider: PORTKEY_PROVIDER[t.providerType], api_key: `\${${t.apiKeyEnv}}`, weight: t.weight };
  if (t.providerType === 'azure') {
    if (!t.resourceName) warnings.push({ code: 'missing_resource_name', alias, target: t.id, message: `Azure target "${t.id}": its provider has no resourceName, which Portkey needs (resource_name)` });
    if (t.resourceName) node.resource_name = t.resourceName;
    if (t.deployment) node.deployment_id = t.deployment;
    if (t.apiVersion) node.api_version = t.apiVersion;
  } else {
    node.override_params = { model: t.providerModelId };
    if (t.baseUrl) node.custom_host = t.baseUrl;
  }
  return node;
}
