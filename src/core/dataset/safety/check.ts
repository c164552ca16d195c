import type { Issue, Loc } from '../issues.js';
import { makeIssue } from '../issues.js';
import type { DatasetKind } from '../kinds.js';
import { scanExample } from './scan.js';

/** The validate rule: `possible_secret` / `email_address` warnings, with masked values only. */
export function checkSafety(value: unknown, _kind: DatasetKind, loc: Loc): Issue[] {
  return scanExample(value).map((f) =>
    makeIssue(f.code, loc, f.field, f.code === 'possible_secret' ? `likely ${f.label}: ${f.masked}` : `e-mail address ${f.masked}`),
  );
}
