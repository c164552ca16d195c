import { describe, expect, it } from 'vitest';
import { parseExample, type EvalExample } from '../../../src/core/eval/dataset.js';
import { buildScorers, parseScorerNames } from '../../../src/core/eval/scorers/index.js';
import { readVerdict } from '../../../src/core/eval/scorers/judge.js';
import { firstNumber } from '../../../src/core/eval/scorers/text.js';
import type { InferenceResponse } from '../../../src/core/inference/types.js';

function example(reference: Record<string, unknown>, extra: Record<string, unknown> = {}): EvalExample {
  const parsed = parseExample(JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', ...reference }], ...extra }), 1);
  if (!parsed.ok) throw new Error(parsed.skipped.reason);
  return parsed.example;
}

const answer = (text: string, toolCalls: { name: string; arguments: string }[] = []): InferenceResponse => ({ text, toolCalls, usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 1, ttftMs: null, finishReason: 'stop', model: 'm' });

async function scores(names: string, ex: EvalExample, a: InferenceResponse, opts = {}) {
  const scorers = buildScorers(parseScorerNames([names]), opts);
  return Promise.all(scorers.map(async (s) => (await s.score(ex, a, {})).value));
}

describe('scorers', () => {
  const paris = example({ content: 'Paris.' });
  it('exact, normalized and contains measure different things', async () => {
    expect(await scores('exact,normalized,contains', paris, answer('Paris.'))).toEqual([1, 1, 1]);
    expect(await scores('exact,normalized,contains', paris, answer('paris'))).toEqual([0, 1, 1]);
    expect(await scores('exact,normalized,contains', paris, answer('It is Paris, France'))).toEqual([0, 0, 1]);
    expect(await scores('exact,normalized,contains', paris, answer('Lyon'))).toEqual([0, 0, 0]);
  });

  it('regex and numeric tolerance', async () => {
    expect(await scores('regex', paris, answer('PARIS'), { regex: '^(?:PARIS|Paris)$' })).toEqual([1]);
    expect(await scores('regex', paris, answer('Paris, France'), { regex: '^Paris$' })).toEqual([0]);
    const n = example({ content: 'The total is 1,250.00 EUR' });
    expect(await scores('numeric', n, answer('1250'))).toEqual([1]);
    expect(await scores('numeric', n, answer('about 1262'), { tolerance: '1%' })).toEqual([1]);
    expect(await scores('numeric', n, answer('about 1263'), { tolerance: '1%' })).toEqual([0]);
    expect(await scores('numeric', n, answer('1251'), { tolerance: '0.5' })).toEqual([0]);
    expect(firstNumber('minus -3.5e2 then 4')).toBe(-350);
  });

  it('valid JSON and JSON Schema from the example or a file', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const ex = example({ content: '{"city":"Paris"}' }, { response_format: { type: 'json_schema', json_schema: { name: 'c', schema } } });
    expect(await scores('json,json-schema', ex, answer('{"city": "Lyon"}'))).toEqual([1, 1]);
    expect(await scores('json,json-schema', ex, answer('{"town": "Lyon"}'))).toEqual([1, 0]);
    expect(await scores('json,json-schema', ex, answer('```json\n{"city":"Lyon"}\n```'))).toEqual([0, 0]);
    expect(await scores('json-schema', paris, answer('{"n": 1}'), { schema: { type: 'object', required: ['n'] } })).toEqual([1]);
    expect(await scores('json-schema', paris, answer('{"n": 1}'))).toEqual([0]);
    expect(() => buildScorers(['json-schema'], { schema: { type: 'nonsense' } })).toThrow(/not valid/);
  });

  it('tool-call match compares names and arguments as objects, in any order', async () => {
    const ex = example({ content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'get_order', arguments: '{"id": 42, "full": true}' } }, { id: 'b', type: 'function', function: { name: 'ping', arguments: '{}' } }] });
    expect(await scores('tool-call', ex, answer('', [{ name: 'ping', arguments: '{ }' }, { name: 'get_order', arguments: '{"full":true,"id":42}' }]))).toEqual([1]);
    expect(await scores('tool-call', ex, answer('', [{ name: 'get_order', arguments: '{"id":"42","full":true}' }, { name: 'ping', arguments: '{}' }]))).toEqual([0]);
    expect(await scores('tool-call', ex, answer('', [{ name: 'get_order', arguments: '{"id":42,"full":true}' }]))).toEqual([0]);
    expect(await scores('tool-call', paris, answer('Paris'))).toEqual([1]);
  });

  it('reads judge verdicts and refuses answers that are none', () => {
    expect(readVerdict('{"verdict":"PASS","reason":"same status"}', 'pass-fail')).toEqual({ value: 1, detail: 'pass: same status' });
    expect(readVerdict('Sure! {"verdict": 4, "reason": "close"}', '1-5').value).toBe(0.75);
    expect(() => readVerdict('I think it passes', 'pass-fail')).toThrow(/no JSON verdict/);
    expect(() => readVerdict('{"verdict": 7}', '1-5')).toThrow(/not 1 to 5/);
  });

  it('names the scorers it knows when given another', () => {
    expect(() => parseScorerNames(['exact,fuzzy'])).toThrow(/no scorer called "fuzzy"/);
    expect(parseScorerNames([])).toEqual(['normalized']);
    expect(() => buildScorers(['regex'], {})).toThrow(/needs a pattern/);
  });
});
