/**
 * A Gemini base model as `dataset validate --target vertex --model gemini-…` counts it: no
 * Gemini tokenizer ships for offline use, so examples are counted with o200k_base and scaled by
 * what that undercounts on real data (GEMINI_PER_O200K), and every figure says it is approximate.
 */
import type { BaseModel } from '../../models/catalog.js';
import { GEMINI_PER_O200K, MAX_EXAMPLE_TOKENS } from './profile.js';

/** Whether `id` names a Gemini model (what Vertex tunes), e.g. `gemini-2.5-flash`. */
export function isGeminiModel(id: string): boolean {
  return /^gemini-/i.test(id.trim());
}

export const GEMINI_TOKENIZER = `o200k_base × ${GEMINI_PER_O200K} (approximate: no Gemini tokenizer ships for offline use; on 894 public examples the gemma3 tokenizer counted 6.8% more than o200k_base overall, per example median +5.4%, 95th percentile +16.5%)`;

export function geminiTokenModel(id: string): BaseModel {
  return {
    id: id.trim(),
    provider: 'vertex',
    aliases: [],
    encoding: 'o200k_base',
    tokenScale: GEMINI_PER_O200K,
    tokenizer: GEMINI_TOKENIZER,
    // Input and output tokens per example Vertex trains on (Gemini 2.5); longer ones are truncated.
    maxExampleTokens: MAX_EXAMPLE_TOKENS,
    limitCheckedByProfile: true,
    limitSource: 'docs',
    methods: ['supervised', 'dpo', 'vision'],
    format: 'chat',
    minExamples: 10,
    recommendedExamples: 100,
    // Vertex bills tuning per training token at prices llmgw keeps no table of, and picks the
    // epoch count itself: a cost estimate takes --epochs and --price.
    trainingPricePerMillion: null,
    epochsUnknown: true,
    current: true,
  };
}
