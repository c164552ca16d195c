import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getProfile, PROFILE_NAMES } from '../../../../src/core/dataset/profiles/index.js';
import { validateFile } from '../../../../src/core/dataset/validate.js';
import { ExitCode, type LlmgwError } from '../../../../src/core/errors.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** One bad/fixed pair per profile rule: the bad file must raise exactly this finding, the fixed one none. */
const CASES = [
  { dir: 'together-role', target: 'together', code: 'invalid_role', line: 3, field: 'messages[3].role', says: 'Together does not take "tool" messages' },
  { dir: 'together-alternate', target: 'together', code: 'invalid_role', line: 3, field: 'messages[2].role', says: 'messages 2 and 3 are both "user"' },
  { dir: 'fireworks-system-first', target: 'fireworks', code: 'invalid_role', line: 4, field: 'messages[1].role', says: 'system message only as the first message' },
  { dir: 'fireworks-text-only', target: 'fireworks', code: 'invalid_content_type', line: 4, field: 'messages[1].content', says: 'content must be a string' },
  { dir: 'fireworks-min-examples', target: 'fireworks', code: 'too_few_examples', line: 0, field: null, says: '' },
  { dir: 'azure-min-examples', target: 'azure', code: 'too_few_examples', line: 0, field: null, says: '' },
] as const;

describe('provider validation profiles', () => {
  for (const c of CASES) {
    it(`${c.target}: ${c.dir} — bad raises ${c.code}, fixed is clean`, async () => {
      const profile = getProfile(c.target);
      const bad = await validateFile(join(FIXTURES, c.dir, 'bad.jsonl'), { profile });
      const errors = bad.issues.filter((i) => i.severity === 'error');
      expect(errors.map((i) => [i.code, i.line, i.field])).toEqual([[c.code, c.line, c.field]]);
      expect(errors[0]?.message).toContain(c.says);
      const fixed = await validateFile(join(FIXTURES, c.dir, 'fixed.jsonl'), { profile });
      expect(fixed.issues.filter((i) => i.severity === 'error')).toEqual([]);
    });
  }

  it('the same files pass the base OpenAI rules where only the provider forbids them', async () => {
    const openai = getProfile('openai');
    for (const dir of ['together-role', 'together-alternate', 'fireworks-system-first']) {
      const report = await validateFile(join(FIXTURES, dir, 'bad.jsonl'), { profile: { ...openai, minExamples: 1, recommendedExamples: 1 } });
      expect(report.issues.filter((i) => i.severity === 'error'), dir).toEqual([]);
    }
  });

  it('carries each provider’s file-size cap and kinds', () => {
    expect(getProfile('azure').maxFileBytes).toBe(512 * 1024 ** 2);
    expect(getProfile('fireworks').maxFileBytes).toBeLessThan(150 * 1024 ** 2);
    expect(getProfile('fireworks').kinds).toEqual(['chat']);
    expect(getProfile('together').kinds).toEqual(['chat', 'preference']);
    expect(PROFILE_NAMES).toEqual(['openai', 'azure', 'together', 'fireworks', 'bedrock', 'vertex']);
  });

  it('an unknown target, or retired Mistral, is a usage error naming the targets', () => {
    for (const [name, code] of [
      ['mistral', 'target_retired'],
      ['cohere', 'unknown_target'],
    ] as const) {
      let err: LlmgwError | undefined;
      try {
        getProfile(name);
      } catch (e) {
        err = e as LlmgwError;
      }
      expect(err?.code).toBe(code);
      expect(err?.exitCode).toBe(ExitCode.usage);
      expect(err?.hint).toContain('openai, azure, together, fireworks, bedrock, vertex');
    }
  });
});
