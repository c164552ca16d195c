/**
 * Dataset inputs named by a URI (`gs://bucket/train.jsonl`, `s3://bucket/key`): one opener per
 * scheme, contributed by the provider folder that owns the storage. An opener is built from that
 * provider's settings (credentials file, Region, emulator endpoint…), which the caller resolves
 * (the CLI: flags, environment, config) and hands over through `OpenInputOptions.settingsFor`.
 * It is loaded only when a URI of its scheme is opened, so reading a local file never loads a
 * cloud SDK.
 *
 * Adding a scheme is one line in `SCHEMES`, e.g.
 *   gs: { provider: 'vertex', load: () => import('../../providers/vertex/gcs-input.js').then((m) => m.gcsOpener) },
 * (or `registerInputScheme` at run time, for a library user or a test).
 */
import type { Readable } from 'node:stream';
import type { ProviderSettings } from '../../providers/types.js';

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

/** Builds a scheme's opener from the owning provider's settings (`{}` when the caller has none). */
export type InputOpenerFactory = (settings: ProviderSettings) => InputOpener;

interface SchemeEntry {
  /** The provider whose settings the opener takes (a name in providers/registry.ts). */
  provider: string | undefined;
  load: () => Promise<InputOpenerFactory>;
}

const SCHEMES: Record<string, SchemeEntry> = {
  s3: { provider: 'bedrock', load: () => import('../../providers/bedrock/s3-input.js').then((m) => m.s3Opener) },
  gs: { provider: 'vertex', load: () => import('../../providers/vertex/gcs-input.js').then((m) => m.gcsOpener) },
};

/** Registers (or replaces) the opener for `scheme` (without `://`, e.g. `gs`) at run time; it takes no settings. */
export function registerInputScheme(scheme: string, opener: InputOpener): void {
  SCHEMES[scheme.toLowerCase()] = { provider: undefined, load: async () => () => opener };
}

/** The schemes llmgw can read, for messages. */
export function inputSchemes(): string[] {
  return Object.keys(SCHEMES).sort();
}

/** The provider whose settings a scheme's opener takes (`gs` → `vertex`), if any. */
export function inputSchemeProvider(scheme: string): string | undefined {
  const entry = Object.hasOwn(SCHEMES, scheme.toLowerCase()) ? SCHEMES[scheme.toLowerCase()] : undefined;
  return entry?.provider;
}

/**
 * The opener for a scheme, built with its provider's settings from `settingsFor` (the CLI's
 * resolution of flags, environment and config); undefined when no opener is registered.
 */
export async function inputOpener(scheme: string, settingsFor?: (provider: string) => Promise<ProviderSettings>): Promise<InputOpener | undefined> {
  const entry = Object.hasOwn(SCHEMES, scheme.toLowerCase()) ? SCHEMES[scheme.toLowerCase()] : undefined;
  if (entry === undefined) return undefined;
  const [factory, settings] = await Promise.all([entry.load(), entry.provider !== undefined && settingsFor ? settingsFor(entry.provider) : Promise.resolve({})]);
  return factory(settings);
}

/** `gs://b/k` → `gs`; a local path (also `C:\…` on Windows) → undefined. */
export function schemeOf(spec: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec);
  return m?.[1]?.toLowerCase();
}

/** A URI read from a store (`gs://…`, `s3://…`) rather than a local path (`file://` is local). */
export function isRemoteSpec(spec: string): boolean {
  const scheme = schemeOf(spec);
  return scheme !== undefined && scheme !== 'file';
}
