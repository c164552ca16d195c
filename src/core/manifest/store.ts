import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CheckFailedError, TimeoutError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { LockTimeoutError, withLock, type LockOwner } from '../fs/lock.js';
import { appendHistory, historyPathFor, readHistory, type HistoryEntry } from './history.js';
import { ManifestInvalidError, checkManifest, parseManifest, serializeManifest } from './parse.js';
import { emptyManifest, type Manifest } from './schema.js';
import type { Change } from './transitions.js';

/**
 * Reading and writing the manifest. Every write is: lock, read, apply a pure change, check
 * (schema and semantics), bump the revision, write atomically, append to the history log.
 */
export interface StoreOptions {
  /** Absolute path of the manifest. */
  path: string;
  /** Who holds the lock (the CLI passes its Io), so a lock left by a killed process is taken over. */
  owner?: LockOwner | undefined;
  now?: (() => number) | undefined;
  lockTimeoutMs?: number | undefined;
}

export interface WriteOptions extends StoreOptions {
  /** Refuse the write unless the manifest is at this revision (compare-and-swap). */
  expectRevision?: number | undefined;
  /** Start from an empty manifest when the file does not exist (register does; other changes do not). */
  create?: boolean | undefined;
  reason?: string | undefined;
  who?: string | undefined;
}

export interface WriteResult {
  manifest: Manifest;
  entry: HistoryEntry;
  created: boolean;
}

/** Reads and fully checks a manifest file. Missing → UsageError; invalid → ManifestInvalidError (exit 1). */
export async function loadManifest(path: string): Promise<Manifest> {
  const text = await readManifestText(path);
  if (text === undefined) throw missingManifest(path);
  return parseManifest(text, path);
}

/** The file's text, or undefined when it does not exist. */
export async function readManifestText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR' || code === 'EACCES') throw new UsageError('manifest_unreadable', `Cannot read the manifest ${path} (${code}).`, { hint: 'pass the manifest file with --manifest (or LLMGW_MANIFEST)' });
    throw err;
  }
}

export function missingManifest(path: string): UsageError {
  return new UsageError('manifest_not_found', `There is no routing manifest at ${path}.`, {
    hint: 'create one with `llmgw init` (or register a first model with `llmgw models register ALIAS MODEL_ID`), or point --manifest / LLMGW_MANIFEST at yours',
  });
}

/**
 * Applies `change` to the manifest on disk under its lock and writes the result as the next
 * revision, with one history entry. Nothing is written when the change throws or the result
 * fails its checks.
 */
export async function updateManifest(opts: WriteOptions, change: (m: Manifest) => Change | Promise<Change>): Promise<WriteResult> {
  const now = opts.now ?? Date.now;
  if (opts.create) await mkdir(dirname(opts.path), { recursive: true });
  try {
    return await withLock(
      opts.path,
      async () => {
        const text = await readManifestText(opts.path);
        if (text === undefined && !opts.create) throw missingManifest(opts.path);
        const current = text === undefined ? emptyManifest(now()) : parseManifest(text, opts.path);
        if (opts.expectRevision !== undefined && opts.expectRevision !== current.revision) {
          throw new CheckFailedError('revision_conflict', `The manifest is at revision ${current.revision}, not ${opts.expectRevision}: it changed since you read it, so nothing was written.`, {
            hint: `look at what changed (\`llmgw models show ALIAS\`), then run again with --expect-revision ${current.revision}`,
          });
        }
        const result = await change(current);
        const at = new Date(now()).toISOString();
        const next: Manifest = { ...result.manifest, revision: current.revision + 1, updatedAt: at };
        const { manifest: checked, problems } = checkManifest(next);
        if (!checked || problems.length > 0) throw new ManifestInvalidError(problems, `The manifest after ${result.action} of "${result.alias}"`);
        await writeFileAtomic(opts.path, serializeManifest(checked));
        const entry: HistoryEntry = {
          revision: checked.revision,
          at,
          action: result.action,
          alias: result.alias,
          ...(result.model ? { model: result.model } : {}),
          before: result.before,
          after: result.after,
          ...(opts.reason ? { reason: opts.reason } : {}),
          ...(opts.who ? { who: opts.who } : {}),
        };
        await appendHistory(historyPathFor(opts.path), entry);
        return { manifest: checked, entry, created: text === undefined };
      },
      { owner: opts.owner, ...(opts.lockTimeoutMs ? { timeoutMs: opts.lockTimeoutMs } : {}) },
    );
  } catch (err) {
    // The lock file could not be created: the manifest's folder does not exist.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (err as NodeJS.ErrnoException).path === `${opts.path}.lock`) throw missingManifest(opts.path);
    if (err instanceof LockTimeoutError) {
      throw new TimeoutError('manifest_locked', `Another llmgw process is writing the manifest (${err.holder}) and did not finish in time.`, {
        hint: `wait for it and try again; if no llmgw is running, remove ${err.lockPath}`,
      });
    }
    throw err;
  }
}

/** The history log of the manifest at `path`. */
export async function manifestHistory(path: string): Promise<HistoryEntry[]> {
  return (await readHistory(historyPathFor(path))).entries;
}
