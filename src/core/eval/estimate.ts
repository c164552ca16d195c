/**
 * What the requests not in the cache would cost, counted before the first one is sent
 * (`--max-cost`). Prompt tokens are counted with o200k (OpenAI's tokenizer; other providers'
 * tokenizers differ by some percent, so this is an estimate); the answer is assumed as long as
 * the reference, or `--max-tokens` when given (the most a provider may bill).
 */
import { countExampleTokens } from '../tokens/count.js';
import { getEncoder } from '../tokens/encodings.js';
import { requestKey, type ResponseCache } from './cache.js';
import type { Candidate } from './candidates.js';
import type { EvalExample } from './dataset.js';
import { requestCost, type Price } from './prices.js';
import { buildRequest, type RequestOptions } from './run.js';

/** A judge's answer: a verdict and one sentence. */
const JUDGE_OUTPUT_TOKENS = 40;

export interface CostEstimate {
  usd: number;
  /** Requests that would be sent (not cached). */
  uncached: number;
  /** Candidates with requests to send but no price (their cost is not in `usd`). */
  unpriced: string[];
}

export interface JudgeCost {
  name: string;
  price: Price | null;
  /** Tokens of the judge's instructions. */
  systemTokens: number;
}

export async function estimateCost(examples: AsyncIterable<EvalExample>, candidates: readonly Candidate[], cache: ResponseCache, opts: RequestOptions, judge?: JudgeCost): Promise<CostEstimate> {
  const enc = getEncoder('o200k_base');
  let usd = 0;
  let uncached = 0;
  const unpriced = new Set<string>();
  for await (const ex of examples) {
    const request = buildRequest(ex, opts);
    const input = countExampleTokens({ messages: request.messages, tools: request.tools }, 'chat', 'o200k_base').total;
    const refTokens = enc.count(ex.reference.text) + ex.reference.toolCalls.reduce((s, t) => s + enc.count(t.name) + enc.count(t.arguments) + 3, 0);
    const output = opts.maxTokens ?? Math.max(1, refTokens);
    for (const c of candidates) {
      if (cache.has(requestKey(c.client.endpoint, c.client.model, request))) continue;
      uncached++;
      if (c.price) usd += requestCost(c.price, input, output);
      else unpriced.add(c.name);
      if (judge) {
        if (judge.price) usd += requestCost(judge.price, judge.systemTokens + input + refTokens + output, JUDGE_OUTPUT_TOKENS);
        else unpriced.add(judge.name);
      }
    }
  }
  return { usd, uncached, unpriced: [...unpriced] };
}
