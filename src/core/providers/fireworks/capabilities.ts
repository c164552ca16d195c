import type { HyperparameterSpec, ProviderCapabilities } from '../types.js';

const MB = 1024 * 1024;
const sft = ['supervised'] as const;

/**
 * Fireworks supervised fine-tuning (POST /v1/accounts/{account}/supervisedFineTuningJobs).
 * DPO runs through a separate job type (dpoJobs) that llmgw does not drive yet, so only
 * `supervised` is offered and a DPO request is refused before anything is sent.
 * `learningRate` is absolute, so it is a provider extra, as are LoRA rank and context length.
 */
const hyperparameters: HyperparameterSpec[] = [
  { name: 'epochs', providerName: 'epochs', type: 'integer', min: 1, max: 100, methods: [...sft], allowsAuto: false },
  { name: 'learningRate', providerName: 'learningRate', type: 'number', min: 0, exclusiveMin: true, max: 1, methods: [...sft], allowsAuto: false },
  { name: 'loraRank', providerName: 'loraRank', type: 'integer', min: 4, max: 64, methods: [...sft], allowsAuto: false },
  { name: 'maxContextLength', providerName: 'maxContextLength', type: 'integer', min: 1, methods: [...sft], allowsAuto: false },
  { name: 'earlyStop', providerName: 'earlyStop', type: 'boolean', methods: [...sft], allowsAuto: false },
];

export const fireworksCapabilities: ProviderCapabilities = {
  methods: [...sft],
  hyperparameters,
  // The one-call dataset upload (`:upload`) takes files under 150 MB; larger ones need signed URLs, not implemented.
  maxSingleUploadBytes: 150 * MB - 1,
  maxFileBytes: 150 * MB - 1,
  // The suffix becomes the job's display name; the model id is the job id.
  suffix: { maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$' },
  maxMetadataPairs: 0,
  needsDeployment: true,
  metadataFilter: false,
  nextStep:
    'Fireworks serves a fine-tuned model only from an on-demand (dedicated) deployment: create one for it (`firectl create deployment <fine-tuned model>` or the Deployments API), then route to it with `llmgw models register <alias> <fine-tuned model> --deployment <deployment name>`.',
};
