/**
 * What `llmgw eval` compares. A candidate on the command line is, in this order:
 * an alias of the manifest (each of its serving and candidate targets; drained `previous` ones
 * are left out), a registered model id, or `provider:model` for any provider llmgw can ask
 * (`openai:gpt-4.1-mini`, `openrouter:meta-llama/llama-3.1-8b-instruct`, `bedrock:<ARN>`).
 */
import { UsageError } from '../errors.js';
import type { InferenceClient } from '../inference/types.js';
import { resolveAlias } from '../manifest/resolve.js';
import type { Manifest } from '../manifest/schema.js';
import type { Price } from './prices.js';

export interface CandidateSpec {
  /** How the report names it: the alias target id, the model id, or `provider:model`. */
  name: string;
  /** Inference provider (registry name). */
  provider: string;
  /** The model id sent to the provider (an Azure deployment for Azure). */
  model: string;
  source: 'alias' | 'model' | 'provider';
  /** The registered model behind it, when there is one (its eval summary is stored there). */
  modelId?: string | undefined;
  alias?: string | undefined;
  role?: string | undefined;
  /** The manifest's provider entry: endpoint and the variable holding the key. */
  manifestProvider?: { baseUrl?: string | undefined; apiKeyEnv?: string | undefined; apiVersion?: string | undefined; project?: string | undefined; location?: string | undefined } | undefined;
}

export interface Candidate extends CandidateSpec {
  client: InferenceClient;
  price: Price | null;
}


/** The id a registered model is called by: its serving deployment or endpoint when it has one. */
type ModelEntry = NonNullable<Manifest['models'][string]>;

function servedModel(model: ModelEntry, providerType: string): string {
  if (providerType === 'azure') return model.deployment ?? model.providerModelId;
  return model.serving?.vertex?.endpoint ?? model.serving?.bedrock?.arn ?? model.deployment ?? model.providerModelId;
}

function fromModel(m: Manifest, modelId: string, extra: Partial<CandidateSpec> = {}): CandidateSpec {
  // Callers name a model the manifest holds.
  const model = m.models[modelId] as ModelEntry;
  const provider = m.providers[model.provider];
  const type = provider?.type ?? model.provider;
  return {
    name: modelId,
    provider: type,
    model: servedModel(model, type),
    source: 'model',
    modelId,
    manifestProvider: provider
      ? {
          baseUrl: provider.baseUrl,
          apiKeyEnv: provider.apiKeyEnv,
          apiVersion: provider.apiVersion,
          project: model.serving?.vertex?.project ?? provider.project,
          location: model.serving?.vertex?.location ?? model.serving?.bedrock?.region ?? provider.location ?? provider.region,
        }
      : undefined,
    ...extra,
  };
}

/** Resolves each name; a name that is none of the three is a usage error saying what exists. */
export function resolveCandidates(names: readonly string[], manifest: Manifest | undefined, providers: readonly string[]): CandidateSpec[] {
  const out: CandidateSpec[] = [];
  for (const name of names) {
    if (manifest?.aliases[name]) {
      const r = resolveAlias(manifest, name);
      const targets = [...r.targets, ...r.idle.filter((t) => t.role === 'candidate')];
      for (const t of targets) out.push(fromModel(manifest, t.model, { name: t.id, source: 'alias', alias: name, role: t.role }));
      continue;
    }
    if (manifest?.models[name]) {
      out.push(fromModel(manifest, name));
      continue;
    }
    const colon = name.indexOf(':');
    const provider = colon > 0 ? name.slice(0, colon) : '';
    const model = name.slice(colon + 1);
    if (providers.includes(provider) && model.trim() !== '') {
      out.push({ name, provider, model, source: 'provider' });
      continue;
    }
    throw unknownCandidate(name, manifest, providers);
  }
  const seen = new Set<string>();
  for (const c of out) {
    if (seen.has(c.name)) throw new UsageError('duplicate_candidate', `"${c.name}" is named twice among the candidates.`, { hint: 'name each candidate once (an alias already includes its targets)' });
    seen.add(c.name);
  }
  return out;
}

function unknownCandidate(name: string, manifest: Manifest | undefined, providers: readonly string[]): UsageError {
  const aliases = Object.keys(manifest?.aliases ?? {});
  const known = aliases.length ? `aliases in the manifest: ${aliases.slice(0, 8).join(', ')}; ` : manifest ? '' : 'there is no manifest, so no aliases or registered models; ';
  return new UsageError('unknown_candidate', `"${name}" is not an alias, a registered model, or provider:model for a provider llmgw knows.`, {
    hint: `${known}otherwise write provider:model with a provider among ${providers.join(', ')} (e.g. openai:gpt-4.1-mini)`,
  });
}
