import type { HyperparameterSpec, ProviderCapabilities } from '../types.js';
import { USER_SUFFIX_LIMIT } from './mark.js';

const GIB = 1024 ** 3;
const both = ['supervised', 'dpo'] as const;

/**
 * Together's fine-tuning parameters (POST /v1/fine-tunes). `learning_rate` is absolute, not a
 * multiplier, so it is a provider extra; `batch_size: "max"` is llmgw's `auto`. LoRA is the
 * default training type; `lora: false` asks for full fine-tuning. Ranges are the widest the
 * reference allows; per-model limits (GET /v1/fine-tunes/models/limits) can be narrower.
 */
const hyperparameters: HyperparameterSpec[] = [
  { name: 'epochs', providerName: 'n_epochs', type: 'integer', min: 1, max: 20, methods: [...both], allowsAuto: false },
  { name: 'batchSize', providerName: 'batch_size', type: 'integer', min: 1, methods: [...both], allowsAuto: true },
  { name: 'beta', providerName: 'dpo_beta', type: 'number', min: 0, exclusiveMin: true, methods: ['dpo'], allowsAuto: false },
  { name: 'learning_rate', providerName: 'learning_rate', type: 'number', min: 0, exclusiveMin: true, max: 1, methods: [...both], allowsAuto: false },
  { name: 'lora', providerName: 'training_type', type: 'boolean', methods: [...both], allowsAuto: false },
  { name: 'lora_r', providerName: 'lora_r', type: 'integer', min: 1, max: 64, methods: [...both], allowsAuto: false },
  { name: 'lora_alpha', providerName: 'lora_alpha', type: 'integer', min: 1, methods: [...both], allowsAuto: false },
  { name: 'lora_dropout', providerName: 'lora_dropout', type: 'number', min: 0, max: 1, methods: [...both], allowsAuto: false },
  { name: 'n_checkpoints', providerName: 'n_checkpoints', type: 'integer', min: 1, methods: [...both], allowsAuto: false },
  { name: 'n_evals', providerName: 'n_evals', type: 'integer', min: 0, methods: [...both], allowsAuto: false },
  { name: 'warmup_ratio', providerName: 'warmup_ratio', type: 'number', min: 0, max: 1, methods: [...both], allowsAuto: false },
  // Masking of user turns (prompts) in the loss; `auto` (sent when unset) lets Together decide by data format.
  { name: 'train_on_inputs', providerName: 'train_on_inputs', type: 'boolean', methods: ['supervised'], allowsAuto: true },
];

export const togetherCapabilities: ProviderCapabilities = {
  methods: [...both],
  hyperparameters,
  // One multipart call; the SDK's own file check stops at 4.9 GiB.
  maxSingleUploadBytes: Math.floor(4.9 * GIB),
  maxFileBytes: Math.floor(4.9 * GIB),
  // Together takes 40 characters; llmgw appends `-<ledger id>` (24) to find the job again after a lost answer.
  suffix: { maxLength: USER_SUFFIX_LIMIT, pattern: `^[A-Za-z0-9._-]{1,${USER_SUFFIX_LIMIT}}$` },
  maxMetadataPairs: 0,
  needsDeployment: false,
  metadataFilter: false,
  nextStep: 'Together serves the result under its output model name (serverless LoRA where the base model allows it, otherwise on a dedicated endpoint you create).',
};
