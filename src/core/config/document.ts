/**
 * Reading a config document (the user file or the project's `.llmgwrc.json`): nested objects
 * become dotted keys, and each key is checked against the known settings.
 */
import { findKey, type KeySpec } from './keys.js';

export type ConfigScope = 'project' | 'user';

export interface DocumentProblem {
  key: string;
  code: 'unknown_key' | 'not_a_string' | 'secret_in_project_config';
  message: string;
}

export interface ConfigDocument {
  /** Known keys with string values, by dotted name. */
  values: Record<string, string>;
  problems: DocumentProblem[];
}

/** `{ openai: { baseUrl: "…" } }` → `{ "openai.baseUrl": "…" }`; non-string leaves are reported. */
export function flattenConfig(data: unknown, prefix = ''): { values: Record<string, string>; nonStrings: string[] } {
  const values: Record<string, string> = {};
  const nonStrings: string[] = [];
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { values, nonStrings: prefix ? [prefix] : ['(top level)'] };
  for (const [k, v] of Object.entries(data)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') values[key] = v;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const inner = flattenConfig(v, key);
      Object.assign(values, inner.values);
      nonStrings.push(...inner.nonStrings);
    } else nonStrings.push(key);
  }
  return { values, nonStrings };
}

/**
 * Keeps the known keys of a parsed document and reports the rest. A secret in project config is a
 * problem of its own: that file is meant to be committed, so a key there is a leak.
 */
export function readConfigDocument(data: unknown, scope: ConfigScope, keys: readonly KeySpec[]): ConfigDocument {
  const flat = flattenConfig(data);
  const problems: DocumentProblem[] = flat.nonStrings.map((key) => ({ key, code: 'not_a_string', message: `${key} must be a string` }));
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(flat.values)) {
    const spec = findKey(keys, key);
    if (!spec) problems.push({ key, code: 'unknown_key', message: `${key} is not a setting llmgw knows` });
    else if (spec.secret && scope === 'project') {
      problems.push({ key, code: 'secret_in_project_config', message: `${key} is a secret and project config is meant to be committed` });
    } else values[key] = value;
  }
  return { values, problems };
}
