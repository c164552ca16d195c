import type { z } from 'zod';

/** One thing wrong with a manifest, located by its JSON path (e.g. `$.aliases["support-bot"].targets[0].weight`). */
export interface ManifestProblem {
  path: string;
  /** Stable snake_case code, e.g. `unknown_model`. */
  code: string;
  message: string;
}

export type PathSegment = string | number | symbol;

/** Formats a path as JSONPath: `.key` for plain identifiers, `["key"]` otherwise, `[n]` for indexes. */
export function jsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

/** zod issues as manifest problems; an unknown key is located at the key itself. */
export function problemsFromZod(error: z.ZodError): ManifestProblem[] {
  return error.issues.flatMap((issue): ManifestProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: jsonPath([...issue.path, key]), code: 'unknown_key', message: `unknown key "${key}" (only documented keys and "x-" extension keys are allowed)` }));
    }
    return [{ path: jsonPath(issue.path), code: `schema_${issue.code}`, message: issue.message }];
  });
}
