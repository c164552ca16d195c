/**
 * A validation profile holds what differs between providers' dataset rules. `validate` runs the
 * format checks for the file's kind, then the profile's own per-example check, then the file-level
 * checks with the profile's numbers. Add a provider by writing one profile (see `openaiProfile`).
 */
import type { Issue, IssueCode, Loc, Severity } from './issues.js';
import type { DatasetKind } from './kinds.js';

export interface ValidationProfile {
  /** Short name, as given to `--target`. */
  name: string;
  /**
   * The provider's base model these rules are for, when its rules depend on the model (a Bedrock
   * model's data format); `getProfile(name, model)` rebuilds the same profile, in a worker too.
   */
  model?: string;
  /** Fewer examples than this is an error (`too_few_examples`). */
  minExamples: number;
  /** Fewer examples than this is a warning (`below_recommended_examples`). */
  recommendedExamples: number;
  /** A larger file is an error (`file_too_large`); no limit when undefined. */
  maxFileBytes?: number;
  /** Kinds the provider trains on directly; others are reported (e.g. `legacy_prompt_completion`). */
  kinds: readonly DatasetKind[];
  /**
   * Where this provider differs from the catalogue's severities, e.g. `{ bom: 'off' }` for a
   * provider that accepts a byte order mark. `'off'` drops the issue entirely.
   */
  severity?: Partial<Record<IssueCode, Severity | 'off'>>;
  /** Extra per-example rules of this provider, run after the format checks. */
  checkExample?(value: unknown, kind: DatasetKind, loc: Loc): Issue[];
  /**
   * Examples in the provider's own format (Vertex's `contents` lines), read as the OpenAI example
   * every rule checks; undefined for a value not in that format. Pure, so a worker runs it too.
   */
  readExample?(value: unknown): unknown;
}

/**
 * OpenAI: at least 10 examples, 50-100 recommended; files up to 8 GB through the Uploads API.
 * Chat and preference files train current models; prompt/completion only babbage-002 and
 * davinci-002, so it is listed only when the model asks for it (see `validate`).
 */
export const openaiProfile: ValidationProfile = {
  name: 'openai',
  minExamples: 10,
  recommendedExamples: 50,
  maxFileBytes: 8 * 1024 ** 3,
  kinds: ['chat', 'preference'],
};
