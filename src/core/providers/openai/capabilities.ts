import type { HyperparameterSpec, ProviderCapabilities } from '../types.js';
import { checkGrader } from './grader.js';

const MB = 1024 * 1024;

/** OpenAI's documented limits (reference: Files 512 MB, Uploads 8 GB in 64 MB parts). */
export const OPENAI_LIMITS = {
  maxSingleUploadBytes: 512 * MB,
  maxFileBytes: 8 * 1024 * MB,
  uploadPartBytes: 64 * MB,
  uploadConcurrency: 4,
} as const;

const all = ['supervised', 'dpo', 'reinforcement'] as const;

/** Ranges from the API reference's per-method hyperparameters; every number also accepts `auto`. */
const hyperparameters: HyperparameterSpec[] = [
  { name: 'epochs', providerName: 'n_epochs', type: 'integer', min: 1, max: 50, methods: [...all], allowsAuto: true },
  { name: 'batchSize', providerName: 'batch_size', type: 'integer', min: 1, max: 256, methods: [...all], allowsAuto: true },
  { name: 'learningRateMultiplier', providerName: 'learning_rate_multiplier', type: 'number', min: 0, exclusiveMin: true, methods: [...all], allowsAuto: true },
  { name: 'beta', providerName: 'beta', type: 'number', min: 0, exclusiveMin: true, max: 2, methods: ['dpo'], allowsAuto: true },
  // Reinforcement only (FineTuneReinforcementHyperparameters).
  { name: 'compute_multiplier', providerName: 'compute_multiplier', type: 'number', min: 0.00001, exclusiveMin: true, max: 10, methods: ['reinforcement'], allowsAuto: true },
  { name: 'eval_interval', providerName: 'eval_interval', type: 'integer', min: 1, methods: ['reinforcement'], allowsAuto: true },
  { name: 'eval_samples', providerName: 'eval_samples', type: 'integer', min: 1, methods: ['reinforcement'], allowsAuto: true },
  { name: 'reasoning_effort', providerName: 'reasoning_effort', type: 'string', values: ['default', 'low', 'medium', 'high'], methods: ['reinforcement'], allowsAuto: false },
];

/** What the adapter supports: supervised, DPO, and reinforcement with a grader (checked before sending). */
export function openaiCapabilities(overrides: { maxSingleUploadBytes?: number | undefined; uploadPartBytes?: number | undefined } = {}): ProviderCapabilities {
  return {
    methods: [...all],
    hyperparameters,
    maxSingleUploadBytes: overrides.maxSingleUploadBytes ?? OPENAI_LIMITS.maxSingleUploadBytes,
    maxFileBytes: OPENAI_LIMITS.maxFileBytes,
    uploadPartBytes: overrides.uploadPartBytes ?? OPENAI_LIMITS.uploadPartBytes,
    suffix: { maxLength: 64, pattern: '^[A-Za-z0-9_-]{1,64}$' },
    maxMetadataPairs: 16,
    metadataLimits: { keyMaxLength: 64, valueMaxLength: 512 },
    needsDeployment: false,
    metadataFilter: true,
    checkGrader,
    newJobsEnd: { date: '2027-01-06', why: 'OpenAI is winding down self-serve fine-tuning and accepts no new fine-tuning jobs from that day' },
  };
}
