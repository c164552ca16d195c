/**
 * Together's price estimate (`POST /fine-tunes/estimate-price`): the body carries what the job's
 * price depends on (file, model, epochs, evaluations, method, training type), the answer the
 * estimated total in USD, whether the account may proceed, its credit limit and token counts.
 */
import type { CreateJobRequest } from '../types.js';
import { toCreateBody } from './mapping.js';

export interface TogetherPrice {
  estimated_total_price?: number;
  allowed_to_proceed?: boolean;
  user_limit?: number;
  estimated_train_token_count?: number;
  estimated_eval_token_count?: number;
}

export interface PriceEstimate {
  usd: number | null;
  /** Together's own verdict for the account (credit limit); null when it did not say. */
  allowedToProceed: boolean | null;
  userLimitUsd: number | null;
  trainTokens: number | null;
  evalTokens: number | null;
}

const PRICED = ['training_file', 'validation_file', 'model', 'n_epochs', 'n_evals', 'training_method', 'training_type'];

/** The estimate request for a job: the create body's priced fields, nothing else. */
export function toPriceRequest(req: CreateJobRequest): Record<string, unknown> {
  const body = toCreateBody(req, undefined);
  return Object.fromEntries(Object.entries(body).filter(([k]) => PRICED.includes(k)));
}
