import { createHash, randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

export interface LockOptions {
  /** Give up after this long (ms). Default 15 s. */
  timeoutMs?: number;
  /** A lock older than this (ms) is taken over even when its owner may be alive. Default 30 s. */
  staleMs?: number;
  /**
   * Who is locking. With it, a lock left by a process that died on this host is taken over at
   * once; without it, only by age. The CLI passes its `Io` (which has both).
   */
  owner?: LockOwner | undefined;
}

export interface LockOwner {
  pid: number;
  isAlive(pid: number): boolean;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: string,
  ) {
    super(`could not lock ${lockPath} (held by ${holder})`);
    this.name = 'LockTimeoutError';
  }
}

interface Holder {
  pid: number | null;
  host: string;
  at: number;
  /** Unique per acquisition: tells this lock apart from any later one at the same path. */
  token?: string;
}

/** What a lock file is: its holder when readable, and an identity that changes whenever the file is replaced. */
interface LockState {
  holder: Holder | undefined;
  identity: string;
  mtimeMs: number;
}

/**
 * Runs `fn` while holding an exclusive lock file `<path>.lock`.
 *
 * - The lock file appears whole or not at all: it is written under a temp name and hard-linked
 *   into place (link fails when the name exists), so a live writer's lock is never empty.
 * - A stale lock (its process died on this host, it is older than `staleMs`, or it is empty or
 *   unreadable, which only a killed writer leaves) is taken over through a second lock named for
 *   that exact lock file (`<path>.lock.takeover-<identity>`): of all the writers that found the
 *   same stale lock, only the one that creates that name removes it, after checking it is still
 *   the same file. The others wait, so a fresh lock is never removed by a latecomer.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  const token = await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const started = Date.now();
  let delay = 5;
  for (;;) {
    const token = randomBytes(8).toString('hex');
    if (await createExclusive(lockPath, holderText(options.owner, token))) return token;
    const state = await readLock(lockPath);
    if (!state) continue; // removed between our attempt and the read: try again at once
    if (isStale(state, options)) {
      if (await takeOver(lockPath, state, options, 0)) continue;
    }
    if (Date.now() - started > timeoutMs) throw new LockTimeoutError(lockPath, describe(state.holder));
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
}

/**
 * Removes the stale lock `state` found at `lockPath`, if this caller wins the right to: true when
 * the lock was removed (by us or, as far as we can tell, by another), false to wait and look again.
 */
async function takeOver(lockPath: string, state: LockState, options: LockOptions, depth: number): Promise<boolean> {
  const marker = `${lockPath}.takeover-${state.identity}`;
  const token = randomBytes(8).toString('hex');
  if (!(await createExclusive(marker, holderText(options.owner, token)))) {
    // Another writer is taking this lock over. If it died doing so, its marker is stale in turn
    // and is taken over the same way (bounded: each level needs another crash inside a few syscalls).
    const markerState = await readLock(marker);
    if (markerState && depth < 3 && isStale(markerState, options)) await takeOver(marker, markerState, options, depth + 1);
    return false;
  }
  try {
    const now = await readLock(lockPath);
    if (now?.identity === state.identity) await unlink(lockPath).catch(ignoreMissing);
    return true;
  } finally {
    await unlink(marker).catch(ignoreMissing);
  }
}

/** Removes the lock only if it is still ours (a lock held past `staleMs` may have been taken over). */
async function release(lockPath: string, token: string): Promise<void> {
  const state = await readLock(lockPath);
  if (state?.holder?.token === token) await unlink(lockPath).catch(ignoreMissing);
}

/** Creates `path` with `content` unless it exists; the file never exists empty or half written. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, content, { flag: 'wx' });
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return createWithOpen(path, content);
    throw err;
  } finally {
    await unlink(tmp).catch(ignoreMissing);
  }
}

/** For file systems without hard links: O_EXCL create, then write (a kill in between leaves it empty). */
async function createWithOpen(path: string, content: string): Promise<boolean> {
  try {
    await writeFile(path, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function readLock(path: string): Promise<LockState | undefined> {
  let s;
  try {
    s = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    text = undefined; // unreadable: judged by what stat says
  }
  const holder = parseHolder(text);
  const identity = holder?.token ?? createHash('sha256').update(`${s.ino}:${s.size}:${s.mtimeMs}:${text ?? ''}`).digest('hex').slice(0, 16);
  return { holder, identity, mtimeMs: s.mtimeMs };
}

function parseHolder(text: string | undefined): Holder | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<Holder>;
    if (typeof v === 'object' && v !== null && typeof v.host === 'string' && (typeof v.pid === 'number' || v.pid === null)) return v as Holder;
  } catch {
    // cut short by a kill, or not ours
  }
  return undefined;
}

function isStale(state: LockState, options: LockOptions): boolean {
  const { holder } = state;
  // Our locks are linked into place whole, so an empty or unreadable one was left by a killed writer.
  if (!holder) return true;
  const owner = options.owner;
  if (owner && holder.pid !== null && holder.host === hostname() && holder.pid !== owner.pid && !owner.isAlive(holder.pid)) return true;
  return Date.now() - state.mtimeMs > (options.staleMs ?? 30_000);
}

function holderText(owner: LockOwner | undefined, token: string): string {
  return JSON.stringify({ pid: owner?.pid ?? null, host: hostname(), at: Date.now(), token } satisfies Holder);
}

function describe(holder: Holder | undefined): string {
  return holder ? `pid ${holder.pid ?? '?'} on ${holder.host}` : 'unknown';
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
