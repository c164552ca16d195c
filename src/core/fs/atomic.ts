import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp path in the same folder as `path`, so the final rename cannot cross file systems. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

export interface AtomicWriteOptions {
  /** Mode of a new file (default 0644, less the umask). */
  mode?: number;
  /**
   * Give the new file the replaced file's mode (exactly, whatever the umask) and, where the
   * process may, its owner and group: replacing a file must not change who can read it.
   */
  keepAttributes?: boolean;
}

/**
 * Writes `data` to `path` atomically: temp file in the same folder, fsync, rename. Readers see
 * the old file or the new one, never a half-written one; a crash leaves at most a stray temp file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const { mode, keepAttributes } = options;
  const old = keepAttributes ? await stat(path).catch(() => undefined) : undefined;
  const tmp = tempPathFor(path);
  const handle = await open(tmp, 'wx', mode ?? 0o644);
  try {
    if (old) await keepOwnerAndMode(handle, old);
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dirname(path));
}

type Handle = Awaited<ReturnType<typeof open>>;

async function keepOwnerAndMode(handle: Handle, old: Awaited<ReturnType<typeof stat>>): Promise<void> {
  await handle.chmod(Number(old.mode) & 0o7777);
  const now = await handle.stat();
  if (now.uid === old.uid && now.gid === old.gid) return;
  // Only root may give a file away; anyone may keep its group if they are in it. Otherwise the
  // file becomes the writer's, as any editor's save would make it.
  await handle.chown(Number(old.uid), Number(old.gid)).catch(() => handle.chown(Number(now.uid), Number(old.gid)).catch(() => undefined));
}

/** A streaming output that only appears at `path` when `commit()` succeeds. */
export interface AtomicWriteStream {
  stream: WriteStream;
  /** Flushes, fsyncs and renames into place. */
  commit(): Promise<void>;
  /** Removes the temp file; the target is untouched. Safe to call more than once. */
  abort(): Promise<void>;
}

export function createAtomicWriteStream(path: string, mode = 0o644): AtomicWriteStream {
  const tmp = tempPathFor(path);
  const stream = createWriteStream(tmp, { flags: 'wx', mode });
  let done = false;
  const closed = new Promise<void>((resolve, reject) => {
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  return {
    stream,
    async commit() {
      if (done) throw new Error('atomic write already finished');
      done = true;
      await new Promise<void>((resolve, reject) => {
        stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
      await closed;
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, path);
      await syncDir(dirname(path));
    },
    async abort() {
      done = true;
      if (!stream.destroyed) stream.destroy();
      await closed.catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}

/** fsync the folder so the rename itself survives a crash (not supported everywhere; best effort). */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
