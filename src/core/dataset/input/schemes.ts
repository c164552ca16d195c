/**
 * Dataset inputs named by a URI (`gs://bucket/train.jsonl`, `s3://bucket/key`): one opener per
 * scheme, contributed by the provider folder that owns the storage. An opener is loaded only when
 * a URI of its scheme is opened, so reading a local file never loads a cloud SDK.
 *
 * Adding a scheme is one line in `SCHEMES`, e.g.
 *   gs: () => import('../../providers/vertex/gcs-input.js').then((m) => m.openGcsObject),
 * (or `registerInputScheme` at run time, for a library user or a test).
 */
import type { Readable } from 'node:stream';

/** What an opener returns for one object. */
export interface OpenedObject {
  /** The object's bytes as stored (llmgw detects and undoes gzip itself). */
  stream: Readable | AsyncIterable<Uint8Array>;
  /** Its size in bytes when the store says (used for progress and file-size limits), else null. */
  size: number | null;
  /** How to name it in messages, e.g. the URI itself. */
  name: string;
}

/**
 * Opens one object for reading. It should throw the project's errors (`UsageError` for a missing
 * object or a malformed URI, `ConfigError` for missing credentials, `ProviderError` for the
 * store failing) with a hint, and pass `signal` to the SDK so Ctrl-C stops the download.
 */
export type InputOpener = (uri: string, signal?: AbortSignal) => Promise<OpenedObject>;

const SCHEMES: Record<string, () => Promise<InputOpener>> = {
  s3: () => import('../../providers/bedrock/s3-input.js').then((m) => m.openS3Input),
  gs: () => import('../../providers/vertex/gcs-input.js').then((m) => m.openGcsObject),
};

/** Registers (or replaces) the opener for `scheme` (without `://`, e.g. `gs`) at run time. */
export function registerInputScheme(scheme: string, opener: InputOpener): void {
  SCHEMES[scheme.toLowerCase()] = async () => opener;
}

/** The schemes llmgw can read, for messages. */
export function inputSchemes(): string[] {
  return Object.keys(SCHEMES).sort();
}

/** The opener for a scheme, or undefined when none is registered. */
export async function inputOpener(scheme: string): Promise<InputOpener | undefined> {
  const load = SCHEMES[scheme.toLowerCase()];
  return load === undefined ? undefined : load();
}

/** `gs://b/k` → `gs`; a local path (also `C:\…` on Windows) → undefined. */
export function schemeOf(spec: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec);
  return m?.[1]?.toLowerCase();
}
