import { describe, expect, it } from 'vitest';
import { openaiCapabilities } from '../../../src/core/providers/openai/capabilities.js';
import { checkGrader } from '../../../src/core/providers/openai/grader.js';
import { checkJobRequest } from '../../../src/core/providers/preflight.js';
import type { CreateJobRequest } from '../../../src/core/providers/types.js';

const exact = { type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{item.answer}}', operation: 'eq' };
const scorer = { type: 'score_model', name: 'judge', model: 'gpt-4.1-2025-04-14', input: [{ role: 'user', content: 'Score {{sample.output_text}}' }], range: [0, 1] };

describe('OpenAI grader check (API reference shapes)', () => {
  it('accepts the documented grader types', () => {
    expect(checkGrader(exact)).toEqual([]);
    expect(checkGrader(scorer)).toEqual([]);
    expect(checkGrader({ type: 'text_similarity', name: 's', input: 'a', reference: 'b', evaluation_metric: 'rouge_l' })).toEqual([]);
    expect(checkGrader({ type: 'python', name: 'py', source: 'def grade(sample, item):\n  return 1.0' })).toEqual([]);
    expect(checkGrader({ type: 'multi', name: 'm', calculate_output: 'judge', graders: { type: 'label_model', name: 'l', model: 'gpt-4.1-2025-04-14', input: [{ role: 'user', content: 'x' }], labels: ['a', 'b'], passing_labels: ['a'] } })).toEqual([]);
  });

  it('names each field at fault', () => {
    expect(checkGrader([])).toEqual(['grader must be a JSON object']);
    expect(checkGrader({ type: 'regex', name: 'x' })).toEqual(['grader.type must be one of string_check, text_similarity, python, score_model, multi (got "regex")']);
    expect(checkGrader({ ...exact, operation: 'equals', name: undefined })).toEqual(['grader.name is missing', 'grader.operation must be one of eq, ne, like, ilike (got "equals")']);
    expect(checkGrader({ ...scorer, input: [{ content: 'x' }], range: [1] })).toEqual(['grader.input[0] must be a message with a role and a content', 'grader.range must be two numbers, e.g. [0, 1]']);
    expect(checkGrader({ type: 'label_model', name: 'l' })[0]).toMatch(/type must be one of/);
  });

  it('pre-flight wants a grader for reinforcement and only there', () => {
    const caps = openaiCapabilities();
    const base: CreateJobRequest = { ledgerId: 'lj_00000000000000000001', baseModel: 'o4-mini-2025-04-16', trainingFileId: 'file-1', method: 'reinforcement', hyperparameters: {} };
    expect(checkJobRequest(caps, base, 'OpenAI').map((p) => p.code)).toEqual(['grader_missing']);
    expect(checkJobRequest(caps, { ...base, grader: { ...exact, operation: 'x' } }, 'OpenAI').map((p) => p.code)).toEqual(['grader_invalid']);
    expect(checkJobRequest(caps, { ...base, grader: exact, hyperparameters: { extra: { reasoning_effort: 'extreme' } } }, 'OpenAI')[0]).toMatchObject({ code: 'hyperparameter_out_of_range', hint: expect.stringContaining('default, low, medium, high') });
    expect(checkJobRequest(caps, { ...base, method: 'supervised', grader: exact }, 'OpenAI').map((p) => p.code)).toEqual(['grader_not_used']);
    expect(checkJobRequest(caps, { ...base, grader: exact, hyperparameters: { extra: { compute_multiplier: 2 } } }, 'OpenAI')).toEqual([]);
  });
});
