/**
 * A scorer compares one answer with its example's reference and says how well it did, from 0
 * (wrong) to 1 (right). Each scorer documents what it measures and what it cannot see, and the
 * report repeats both, so nobody reads more into a number than it holds.
 */
import type { InferenceResponse } from '../../inference/types.js';
import type { EvalExample } from '../dataset.js';

export interface ScoreValue {
  /** 0..1; pass/fail scorers give exactly 0 or 1. */
  value: number;
  /** Why, in a few words (shown beside the worst examples). */
  detail?: string | undefined;
}

export interface ScorerInfo {
  name: string;
  /** What a high score means. */
  measures: string;
  /** What the score cannot tell. */
  cannot: string;
}

export interface Scorer extends ScorerInfo {
  /** Keep every example's detail in the report (the judge's verdicts), not only the worst examples'. */
  keepDetails?: boolean;
  score(example: EvalExample, answer: InferenceResponse, opts: { signal?: AbortSignal | undefined }): ScoreValue | Promise<ScoreValue>;
}
