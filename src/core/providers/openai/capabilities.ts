import type { HyperparameterSpec, ProviderCapabilities } from '../types.js';

const MB = 1024 * 1024;

/** OpenAI's documented limits (reference: Files 512 MB, Uploads 8 GB in 64 MB parts). */
export const OPENAI_LIMITS = {
  maxSingleUploadBytes: 512 * MB,
  maxFileBytes: 8 * 1024 * MB,
  uploadPartBytes: 64 * MB,
  uploadConcurrency: 4,
} as const;

const both = ['supervised', 'dpo'] as const;

/** Ranges from CreateFineTuningJobRequest; every value also accepts `auto`. */
const hyperparameters: HyperparameterSpec[] = [
  { name: 'epochs', providerName: 'n_epochs', type: 'integer', min: 1, max: 50, methods: [...both], allowsAuto: true },
  { name: 'batchSize', providerName: 'batch_size', type: 'integer', min: 1, max: 256, methods: [...both], allowsAuto: true },
  { name: 'learningRateMultiplier', providerName: 'learning_rate_multiplier', type: 'number', min: 0, exclusiveMin: true, methods: [...both], allowsAuto: true },
  { name: 'beta', providerName: 'beta', type: 'number', min: 0, exclusiveMin: true, max: 2, methods: ['dpo'], allowsAuto: true },
];

/**
 * What the adapter supports. Reinforcement fine-tuning is left out: it needs a grader, which
 * llmgw neither builds nor validates yet.
 */
export function openaiCapabilities(overrides: { maxSingleUploadBytes?: number | undefined; uploadPartBytes?: number | undefined } = {}): ProviderCapabilities {
  return {
    methods: [...both],
    hyperparameters,
    maxSingleUploadBytes: overrides.maxSingleUploadBytes ?? OPENAI_LIMITS.maxSingleUploadBytes,
    maxFileBytes: OPENAI_LIMITS.maxFileBytes,
    uploadPartBytes: overrides.uploadPartBytes ?? OPENAI_LIMITS.uploadPartBytes,
    suffix: { maxLength: 64, pattern: '^[A-Za-z0-9_-]{1,64}$' },
    maxMetadataPairs: 16,
    metadataLimits: { keyMaxLength: 64, valueMaxLength: 512 },
    needsDeployment: false,
    metadataFilter: true,
  };
}
