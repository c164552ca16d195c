/**
 * The Bedrock base models llmgw can fine-tune, from the Bedrock user guide (custom model
 * fine-tuning table, hyperparameter pages, data preparation pages, on-demand deployment page).
 * What the account can do *now* in a region (lifecycle, availability) is asked at run time with
 * ListFoundationModels; this table says what each model needs: its data format, its
 * hyperparameters and how its result is served.
 */
import type { HyperparameterSpec } from '../types.js';

/** The training data shape a model reads. */
export type BedrockFormat =
  /** Anthropic's: `{"system": "…", "messages": [{"role", "content": "…"}]}`, strings only. */
  | 'claude'
  /** `bedrock-conversation-2024`: system and content as lists of `{text}` blocks (Converse shape). */
  | 'conversation'
  /** `{"prompt": "…", "completion": "…"}`. */
  | 'prompt-completion';

export type BedrockFamily = 'claude-3' | 'nova' | 'nova-2' | 'llama-3.1' | 'llama-3.2';

export interface BedrockModel {
  /** The `baseModelIdentifier`, with the context-length suffix customization needs. */
  id: string;
  name: string;
  family: BedrockFamily;
  format: BedrockFormat;
  /** Regions the fine-tuning table lists (the run-time check has the last word). */
  regions: readonly string[];
  /** Regions where the result can be deployed on demand; empty = Provisioned Throughput only. */
  onDemandRegions: readonly string[];
  /** Whether a validation file may be given. */
  validation: boolean;
  /** Whether examples may carry tool calls. */
  tools: boolean;
  /** Whether an example may hold more than one user turn. */
  multiTurn: boolean;
}

const NOVA_ON_DEMAND = ['us-east-1', 'us-west-2'] as const;

const nova = (id: string, name: string): BedrockModel => ({
  id,
  name,
  family: 'nova',
  format: 'conversation',
  regions: ['us-east-1'],
  onDemandRegions: NOVA_ON_DEMAND,
  validation: true,
  tools: true,
  multiTurn: true,
});

const llama = (id: string, name: string, family: 'llama-3.1' | 'llama-3.2'): BedrockModel => ({
  id,
  name,
  family,
  // Llama 3.1 is on the guide's prompt/completion list; Llama 3.2 reads the conversation format.
  format: family === 'llama-3.1' ? 'prompt-completion' : 'conversation',
  regions: ['us-west-2'],
  onDemandRegions: [],
  validation: true,
  tools: false,
  multiTurn: family === 'llama-3.2',
});

export const BEDROCK_MODELS: readonly BedrockModel[] = [
  nova('amazon.nova-micro-v1:0:128k', 'Amazon Nova Micro'),
  nova('amazon.nova-lite-v1:0:300k', 'Amazon Nova Lite'),
  nova('amazon.nova-pro-v1:0:300k', 'Amazon Nova Pro'),
  // Nova 2 SFT: no tool sections and no validation set (the Nova 2 data preparation page).
  { ...nova('amazon.nova-2-lite-v1:0:256k', 'Amazon Nova 2 Lite'), family: 'nova-2', onDemandRegions: [], validation: false, tools: false },
  {
    id: 'anthropic.claude-3-haiku-20240307-v1:0:200k',
    name: 'Anthropic Claude 3 Haiku',
    family: 'claude-3',
    format: 'claude',
    regions: ['us-west-2'],
    onDemandRegions: [],
    validation: true,
    tools: false,
    multiTurn: true,
  },
  llama('meta.llama3-1-8b-instruct-v1:0:128k', 'Meta Llama 3.1 8B Instruct', 'llama-3.1'),
  llama('meta.llama3-1-70b-instruct-v1:0:128k', 'Meta Llama 3.1 70B Instruct', 'llama-3.1'),
  llama('meta.llama3-2-1b-instruct-v1:0:128k', 'Meta Llama 3.2 1B Instruct', 'llama-3.2'),
  llama('meta.llama3-2-3b-instruct-v1:0:128k', 'Meta Llama 3.2 3B Instruct', 'llama-3.2'),
  llama('meta.llama3-2-11b-instruct-v1:0:128k', 'Meta Llama 3.2 11B Instruct', 'llama-3.2'),
  llama('meta.llama3-2-90b-instruct-v1:0:128k', 'Meta Llama 3.2 90B Instruct', 'llama-3.2'),
];

