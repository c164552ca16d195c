import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp path in the same folder as `path`, so the final rename cannot cross file systems. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `path` atomically: temp file in the same folder, fsync, rename. Readers see
 * the old file or the new one, never a half-written one; a crash leaves at most a stray temp file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const tmp = tempPathFor(path);
  const handle = await open(tmp, 'wx', mode ?? 0o644);
  try {
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
async function syncDir(dir: string): Promise<void> {
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
