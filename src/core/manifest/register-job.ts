import { UsageError } from '../errors.js';
import { getProviderFactory } from '../providers/registry.js';
import { PROVIDER_TYPES, type ProviderEntry, type ProviderType } from './schema.js';
import { updateManifest, type WriteOptions, type WriteResult } from './store.js';
import { register, type NewModel } from './transitions.js';

/**
 * The provider entry a first registration adds: the registry's provider of that name, with the
 * environment variable its adapter reads the key from.
 */
export async function defaultProviderEntry(name: string): Promise<ProviderEntry> {
  if (!(PROVIDER_TYPES as readonly string[]).includes(name)) {
    throw new UsageError('unknown_provider', `llmgw cannot route to provider "${name}".`, { hint: `use one of: ${PROVIDER_TYPES.join(', ')}` });
  }
  const factory = await getProviderFactory(name);
  return { type: name as ProviderType, apiKeyEnv: factory.env.apiKey };
}

export interface RegisterModelInput {
  alias: string;
  model: NewModel;
}

/**
 * Registers a model under an alias in the manifest at `store.path`, creating the manifest when
 * it does not exist. A new alias points at the model; an existing one gets it as a candidate
 * without traffic. Used by `models register` and by `tune start --register` (via registerJobResult).
 */
export async function registerModel(store: WriteOptions, input: RegisterModelInput): Promise<WriteResult> {
  const now = store.now ?? Date.now;
  // Looked up before taking the lock: loading an adapter is slow and needs no lock.
  const providerEntry = await defaultProviderEntry(input.model.provider).catch(() => undefined);
  return updateManifest({ ...store, create: store.create ?? true }, (m) =>
    register(m, { alias: input.alias, model: input.model, providerEntry: m.providers[input.model.provider] ? undefined : providerEntry, createdAt: new Date(now()).toISOString() }),
  );
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
  /** Azure: the deployment serving the model. */
  deployment?: string | undefined;
}

/** Registers a succeeded job's model (for `tune start --register ALIAS`). */
export async function registerJobResult(store: WriteOptions, job: JobResult): Promise<WriteResult> {
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
      ...(job.deployment ? { deployment: job.deployment } : {}),
    },
  });
}
