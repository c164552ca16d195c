import { UsageError } from '../errors.js';
import { isProviderType, PROVIDER_TYPE_INFO, PROVIDER_TYPES } from './provider-types.js';
import type { ProviderEntry } from './schema.js';
import type { BedrockServing, VertexServing } from './schema-model.js';
import { updateManifest, type WriteOptions, type WriteResult } from './store.js';
import { register, type NewModel, type RegisterInput } from './transitions.js';

/**
 * The provider entry a first registration adds for a provider type: the environment variable the
 * provider's SDK reads its key from (none for Vertex and Bedrock, which use ADC and the AWS chain).
 */
export function defaultProviderEntry(name: string): ProviderEntry {
  if (!isProviderType(name)) {
    throw new UsageError('unknown_provider', `llmgw cannot route to provider "${name}".`, { hint: `use one of: ${PROVIDER_TYPES.join(', ')}` });
  }
  const keyEnv = PROVIDER_TYPE_INFO[name].keyEnv;
  return { type: name, ...(keyEnv ? { apiKeyEnv: keyEnv } : {}) };
}

export interface RegisterModelInput {
  alias: string;
  model: NewModel;
  /** Connection facts for the model's provider entry (see `RegisterInput.providerFacts`). */
  providerFacts?: RegisterInput['providerFacts'];
}

/**
 * Registers a model under an alias in the manifest at `store.path`, creating the manifest when
 * it does not exist. A new alias points at the model; an existing one gets it as a candidate
 * without traffic. Used by `models register` and by `tune start --register` (via registerJobResult).
 */
export async function registerModel(store: WriteOptions, input: RegisterModelInput): Promise<WriteResult> {
  const now = store.now ?? Date.now;
  const providerEntry = isProviderType(input.model.provider) ? defaultProviderEntry(input.model.provider) : undefined;
  return updateManifest({ ...store, create: store.create ?? true }, (m) =>
    register(m, { alias: input.alias, model: input.model, providerEntry: m.providers[input.model.provider] ? undefined : providerEntry, providerFacts: input.providerFacts, createdAt: new Date(now()).toISOString() }),
  );
}

/**
 * How a finished job's model is served, when that is more than its id. The Vertex and Bedrock
 * adapters produce it from the finished job; the manifest keeps it on the model entry
 * (`deployment` as the model's `deployment`, the rest under `serving`) and the exports read it.
 */
export interface ServingFacts {
  /** Azure, Fireworks: the deployment serving the model. */
  deployment?: string;
  vertex?: VertexServing;
  bedrock?: BedrockServing;
}

export interface JobResult {
  alias: string;
  /** Registry name of the provider that ran the job, e.g. `openai`. */
  provider: string;
  jobId: string;
  /** The fine-tuned model id the job produced. */
  fineTunedModel: string;
  baseModel?: string | undefined;
  datasetHash?: string | undefined;
  metrics?: Record<string, number> | undefined;
  /** Azure: the deployment serving the model (the same as `serving.deployment`, kept for callers that set it here). */
  deployment?: string | undefined;
  serving?: ServingFacts | undefined;
}

/** Registers a succeeded job's model (for `tune start --register ALIAS`). */
export async function registerJobResult(store: WriteOptions, job: JobResult): Promise<WriteResult> {
  const deployment = job.serving?.deployment ?? job.deployment;
  return registerModel(store, {
    alias: job.alias,
    model: {
      id: job.fineTunedModel,
      provider: job.provider,
      providerModelId: job.fineTunedModel,
      jobId: job.jobId,
      ...(job.baseModel ? { baseModel: job.baseModel } : {}),
      ...(job.datasetHash ? { datasetHash: job.datasetHash } : {}),
      ...(job.metrics ? { metrics: job.metrics } : {}),
      ...(deployment ? { deployment } : {}),
      ...(job.serving?.vertex || job.serving?.bedrock
        ? { serving: { ...(job.serving.vertex ? { vertex: job.serving.vertex } : {}), ...(job.serving.bedrock ? { bedrock: job.serving.bedrock } : {}) } }
        : {}),
    },
  });
}
