import { checkChatExample, checkPreferenceExample } from '../rules/index.js';
import type { OutputKind } from './types.js';

const LOC = { file: '', line: 0 };

/**
 * Runs validate's structure rules on one converted line and returns its first error as a skip
 * reason (`code: field: message`), or undefined when the line would pass `dataset validate`.
 */
export function firstError(kind: OutputKind, value: unknown): string | undefined {
  const issues = kind === 'chat' ? checkChatExample(value, LOC) : checkPreferenceExample(value, LOC);
  const error = issues.find((i) => i.severity === 'error');
  if (!error) return undefined;
  return `${error.code}: ${error.field ? `${error.field}: ` : ''}${error.message}`;
}
