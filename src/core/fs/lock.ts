import { hostname } from 'node:os';
import { open, readFile, rm, stat } from 'node:fs/promises';

export interface LockOptions {
  /** Give up after this long (ms). Default 15 s. */
  timeoutMs?: number;
  /** A lock older than this (ms) whose owner is gone is taken over. Default 30 s. */
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
  constructor(readonly lockPath: string, readonly holder: string) {
    super(`could not lock ${lockPath} (held by ${holder})`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * Runs `fn` while holding an exclusive lock file `<path>.lock` (created with O_EXCL, which is
 * atomic on local file systems). Waits with jittered backoff; takes over a lock whose holder
 * process is gone or that is older than `staleMs`.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 30_000;
  const owner = options.owner;
  const started = Date.now();
  let delay = 5;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: owner?.pid ?? null, host: hostname(), at: Date.now() }));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = await readHolder(lockPath);
      if (await isStale(lockPath, holder, staleMs, owner)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > timeoutMs) throw new LockTimeoutError(lockPath, holder ? `pid ${holder.pid} on ${holder.host}` : 'unknown');
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 100);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

interface Holder {
  pid: number | null;
  host: string;
  at: number;
}

async function readHolder(lockPath: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await readFile(lockPath, 'utf8')) as Holder;
  } catch {
    return undefined; // being written right now, or just removed
  }
}

async function isStale(lockPath: string, holder: Holder | undefined, staleMs: number, owner: LockOwner | undefined): Promise<boolean> {
  if (owner && holder?.pid != null && holder.host === hostname() && holder.pid !== owner.pid && !owner.isAlive(holder.pid)) return true;
  try {
    const s = await stat(lockPath);
    return Date.now() - s.mtimeMs > staleMs;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
