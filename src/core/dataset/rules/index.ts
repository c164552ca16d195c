/**
 * The checks `validate` runs on every example. Each is pure and returns what it found; to add
 * a check for every kind (e.g. secrets), append it to `exampleChecks`.
 */
import type { Issue, Loc } from '../issues.js';
import { checkSafety } from '../safety/check.js';
import type { DatasetKind } from '../kinds.js';
import { checkChatExample } from './chat.js';
import { checkCompletionExample } from './completion.js';
import { checkPreferenceExample } from './preference.js';
import type { ExampleCheck } from './shared.js';

export { checkChatExample } from './chat.js';
export { checkCompletionExample } from './completion.js';
export { checkPreferenceExample } from './preference.js';
export type { ExampleCheck } from './shared.js';

const byKind: Record<DatasetKind, (value: unknown, loc: Loc) => Issue[]> = {
  chat: checkChatExample,
  preference: checkPreferenceExample,
  completion: checkCompletionExample,
};

/** The structure of an example against its kind's format. */
export const checkStructure: ExampleCheck = (value, kind, loc) => byKind[kind](value, loc);

export const exampleChecks: ExampleCheck[] = [checkStructure, checkSafety];