export function findBedrockModel(id: string): BedrockModel | undefined {
  return BEDROCK_MODELS.find((m) => m.id === id || foundationModelArnId(id) === m.id);
}

/** The model id inside a foundation-model ARN (`arn:aws:bedrock:us-east-1::foundation-model/<id>`), else undefined. */
export function foundationModelArnId(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d*:foundation-model\/(.+)$/.exec(arn);
  return m?.[1];
}

/**
 * The table's models whose id starts with what was typed (e.g. `amazon.nova-lite-v1:0` without
 * the `:300k` context suffix customization needs), for the hint of a refusal.
 */
export function similarModels(id: string): BedrockModel[] {
  const stem = id.replace(/:\d+k$/, '');
  return BEDROCK_MODELS.filter((m) => m.id.startsWith(stem) || m.id.split(':')[0] === stem.split(':')[0]);
}

type Spec = Omit<HyperparameterSpec, 'methods' | 'allowsAuto'>;
const spec = (s: Spec): HyperparameterSpec => ({ ...s, methods: ['supervised'], allowsAuto: false });

/**
 * Each family's hyperparameters (the guide's "custom model hyperparameters" pages). llmgw's
 * neutral names map onto Bedrock's where they mean the same; the rest go by Bedrock's own name
 * (`extra`). Values are sent as strings, as the API requires.
 */
export const HYPERPARAMETERS: Record<BedrockFamily, readonly HyperparameterSpec[]> = {
  'claude-3': [
    spec({ name: 'epochs', providerName: 'epochCount', type: 'integer', min: 1, max: 10 }),
    spec({ name: 'batchSize', providerName: 'batchSize', type: 'integer', min: 4, max: 256 }),
    spec({ name: 'learningRateMultiplier', providerName: 'learningRateMultiplier', type: 'number', min: 0.1, max: 2 }),
    spec({ name: 'earlyStoppingThreshold', providerName: 'earlyStoppingThreshold', type: 'number', min: 0, max: 0.1 }),
    spec({ name: 'earlyStoppingPatience', providerName: 'earlyStoppingPatience', type: 'integer', min: 1, max: 10 }),
  ],
  nova: [
    spec({ name: 'epochs', providerName: 'epochCount', type: 'integer', min: 1, max: 5 }),
    spec({ name: 'learningRate', providerName: 'learningRate', type: 'number', min: 1e-6, max: 1e-4 }),
    spec({ name: 'learningRateWarmupSteps', providerName: 'learningRateWarmupSteps', type: 'integer', min: 0, max: 100 }),
  ],
  // Nova 2 Lite's page was not published when this was written; Nova's documented set is assumed.
  'nova-2': [
    spec({ name: 'epochs', providerName: 'epochCount', type: 'integer', min: 1, max: 5 }),
    spec({ name: 'learningRate', providerName: 'learningRate', type: 'number', min: 1e-6, max: 1e-4 }),
    spec({ name: 'learningRateWarmupSteps', providerName: 'learningRateWarmupSteps', type: 'integer', min: 0, max: 100 }),
  ],
  'llama-3.1': [
    spec({ name: 'epochs', providerName: 'epochCount', type: 'integer', min: 1, max: 10 }),
    spec({ name: 'batchSize', providerName: 'batchSize', type: 'integer', min: 1, max: 1 }),
    spec({ name: 'learningRate', providerName: 'learningRate', type: 'number', min: 5e-6, max: 0.1 }),
  ],
  'llama-3.2': [
    spec({ name: 'epochs', providerName: 'epochCount', type: 'integer', min: 1, max: 10 }),
    spec({ name: 'batchSize', providerName: 'batchSize', type: 'integer', min: 1, max: 1 }),
    spec({ name: 'learningRate', providerName: 'learningRate', type: 'number', min: 5e-6, max: 0.1 }),
  ],
};

