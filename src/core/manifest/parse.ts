import { CheckFailedError } from '../errors.js';
import { jsonPath, problemsFromZod, type ManifestProblem } from './problems.js';
import { manifestSchema, type Manifest } from './schema.js';
import { findSecrets } from './secrets.js';
import { semanticProblems } from './semantics.js';

export interface ManifestCheck {
  /** The parsed manifest, when the schema accepted it (it may still have semantic problems). */
  manifest: Manifest | undefined;
  problems: ManifestProblem[];
}

/** The manifest failed its checks; `problems` lists every one with its JSON path. Exit 1. */
export class ManifestInvalidError extends CheckFailedError {
  constructor(
    readonly problems: ManifestProblem[],
    source = 'the manifest',
  ) {
    const first = problems[0];
    super('manifest_invalid', `${source} is not a valid routing manifest: ${problems.length} problem${problems.length === 1 ? '' : 's'}${first ? `, first at ${first.path}: ${first.message}` : ''}.`, {
      hint: 'run `llmgw manifest validate` to see every problem, fix them, and try again',
    });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problems: this.problems };
  }
}

/**
 * Schema first, then (only on a schema-valid manifest) the semantic rules; secret-looking values
 * are looked for in every case, since a leaked key matters even in a broken file.
 */
export function checkManifest(value: unknown): ManifestCheck {
  const secrets: ManifestProblem[] = findSecrets(value).map((s) => ({
    path: jsonPath(s.path),
    code: 'secret_in_manifest',
    message: `this value looks like ${s.shape}; the manifest holds environment-variable names only (e.g. "apiKeyEnv": "OPENAI_API_KEY"). Remove it and rotate the key`,
  }));
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) return { manifest: undefined, problems: [...problemsFromZod(parsed.error), ...secrets] };
  return { manifest: parsed.data, problems: [...semanticProblems(parsed.data), ...secrets] };
}

/** Parses manifest JSON (text or an already-parsed value); throws `ManifestInvalidError` unless it passes every check. */
export function parseManifest(json: string | unknown, source?: string): Manifest {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new ManifestInvalidError([{ path: '$', code: 'invalid_json', message: `not JSON: ${(err as Error).message}` }], source);
    }
  }
  const { manifest, problems } = checkManifest(value);
  if (!manifest || problems.length > 0) throw new ManifestInvalidError(problems, source);
  return manifest;
}

/**
 * The manifest as written to disk: keys in schema order (maps sorted by key), two-space indent,
 * trailing newline; so the same manifest always gives the same bytes and a diff shows only
 * what changed.
 */
export function serializeManifest(m: Manifest): string {
  const parsed = manifestSchema.parse(m);
  const canonical: Manifest = {
    ...parsed,
    providers: sortKeys(parsed.providers),
    models: sortKeys(Object.fromEntries(Object.entries(parsed.models).map(([k, v]) => [k, v.metrics ? { ...v, metrics: sortKeys(v.metrics) } : v]))),
    aliases: sortKeys(parsed.aliases),
  };
  return `${JSON.stringify(canonical, null, 2)}\n`;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
