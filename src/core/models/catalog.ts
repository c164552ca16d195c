import type { EncodingName } from '../tokens/encodings.js';
import { TRAINING_PRICES } from './pricing.js';

/**
 * The base models llmgw knows how to fine-tune, kept as data in one table. Sources: OpenAI's
 * fine-tuning guides (supported models per method; per-example token limits from the 2024 guide)
 * and tiktoken's model → encoding map. docs/tokens.md renders this table for users.
 */

export type FineTuneMethod = 'supervised' | 'dpo' | 'reinforcement' | 'vision';

export interface BaseModel {
  /** The dated snapshot id the provider accepts, e.g. `gpt-4.1-mini-2025-04-14`. */
  id: string;
  /** OpenAI's catalogue below; `vertex` for a Gemini model counted approximately (providers/vertex/token-model.ts). */
  provider: 'openai' | 'vertex';
  /** Undated names that resolve to this snapshot, e.g. `gpt-4.1-mini`. */
  aliases: string[];
  encoding: EncodingName;
  /** Longest training example in tokens; longer ones are truncated from the end by the provider. */
  maxExampleTokens: number;
  /** `docs`: published by the provider; `assumed`: llmgw's assumption, explained in `notes`. */
  limitSource: 'docs' | 'assumed';
  methods: FineTuneMethod[];
  /** The training-file format: chat (messages) or the legacy prompt/completion. */
  format: 'chat' | 'completion';
  /** The provider refuses files with fewer examples. */
  minExamples: 10;
  /** Below this many examples, results are usually weak (the guides suggest starting at 50). */
  recommendedExamples: number;
  /** USD per 1M training tokens from the dated price table; null when billed otherwise or unpublished. */
  trainingPricePerMillion: number | null;
  /** True while OpenAI lists the model for new fine-tuning jobs (the 2025 guides); false for earlier ones still accepted by the API. */
  current: boolean;
  notes?: string;
  /**
   * Where no tokenizer for the model ships with llmgw: the provider's tokens per token of
   * `encoding`, measured on real data. Counts are then approximate and say how (`tokenizer`).
   */
  tokenScale?: number;
  /** How approximate counts are made and how far off they were, for reports. */
  tokenizer?: string;
  /** The provider's default epoch count is not known locally: a cost estimate needs --epochs. */
  epochsUnknown?: true;
  /** The provider's validation profile reports examples over the limit itself (with its own wording): counted, not reported twice. */
  limitCheckedByProfile?: true;
}

type Entry = Omit<BaseModel, 'provider' | 'minExamples' | 'trainingPricePerMillion'>;

const GPT41_LIMIT_NOTE = 'The guides publish no per-example limit for gpt-4.1; llmgw assumes the 65,536 of gpt-4o.';

