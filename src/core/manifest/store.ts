import { constants } from 'node:fs';
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CheckFailedError, TimeoutError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { LockTimeoutError, withLock, type LockOwner } from '../fs/lock.js';
import { appendHistory, historyPathFor, readHistory, repairHistory, truncateHistory, type AliasHistoryEntry, type HistoryEntry, type ProviderHistoryEntry } from './history.js';
import { ManifestInvalidError, checkManifest, parseManifest, serializeManifest } from './parse.js';
import { emptyManifest, type Manifest } from './schema.js';
import type { AliasChange, Change, ProviderChange } from './transitions.js';

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

export interface WriteResult<E extends HistoryEntry = AliasHistoryEntry> {
  manifest: Manifest;
  entry: E;
  created: boolean;
}

/** The history entry a change produces. */
export type EntryOf<C extends Change> = C extends ProviderChange ? ProviderHistoryEntry : AliasHistoryEntry;

/** Reads and fully checks a manifest file. Missing → UsageError; invalid → ManifestInvalidError (exit 1). */
export async function loadManifest(path: string, options: LoadOptions = {}): Promise<Manifest> {
  const version = options.cache === false ? undefined : await fileVersion(path);
  const cached = version === undefined ? undefined : loaded.get(path);
  if (cached && cached.version === version) return cached.manifest;
  const text = await readManifestText(path);
  if (text === undefined) throw missingManifest(path);
  const manifest = deepFreeze(parseManifest(text, path));
  if (version !== undefined) loaded.set(path, { version, manifest });
  return manifest;
}

export interface LoadOptions {
  /**
   * Reuse the manifest checked last time when the file is the same file, unchanged (same inode,
   * size and change times; every llmgw write renames a new file into place). Default true: a
   * gateway may call loadManifest on every request and pays a stat, not a parse.
   */
  cache?: boolean;
}

/** The last manifest loaded from each path, with the file version it came from. Loaded manifests are frozen, so sharing them is safe. */
const loaded = new Map<string, { version: string; manifest: Manifest }>();

async function fileVersion(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined; // missing or unreadable: the read below says which
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
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
 * fails its checks. The entry is appended (and fsynced) before the manifest is renamed into
 * place, so a revision the manifest reaches is always in the log (see history.ts).
 */
export async function updateManifest<C extends Change = AliasChange>(opts: WriteOptions, change: (m: Manifest) => C | Promise<C>): Promise<WriteResult<EntryOf<C>>> {
  const now = opts.now ?? Date.now;
  const historyPath = historyPathFor(opts.path);
  if (opts.create) await mkdir(dirname(opts.path), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw notWritable(err, dirname(opts.path)) ?? err;
  });
  await refuseReadOnly(opts.path, historyPath);
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
        const subject = result.action === 'provider' ? `provider "${result.provider}"` : `"${result.alias}"`;
        if (!checked || problems.length > 0) throw new ManifestInvalidError(problems, `The manifest after ${result.action} of ${subject}`);
        const entry = historyEntry(result, checked.revision, at, opts) as EntryOf<C>;
        // The log first: cut what a crashed writer left, append this revision, then the manifest.
        await repairHistory(historyPath, current.revision);
        const sizeBefore = await appendHistory(historyPath, entry);
        try {
          await writeFileAtomic(opts.path, serializeManifest(checked), { keepAttributes: true });
        } catch (err) {
          await truncateHistory(historyPath, sizeBefore).catch(() => undefined); // else the next write repairs it
          throw err;
        }
        return { manifest: checked, entry, created: text === undefined };
      },
      { owner: opts.owner, ...(opts.lockTimeoutMs ? { timeoutMs: opts.lockTimeoutMs } : {}) },
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // The lock file could not be created: the manifest's folder does not exist.
    if (e.code === 'ENOENT' && typeof e.path === 'string' && e.path.startsWith(`${opts.path}.lock`)) throw missingManifest(opts.path);
    if (err instanceof LockTimeoutError) {
      throw new TimeoutError('manifest_locked', `Another llmgw process is writing the manifest (${err.holder}) and did not finish in time.`, {
        hint: `wait for it and try again; if no llmgw is running, remove ${err.lockPath}`,
      });
    }
    throw notWritable(e, typeof e.path === 'string' ? e.path : opts.path) ?? err;
  }
}

function historyEntry(result: Change, revision: number, at: string, opts: WriteOptions): HistoryEntry {
  // `revision` stays the first key: readers find an entry glued to a torn line by it.
  const head = { revision, at };
  const tail = { ...(opts.reason ? { reason: opts.reason } : {}), ...(opts.who ? { who: opts.who } : {}) };
  if (result.action === 'provider') return { ...head, action: result.action, provider: result.provider, before: result.before, after: result.after, ...tail };
  return { ...head, action: result.action, alias: result.alias, ...(result.model ? { model: result.model } : {}), before: result.before, after: result.after, ...tail };
}

/**
 * Refuses, before taking the lock, to write a manifest or log the user made read-only (even as
 * root, who could write it anyway), or one in a folder the user cannot write.
 */
async function refuseReadOnly(path: string, historyPath: string): Promise<void> {
  for (const [file, what] of [[path, 'manifest'], [historyPath, 'history log']] as const) {
    const s = await stat(file).catch(() => undefined);
    if (!s) continue;
    const mode = (Number(s.mode) & 0o777).toString(8).padStart(4, '0');
    const readOnly = (Number(s.mode) & 0o222) === 0;
    const denied = readOnly ? 'EACCES' : await access(file, constants.W_OK).then(() => undefined, (err: NodeJS.ErrnoException) => err.code);
    if (denied) {
      const why = readOnly ? `is read-only (mode ${mode})` : `is not writable for this user (mode ${mode}, owner uid ${s.uid})`;
      throw new UsageError(`${what === 'manifest' ? 'manifest' : 'history'}_read_only`, `The ${what} ${file} ${why}, so llmgw will not change it.`, {
        hint: `if you mean to change the routes, make it writable (\`chmod u+w ${file}\`) and run again; otherwise change a writable copy with --manifest`,
      });
    }
  }
  const dir = dirname(path);
  const denied = await access(dir, constants.W_OK).then(() => undefined, (err: NodeJS.ErrnoException) => err.code);
  if (denied && denied !== 'ENOENT') throw notWritable({ code: denied } as NodeJS.ErrnoException, dir);
}

/** A permission or read-only file system error as a user error with the fix; undefined for anything else. */
function notWritable(err: NodeJS.ErrnoException, where: string): UsageError | undefined {
  if (err.code !== 'EACCES' && err.code !== 'EPERM' && err.code !== 'EROFS') return undefined;
  return new UsageError('manifest_not_writable', `llmgw cannot write in ${where} (${err.code}): it writes the manifest through a lock file and a temp file beside it, and appends to the history log.`, {
    hint: err.code === 'EROFS' ? 'the file system is read-only; change a copy on a writable disk with --manifest' : `make the folder and files writable for this user (e.g. \`chmod u+w ${where}\`), or change a writable copy with --manifest`,
  });
}

/**
 * The history log of the manifest at `path`, as far as the manifest reached: entries a crashed
 * writer appended for a revision the manifest never got to are left out.
 */
export async function manifestHistory(path: string, manifestRevision?: number): Promise<HistoryEntry[]> {
  const { entries } = await readHistory(historyPathFor(path));
  return manifestRevision === undefined ? entries : entries.filter((e) => e.revision <= manifestRevision);
}
