/**
 * Together's price estimate (`POST /fine-tunes/estimate-price`): the body carries what the job's
 * price depends on (file, model, epochs, evaluations, method, training type), the answer the
 * estimated total in USD, whether the account may proceed, its credit limit and token counts.
 */
import type { CreateJobRequest, ProviderCostEstimate } from '../types.js';
import { toCreateBody } from './mapping.js';

export interface TogetherPrice {
  estimated_total_price?: number;
  allowed_to_proceed?: boolean;
  user_limit?: number;
  estimated_train_token_count?: number;
  estimated_eval_token_count?: number;
}

const PRICED = ['training_file', 'validation_file', 'model', 'n_epochs', 'n_evals', 'training_method', 'training_type'];

/** The estimate request for a job: the create body's priced fields, nothing else. */
export function toPriceRequest(req: Omit<CreateJobRequest, 'ledgerId'>): Record<string, unknown> {
  const body = toCreateBody(req, undefined);
  return Object.fromEntries(Object.entries(body).filter(([k]) => PRICED.includes(k)));
}

export function fromPrice(p: TogetherPrice): ProviderCostEstimate {
  return {
    usd: typeof p.estimated_total_price === 'number' ? p.estimated_total_price : null,
    allowedToProceed: p.allowed_to_proceed ?? null,
    userLimitUsd: p.user_limit ?? null,
    trainTokens: p.estimated_train_token_count ?? null,
    evalTokens: p.estimated_eval_token_count ?? null,
  };
}
