/** Helpers the rule files share: where an issue goes, field paths, type names, key checks. */
import type { Issue, IssueCode, Loc } from '../issues.js';
import { makeIssue } from '../issues.js';
import type { DatasetKind } from '../kinds.js';

export { isObject } from '../kinds.js';

/**
 * A check run on every example of a file. Pure: it only reads `value`. `lineText` is the line's
 * raw JSON text when the caller has it, for a cheap pre-scan; the result must not depend on it.
 */
export type ExampleCheck = (value: unknown, kind: DatasetKind, loc: Loc, lineText?: string) => Issue[];

/** Collects the issues of one example. */
export class Sink {
  readonly issues: Issue[] = [];
  constructor(readonly loc: Loc) {}

  add(code: IssueCode, field: string | null, message: string, hint?: string): void {
    this.issues.push(makeIssue(code, this.loc, field, message, hint));
  }
}

/** `messages` + `[2]` → `messages[2]`; `messages[2]` + `content` → `messages[2].content`. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return indexPath(path, key);
  return path === '' ? key : `${path}.${key}`;
}

// Index paths (`messages[3]`) are made for every message of every line; caching the first few
// per parent path saves building the same short strings millions of times.
const indexCache = new Map<string, string[]>();
const CACHED_INDICES = 64;

function indexPath(path: string, index: number): string {
  if (index >= CACHED_INDICES) return `${path}[${index}]`;
  let paths = indexCache.get(path);
  if (!paths) {
    paths = [];
    if (indexCache.size < 64) indexCache.set(path, paths);
  }
  return (paths[index] ??= `${path}[${index}]`);
}

/** The JSON type name of a value, for messages: `null`, `array`, `object`, `string`, … */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Reports every key of `obj` outside `allowed` as `unknown_key`, naming the allowed keys. */
export function checkKeys(sink: Sink, obj: Record<string, unknown>, allowed: ReadonlySet<string>, path: string, what: string): void {
  for (const key in obj) {
    if (allowed.has(key)) continue;
    sink.add('unknown_key', at(path, key), `unknown key "${key}" in ${what}`, `remove it; allowed keys: ${[...allowed].join(', ')}`);
  }
}

/** Reports `invalid_type` unless `value` is a string; returns whether it was one. */
export function expectString(sink: Sink, value: unknown, path: string): value is string {
  if (typeof value === 'string') return true;
  sink.add('invalid_type', path, `${path} must be a string, got ${typeName(value)}`);
  return false;
}
