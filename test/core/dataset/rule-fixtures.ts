import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidationProfile } from '../../../src/core/dataset/profile.js';
import { openaiProfile } from '../../../src/core/dataset/profile.js';
import type { IssueCode } from '../../../src/core/dataset/issues.js';
import type { DatasetKind } from '../../../src/core/dataset/kinds.js';
import { type FileReport, validateStream } from '../../../src/core/dataset/validate.js';
import { DEFAULT_MODEL_ID, resolveModel } from '../../../src/core/models/catalog.js';
import type { TokenPool } from '../../../src/core/tokens/pool.js';

/** test/fixtures/rules/<code>/{bad,fixed}.jsonl: one pair per issue code, plus per-code options. */
export const RULES_DIR = join(import.meta.dirname, '../../fixtures/rules');

interface FixtureOptions {
  kind?: DatasetKind;
  model?: string;
  maxLineBytes?: number;
  profile?: Partial<ValidationProfile>;
}

const options = JSON.parse(readFileSync(join(RULES_DIR, 'options.json'), 'utf8')) as Record<string, FixtureOptions>;

/** Example counts are not the point of most fixtures: they run with a minimum of one example. */
const fixtureProfile: ValidationProfile = { ...openaiProfile, minExamples: 1, recommendedExamples: 1 };

export function fixturePath(code: IssueCode, which: 'bad' | 'fixed'): string {
  return join(RULES_DIR, code, `${which}.jsonl`);
}

export function fixtureOptions(code: IssueCode): FixtureOptions {
  return options[code] ?? {};
}

/** Validates one fixture as `data.jsonl` (the name the docs show), counting tokens with `pool`. */
export async function runFixture(code: IssueCode, which: 'bad' | 'fixed', pool: TokenPool): Promise<FileReport> {
  const o = fixtureOptions(code);
  const path = fixturePath(code, which);
  const model = resolveModel(o.model ?? DEFAULT_MODEL_ID);
  const size = readFileSync(path).length;
  return validateStream('data.jsonl', path, { kind: o.kind, model, pool, maxLineBytes: o.maxLineBytes, profile: { ...fixtureProfile, ...o.profile } }, {}, size);
}
