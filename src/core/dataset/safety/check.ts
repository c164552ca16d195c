import type { Issue, Loc } from '../issues.js';
import { makeIssue } from '../issues.js';
import type { DatasetKind } from '../kinds.js';
import { mayHoldFinding, scanExample } from './scan.js';

/**
 * The validate rule: `possible_secret` / `email_address` warnings, with masked values only.
 * Given the line's raw JSON text, a line without any trigger is passed without walking `value`.
 */
export function checkSafety(value: unknown, _kind: DatasetKind, loc: Loc, lineText?: string): Issue[] {
  if (lineText !== undefined && !mayHoldFinding(lineText)) return [];
  return scanExample(value).map((f) =>
    makeIssue(f.code, loc, f.field, f.code === 'possible_secret' ? `likely ${f.label}: ${f.masked}` : `e-mail address ${f.masked}`),
  );
}
