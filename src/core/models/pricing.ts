import { UsageError } from '../errors.js';
import type { BaseModel } from './catalog.js';

/**
 * Training prices, USD per 1M training tokens, for supervised and preference fine-tuning.
 * Read on PRICE_TABLE_DATE from copies of OpenAI's pricing pages (openai.com/api/pricing, the
 * "Fine-tuning" section of developers.openai.com/api/docs/pricing). Prices change: users override
 * them with a number (`--price`, see docs/tokens.md) rather than waiting for a release.
 * Absent models have no per-token price: o4-mini's reinforcement fine-tuning is billed per hour of
 * training ($100/h, help.openai.com "Billing guide for the Reinforcement Fine Tuning API"), and
 * gpt-4-0613 was experimental access with no published price.
 */
export const TRAINING_PRICES: Readonly<Record<string, number>> = {
  'gpt-4.1-2025-04-14': 25,
  'gpt-4.1-mini-2025-04-14': 5,
  'gpt-4.1-nano-2025-04-14': 1.5,
  'gpt-4o-2024-08-06': 25,
  'gpt-4o-mini-2024-07-18': 3,
  'gpt-3.5-turbo-0125': 8,
  'gpt-3.5-turbo-1106': 8,
  'gpt-3.5-turbo-0613': 8,
  'davinci-002': 6,
  'babbage-002': 0.4,
};

/** The day the price table was last checked against the provider's pages (YYYY-MM-DD). */
export const PRICE_TABLE_DATE = '2026-11-24';

/**
 * The provider's default `n_epochs` for `examples` training examples, as OpenAI's cookbook
 * (Chat_finetuning_data_prep) describes it: 3, raised to min(25, ⌊100/n⌋) when n×3 < 100, lowered
 * to max(1, ⌊25000/n⌋) when n×3 > 25000.
 */
export function defaultEpochs(examples: number): number {
  const n = Math.max(0, Math.floor(examples));
  if (n * 3 < 100) return n === 0 ? 25 : Math.min(25, Math.floor(100 / n));
  if (n * 3 > 25_000) return Math.max(1, Math.floor(25_000 / n));
  return 3;
}

/** Tokens billed for one example in one epoch: the provider truncates longer examples to the limit. */
export function billedExampleTokens(model: BaseModel, tokens: number): number {
  return Math.min(model.maxExampleTokens, tokens);
}

export interface BillingInput {
  model: BaseModel;
  /** Training examples in the file. */
  examples: number;
  /** Σ billedExampleTokens over the file: what one epoch costs. */
  billedTokensPerEpoch: number;
  /** From `--epochs`; default: the provider's rule (defaultEpochs). */
  epochs?: number | undefined;
  /** USD per 1M tokens from `--price` or the environment; default: the dated table. */
  pricePerMillion?: number | undefined;
}

export interface BillingEstimate {
  model: string;
  epochs: number;
  epochsSource: 'flag' | 'default-rule';
  billedTokensPerEpoch: number;
  /** billedTokensPerEpoch × epochs. */
  billedTokens: number;
  pricePerMillion: number | null;
  priceSource: 'override' | 'table' | 'unknown';
  /** PRICE_TABLE_DATE when the table's price was used, else null. */
  priceDate: string | null;
  /** billedTokens / 1e6 × pricePerMillion, or null when no price is known. */
  estimatedCostUsd: number | null;
}

/** What a supervised or preference job on this file should cost (OpenAI's formula: price × tokens × epochs). */
export function estimateBilling(input: BillingInput): BillingEstimate {
  const epochs = input.epochs ?? defaultEpochs(input.examples);
  const billedTokens = input.billedTokensPerEpoch * epochs;
  const tablePrice = input.model.trainingPricePerMillion;
  const pricePerMillion = input.pricePerMillion ?? tablePrice;
  const priceSource = input.pricePerMillion !== undefined ? 'override' : tablePrice !== null ? 'table' : 'unknown';
  return {
    model: input.model.id,
    epochs,
    epochsSource: input.epochs === undefined ? 'default-rule' : 'flag',
    billedTokensPerEpoch: input.billedTokensPerEpoch,
    billedTokens,
    pricePerMillion,
    priceSource,
    priceDate: priceSource === 'table' ? PRICE_TABLE_DATE : null,
    estimatedCostUsd: pricePerMillion === null ? null : (billedTokens / 1_000_000) * pricePerMillion,
  };
}

/** The environment variable the CLI reads a price override from (USD per 1M training tokens). */
export const PRICE_ENV = 'LLMGW_TRAINING_PRICE';

/** Parses a user's price override (`--price 4.5`, LLMGW_TRAINING_PRICE=4.5); `origin` names where it came from. */
export function parsePricePerMillion(value: string, origin: string): number {
  const price = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(price) || price < 0) {
    throw new UsageError('invalid_price', `${origin} must be a price in USD per 1M training tokens, got "${value}".`, {
      hint: 'Pass a non-negative number, e.g. --price 5 for $5 per 1M tokens.',
    });
  }
  return price;
}
