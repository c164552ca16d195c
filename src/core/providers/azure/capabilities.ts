import type { BaseModelSpec, HyperparameterSpec, ProviderCapabilities } from '../types.js';

const MB = 1024 * 1024;
const both = ['supervised', 'dpo'] as const;

/** The default data-plane API version: the first to take `method` (supervised/DPO) on job creation. */
export const AZURE_DEFAULT_API_VERSION = '2025-04-01-preview';

/** Azure OpenAI's job API is OpenAI's: same names, same `auto`. */
const hyperparameters: HyperparameterSpec[] = [
  { name: 'epochs', providerName: 'n_epochs', type: 'integer', min: 1, max: 50, methods: [...both], allowsAuto: true },
  { name: 'batchSize', providerName: 'batch_size', type: 'integer', min: 1, max: 256, methods: [...both], allowsAuto: true },
  { name: 'learningRateMultiplier', providerName: 'learning_rate_multiplier', type: 'number', min: 0, exclusiveMin: true, methods: [...both], allowsAuto: true },
  { name: 'beta', providerName: 'beta', type: 'number', min: 0, exclusiveMin: true, max: 2, methods: ['dpo'], allowsAuto: true },
];

/** Base models Azure lists as fine-tunable through the data-plane API (edit when Azure adds some). */
const baseModels: BaseModelSpec[] = [
  { id: 'gpt-4.1-2025-04-14', methods: [...both], maxTokens: 65_536 },
  { id: 'gpt-4.1-mini-2025-04-14', methods: [...both], maxTokens: 65_536 },
  { id: 'gpt-4.1-nano-2025-04-14', methods: [...both], maxTokens: 32_768 },
  { id: 'gpt-4o-2024-08-06', methods: [...both], maxTokens: 65_536 },
  { id: 'gpt-4o-mini-2024-07-18', methods: ['supervised'], maxTokens: 65_536 },
];

export const azureCapabilities: ProviderCapabilities = {
  methods: [...both],
  hyperparameters,
  // Azure's Files API takes up to 512 MB per file; larger data goes through Azure Blob import, which llmgw does not drive.
  maxSingleUploadBytes: 512 * MB,
  maxFileBytes: 512 * MB,
  suffix: { maxLength: 40, pattern: '^[A-Za-z0-9_-]{1,40}$' },
  maxMetadataPairs: 0,
  needsDeployment: true,
  metadataFilter: false,
  baseModels,
  nextStep:
    'Azure serves a fine-tuned model only through a deployment: create one for it (Azure portal / AI Foundry, or `az cognitiveservices account deployment create --model-name <fine-tuned model> --model-format OpenAI --model-version 1 --sku-name Standard …`), then route to it with `llmgw models register <alias> <fine-tuned model> --deployment <deployment name>`.',
};
