/**
 * Inference prices, USD per 1M tokens (standard on-demand tier, no batch or cache discount), for
 * the cost columns of an eval report. Read on INFERENCE_PRICE_DATE from copies of the providers'
 * pricing pages named in `source`. Prices change and many models are missing: an eval names the
 * price it used with its date and source, says "unknown" rather than guess, and takes an override
 * (`--price MODEL=IN,OUT`).
 */
import { UsageError } from '../errors.js';

export const INFERENCE_PRICE_DATE = '2026-11-24';

interface PriceRow {
  input: number;
  output: number;
  source: string;
}

const OPENAI = 'openai.com/api/pricing (standard tier; fine-tuned models: "Fine-tuning" section)';
const VERTEX = 'cloud.google.com/vertex-ai/generative-ai/pricing (≤200k-token prompts)';
const BEDROCK = 'aws.amazon.com/bedrock/pricing (on-demand, us-east-1)';

/** Base models by their undated name; `ft:` keys are fine-tuned models of that base. */
const TABLE: Readonly<Record<string, PriceRow>> = {
  'gpt-4.1': { input: 2, output: 8, source: OPENAI },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, source: OPENAI },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, source: OPENAI },
  'gpt-4o': { input: 2.5, output: 10, source: OPENAI },
  'gpt-4o-mini': { input: 0.15, output: 0.6, source: OPENAI },
  'ft:gpt-4.1': { input: 3, output: 12, source: OPENAI },
  'ft:gpt-4.1-mini': { input: 0.8, output: 3.2, source: OPENAI },
  'ft:gpt-4.1-nano': { input: 0.2, output: 0.8, source: OPENAI },
  'ft:gpt-4o': { input: 3.75, output: 15, source: OPENAI },
  'ft:gpt-4o-mini': { input: 0.3, output: 1.2, source: OPENAI },
  'gemini-2.5-pro': { input: 1.25, output: 10, source: VERTEX },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, source: VERTEX },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, source: VERTEX },
  'gemini-2.0-flash': { input: 0.15, output: 0.6, source: VERTEX },
  'amazon.nova-micro-v1:0': { input: 0.035, output: 0.14, source: BEDROCK },
  'amazon.nova-lite-v1:0': { input: 0.06, output: 0.24, source: BEDROCK },
  'amazon.nova-pro-v1:0': { input: 0.8, output: 3.2, source: BEDROCK },
  'anthropic.claude-3-haiku-20240307-v1:0': { input: 0.25, output: 1.25, source: BEDROCK },
};

export interface Price {
  inputPerMillion: number;
  outputPerMillion: number;
  /** `table` (dated, with a source) or `override` (the user's `--price`). */
  origin: 'table' | 'override';
  source: string;
  /** INFERENCE_PRICE_DATE for table prices, null for overrides. */
  date: string | null;
  /** The table row or override key that matched. */
  matched: string;
}

/** `gpt-4.1-mini-2025-04-14` → `gpt-4.1-mini`; `openai/gpt-4.1-mini` (OpenRouter) → `gpt-4.1-mini`; Bedrock's `us.` inference-profile prefix dropped. */
function normalise(model: string): string {
  const bare = model.replace(/^(openai|google|amazon-bedrock)\//, '').replace(/^(us|eu|apac|global)\.(?=[a-z]+\.)/, '');
  return bare.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

/** The table price of a model id as the provider names it, or null when the table has none. */
export function tablePrice(model: string): Price | null {
  // ft:<base>:<org>:<suffix>:<id> is priced as a fine-tune of <base>.
  const ft = /^ft:([^:]+):/.exec(model);
  const key = ft ? `ft:${normalise(ft[1] ?? '')}` : normalise(model);
  const row = TABLE[key];
  return row ? { inputPerMillion: row.input, outputPerMillion: row.output, origin: 'table', source: row.source, date: INFERENCE_PRICE_DATE, matched: key } : null;
}

/** `--price NAME=IN,OUT` (USD per 1M input and output tokens). */
export function parsePriceOverride(text: string): { name: string; input: number; output: number } {
  const m = /^(.+)=([0-9.]+),([0-9.]+)$/.exec(text.trim());
  const input = Number(m?.[2]);
  const output = Number(m?.[3]);
  if (!m || !Number.isFinite(input) || !Number.isFinite(output)) {
    throw new UsageError('invalid_price', `--price "${text}" is not NAME=INPUT,OUTPUT.`, { hint: 'give USD per 1M input and output tokens for a candidate or model, e.g. --price openai:my-model=0.8,3.2' });
  }
  return { name: m[1] ?? '', input, output };
}

/** Cost of one request at a price. */
export function requestCost(price: Pick<Price, 'inputPerMillion' | 'outputPerMillion'>, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
