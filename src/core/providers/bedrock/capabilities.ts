import type { HyperparameterSpec, ProviderCapabilities } from '../types.js';
import { BEDROCK_MODELS, HYPERPARAMETERS } from './models.js';

const TIB = 1024 ** 4;

/** Every family's hyperparameters once by name (the per-model specs in `baseModels` decide the ranges). */
const allHyperparameters: HyperparameterSpec[] = [...new Map(Object.values(HYPERPARAMETERS).flat().map((h) => [h.name, { ...h, min: undefined, max: undefined }])).values()];

export const bedrockCapabilities: ProviderCapabilities = {
  methods: ['supervised'],
  hyperparameters: allHyperparameters,
  // One S3 object; lib-storage switches to multipart past one part.
  maxSingleUploadBytes: 5 * TIB,
  maxFileBytes: 5 * TIB,
  uploadPartBytes: 8 * 1024 * 1024,
  // customModelName = `<suffix>-<20 hex>` within Bedrock's 63 characters of letters, digits and single _ or -.
  suffix: { maxLength: 40, pattern: '^[0-9a-zA-Z]([_-]?[0-9a-zA-Z])*$' },
  // Job tags: user metadata plus llmgw's ledger tag.
  maxMetadataPairs: 50,
  metadataLimits: { keyMaxLength: 128, valueMaxLength: 256 },
  needsDeployment: true,
  metadataFilter: true,
  baseModels: BEDROCK_MODELS.map((m) => ({ id: m.id, methods: ['supervised'], hyperparameters: [...HYPERPARAMETERS[m.family]] })),
  nextStep:
    'a custom model serves nothing until it is deployed: run `llmgw tune deploy <job>` (on demand for Nova; other models need --provisioned --model-units N, billed by the hour), or pass --register with --wait to deploy and register in one go.',
};
