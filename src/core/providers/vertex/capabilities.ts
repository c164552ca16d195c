import type { HyperparameterSpec, ProviderCapabilities } from '../types.js';

const GB = 1024 ** 3;
const both = ['supervised', 'dpo'] as const;

/** Adapter sizes Gemini tuning takes (the limits tables of the supervised and preference tuning pages). */
export const ADAPTER_SIZES: Record<number, string> = {
  1: 'ADAPTER_SIZE_ONE',
  2: 'ADAPTER_SIZE_TWO',
  4: 'ADAPTER_SIZE_FOUR',
  8: 'ADAPTER_SIZE_EIGHT',
  16: 'ADAPTER_SIZE_SIXTEEN',
};

/**
 * Gemini supervised and preference tuning (`tuningJobs.create`, API v1). `epochCount`,
 * `learningRateMultiplier` and `adapterSize` for both; `beta` for preference tuning. The pages
 * publish no ranges beyond the adapter sizes: llmgw checks what must hold (whole epochs from 1,
 * a positive multiplier and beta) and Vertex has the last word. `auto` leaves a value to Vertex.
 */
const hyperparameters: HyperparameterSpec[] = [
  { name: 'epochs', providerName: 'epochCount', type: 'integer', min: 1, max: 100, methods: [...both], allowsAuto: true },
  { name: 'learningRateMultiplier', providerName: 'learningRateMultiplier', type: 'number', min: 0, exclusiveMin: true, max: 100, methods: [...both], allowsAuto: true },
  { name: 'beta', providerName: 'beta', type: 'number', min: 0, exclusiveMin: true, methods: ['dpo'], allowsAuto: true },
  { name: 'adapterSize', providerName: 'adapterSize', type: 'integer', values: Object.keys(ADAPTER_SIZES).map(Number), methods: [...both], allowsAuto: false },
];

export const vertexCapabilities: ProviderCapabilities = {
  methods: [...both],
  hyperparameters,
  // One resumable upload to Cloud Storage; Vertex reads training files of at most 1 GB (JSONL).
  maxSingleUploadBytes: GB,
  maxFileBytes: GB,
  uploadPartBytes: 8 * 1024 * 1024,
  // `--train gs://…` is trained from where it is.
  remoteSchemes: ['gs'],
  // The suffix is the tuned model's display name: at most 128 characters.
  suffix: { maxLength: 128, pattern: '^[^\\n]{1,128}$' },
  // Job labels: at most 64, keys and values of at most 63 lower-case letters, digits, _ and -.
  maxMetadataPairs: 64,
  metadataLimits: { keyMaxLength: 63, valueMaxLength: 63 },
  needsDeployment: false,
  // Labels are on each job in the list; llmgw reads the pages itself rather than rely on a filter.
  metadataFilter: false,
  nextStep: 'Vertex AI deploys the tuned model to an endpoint in the job\'s region; route to that endpoint (models export writes it for each gateway).',
};
