/** The scorers `--score` can name, built from the flags that configure them. */
import { UsageError } from '../../errors.js';
import { validJson, jsonSchemaScorer } from './json.js';
import { judgeScorer, type Ask, type Rubric } from './judge.js';
import { contains, exact, normalised, numericScorer, regexScorer } from './text.js';
import { toolCall } from './tools.js';
import type { Scorer } from './types.js';

export const SCORER_NAMES = ['exact', 'normalized', 'contains', 'regex', 'json', 'json-schema', 'tool-call', 'numeric', 'judge'] as const;
export type ScorerName = (typeof SCORER_NAMES)[number];
export const DEFAULT_SCORER: ScorerName = 'normalized';

export interface ScorerOptions {
  regex?: string | undefined;
  tolerance?: string | undefined;
  schema?: Record<string, unknown> | undefined;
  judge?: { rubric: Rubric; model: string; ask: Ask } | undefined;
}

/** `exact,json-schema` or repeated flags → names, checked; a typo is a usage error listing the names. */
export function parseScorerNames(values: readonly string[]): ScorerName[] {
  const names = values.flatMap((v) => v.split(',')).map((n) => n.trim().toLowerCase()).filter(Boolean).map((n) => (n === 'normalised' ? 'normalized' : n));
  for (const n of names) {
    if (!(SCORER_NAMES as readonly string[]).includes(n)) {
      throw new UsageError('unknown_scorer', `There is no scorer called "${n}".`, { hint: `use one or more of: ${SCORER_NAMES.join(', ')} (e.g. --score exact,json)` });
    }
  }
  const unique = [...new Set(names)] as ScorerName[];
  return unique.length ? unique : [DEFAULT_SCORER];
}

export function buildScorers(names: readonly ScorerName[], opts: ScorerOptions): Scorer[] {
  return names.map((name) => {
    switch (name) {
      case 'exact':
        return exact;
      case 'normalized':
        return normalised;
      case 'contains':
        return contains;
      case 'json':
        return validJson;
      case 'tool-call':
        return toolCall;
      case 'numeric':
        return numericScorer(opts.tolerance);
      case 'json-schema':
        return jsonSchemaScorer(opts.schema);
      case 'regex':
        if (opts.regex === undefined) throw new UsageError('regex_missing', 'The regex scorer needs a pattern.', { hint: 'add --regex PATTERN, e.g. --score regex --regex "^(yes|no)$"' });
        return regexScorer(opts.regex);
      case 'judge':
        if (!opts.judge) throw new UsageError('judge_missing', 'The judge scorer needs a judge model and a rubric.', { hint: 'add --judge openai:gpt-4.1 --rubric rubric.yaml' });
        return judgeScorer(opts.judge.rubric, opts.judge.model, opts.judge.ask);
    }
  });
}

export type { Scorer, ScoreValue, ScorerInfo } from './types.js';