const ENTRIES: Entry[] = [
  { id: 'gpt-4.1-2025-04-14', aliases: ['gpt-4.1'], encoding: 'o200k_base', maxExampleTokens: 65_536, limitSource: 'assumed', methods: ['supervised', 'dpo'], format: 'chat', recommendedExamples: 50, current: true, notes: GPT41_LIMIT_NOTE },
  { id: 'gpt-4.1-mini-2025-04-14', aliases: ['gpt-4.1-mini'], encoding: 'o200k_base', maxExampleTokens: 65_536, limitSource: 'assumed', methods: ['supervised', 'dpo'], format: 'chat', recommendedExamples: 50, current: true, notes: GPT41_LIMIT_NOTE },
  { id: 'gpt-4.1-nano-2025-04-14', aliases: ['gpt-4.1-nano'], encoding: 'o200k_base', maxExampleTokens: 65_536, limitSource: 'assumed', methods: ['supervised', 'dpo'], format: 'chat', recommendedExamples: 50, current: true, notes: GPT41_LIMIT_NOTE },
  { id: 'gpt-4o-2024-08-06', aliases: ['gpt-4o'], encoding: 'o200k_base', maxExampleTokens: 65_536, limitSource: 'docs', methods: ['supervised', 'vision'], format: 'chat', recommendedExamples: 50, current: true, notes: 'The only base model for vision fine-tuning (image inputs).' },
  { id: 'gpt-4o-mini-2024-07-18', aliases: ['gpt-4o-mini'], encoding: 'o200k_base', maxExampleTokens: 65_536, limitSource: 'docs', methods: ['supervised'], format: 'chat', recommendedExamples: 50, current: false },
  { id: 'o4-mini-2025-04-16', aliases: ['o4-mini'], encoding: 'o200k_base', maxExampleTokens: 65_536, limitSource: 'assumed', methods: ['reinforcement'], format: 'chat', recommendedExamples: 50, current: true, notes: 'Reinforcement fine-tuning only, billed per hour of training ($100/h), not per token. The limit is an assumption.' },
  { id: 'gpt-3.5-turbo-0125', aliases: ['gpt-3.5-turbo'], encoding: 'cl100k_base', maxExampleTokens: 16_385, limitSource: 'docs', methods: ['supervised'], format: 'chat', recommendedExamples: 50, current: false },
  { id: 'gpt-3.5-turbo-1106', aliases: [], encoding: 'cl100k_base', maxExampleTokens: 16_385, limitSource: 'docs', methods: ['supervised'], format: 'chat', recommendedExamples: 50, current: false },
  { id: 'gpt-3.5-turbo-0613', aliases: [], encoding: 'cl100k_base', maxExampleTokens: 4_096, limitSource: 'docs', methods: ['supervised'], format: 'chat', recommendedExamples: 50, current: false },
  { id: 'gpt-4-0613', aliases: ['gpt-4'], encoding: 'cl100k_base', maxExampleTokens: 8_192, limitSource: 'assumed', methods: ['supervised'], format: 'chat', recommendedExamples: 50, current: false, notes: 'Experimental access only; no published per-example limit or training price. llmgw assumes the 8,192-token context window.' },
  { id: 'babbage-002', aliases: [], encoding: 'cl100k_base', maxExampleTokens: 16_384, limitSource: 'assumed', methods: ['supervised'], format: 'completion', recommendedExamples: 100, current: false, notes: 'Legacy prompt/completion format. llmgw assumes the 16,384-token context window as the limit.' },
  { id: 'davinci-002', aliases: [], encoding: 'cl100k_base', maxExampleTokens: 16_384, limitSource: 'assumed', methods: ['supervised'], format: 'completion', recommendedExamples: 100, current: false, notes: 'Legacy prompt/completion format. llmgw assumes the 16,384-token context window as the limit.' },
];

const MODELS: readonly BaseModel[] = ENTRIES.map((entry) => ({
  ...entry,
  provider: 'openai',
  minExamples: 10,
  trainingPricePerMillion: TRAINING_PRICES[entry.id] ?? null,
}));

/**
 * The default base model: gpt-4.1-mini is the base OpenAI's current guides recommend for
 * supervised fine-tuning when cost matters (SFT and DPO, o200k, $5 per 1M training tokens vs $25
 * for gpt-4.1), and the one most teams start from.
 */
export const DEFAULT_MODEL_ID = 'gpt-4.1-mini-2025-04-14';

const byName = new Map<string, BaseModel>();
for (const model of MODELS) for (const name of [model.id, ...model.aliases]) byName.set(name, model);

/**
 * The base model behind `id`: a dated snapshot (`gpt-4o-mini-2024-07-18`), an undated alias
 * (`gpt-4o-mini`), or a fine-tuned model (`ft:<base>:<org>:<suffix>:<id>`, also with
 * `:ckpt-step-N`), which resolves to its base. Undefined when llmgw does not know the model.
 */
export function resolveModel(id: string): BaseModel | undefined {
  const name = id.trim();
  if (name.startsWith('ft:')) {
    const base = name.split(':')[1];
    return base ? byName.get(base) : undefined;
  }
  return byName.get(name);
}

/** Every known base model, current ones first, in catalogue order. */
export function listModels(): readonly BaseModel[] {
  return [...MODELS.filter((m) => m.current), ...MODELS.filter((m) => !m.current)];
}

/** The default base model (always present in the catalogue). */
export function defaultModel(): BaseModel {
  const model = byName.get(DEFAULT_MODEL_ID);
  if (!model) throw new Error(`DEFAULT_MODEL_ID ${DEFAULT_MODEL_ID} is not in the catalogue`);
  return model;
}
