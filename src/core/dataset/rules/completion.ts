/** The legacy `{prompt, completion}` example (babbage-002 / davinci-002). */
import type { Issue, Loc } from '../issues.js';
import { checkKeys, expectString, isObject, Sink } from './shared.js';

const COMPLETION_KEYS = new Set(['prompt', 'completion']);

export function checkCompletionExample(value: unknown, loc: Loc): Issue[] {
  const sink = new Sink(loc);
  if (!isObject(value)) return sink.issues;
  checkKeys(sink, value, COMPLETION_KEYS, '', 'a prompt/completion example');
  for (const key of COMPLETION_KEYS) {
    if (value[key] === undefined) sink.add('missing_field', key, `the example has no "${key}"`);
    else expectString(sink, value[key], key);
  }
  return sink.issues;
}
