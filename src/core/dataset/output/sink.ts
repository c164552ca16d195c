/**
 * Where dataset verbs write lines: a file that appears only when the run succeeds (temp file in
 * the same folder, fsync, rename), or standard output (`-o -`), which streams as it goes.
 *
 * Lines are encoded straight into a 1 MiB buffer (no string concatenation, which made every
 * write flatten a rope of thousands of pieces) and written while the next buffer fills.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir, tempPathFor } from '../../fs/atomic.js';
import { OutputClosedError, UsageError } from '../../errors.js';

export interface LineSink {
  /** Queues one line (the newline is added). Returns a promise only when the caller must wait. */
  write(line: string): Promise<void> | undefined;
  /** The same for a line that is already UTF-8 bytes (copied at once: the caller may reuse them). */
  writeBytes(line: Uint8Array): Promise<void> | undefined;
  /** Writes what is queued and makes the output appear (a file: renamed into place). */
  commit(): Promise<void>;
  /** Drops the output (a file: the temp file is removed; the target is untouched). Safe to call twice. */
  abort(): Promise<void>;
}

/** What `-o -` writes to: a stream with Node's `write`/`drain` back-pressure, or any `write`. */
export interface WriteTarget {
  write(chunk: string | Uint8Array): unknown;
  once?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  removeListener?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  /** Node streams: true once the stream was closed (the reader of a pipe went away). */
  destroyed?: boolean;
}

const BUFFER_BYTES = 1 << 20;
/** Written bytes after which a background flush to disk starts (see openFileSink). */
const SYNC_BYTES = 16 << 20;

/** Fills buffers with lines and hands full ones to `flush`, two buffers in turn. */
class LineBuffer {
  private buffers = [Buffer.allocUnsafe(BUFFER_BYTES), Buffer.allocUnsafe(BUFFER_BYTES)];
  private current = 0;
  private used = 0;
  private pending: Promise<void> | undefined;

  constructor(private readonly flush: (bytes: Buffer) => Promise<void>) {}

  write(line: string): Promise<void> | undefined {
    // A UTF-16 unit is at most 3 UTF-8 bytes; only measure exactly when it might not fit.
    const worst = line.length * 3 + 1;
    if (this.used + worst > BUFFER_BYTES && this.used + Buffer.byteLength(line) + 1 > BUFFER_BYTES) return this.spill(line);
    const buf = this.buffers[this.current] as Buffer;
    this.used += buf.write(line, this.used, 'utf8');
    buf[this.used++] = 0x0a;
    return undefined;
  }

  writeBytes(line: Uint8Array): Promise<void> | undefined {
    if (this.used + line.length + 1 > BUFFER_BYTES) return this.spill(Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString('utf8'));
    const buf = this.buffers[this.current] as Buffer;
    buf.set(line, this.used);
    this.used += line.length;
    buf[this.used++] = 0x0a;
    return undefined;
  }

  private async spill(line: string): Promise<void> {
    await this.send();
    if (Buffer.byteLength(line) + 1 > BUFFER_BYTES) {
      await this.pending;
      this.pending = undefined;
      await this.flush(Buffer.from(`${line}\n`));
      return;
    }
    const buf = this.buffers[this.current] as Buffer;
    this.used += buf.write(line, this.used, 'utf8');
    buf[this.used++] = 0x0a;
  }

  /** Starts writing the filled buffer (after the one before it is written) and switches buffers. */
  private async send(): Promise<void> {
    await this.pending;
    this.pending = undefined;
    if (this.used === 0) return;
    const full = (this.buffers[this.current] as Buffer).subarray(0, this.used);
    this.current ^= 1;
    this.used = 0;
    const p = this.flush(full);
    p.catch(() => undefined); // awaited by the next send or by end()
    this.pending = p;
  }

  async end(): Promise<void> {
    await this.send();
    await this.pending;
    this.pending = undefined;
  }
}

/**
 * A file at `path`, written atomically. Opening the temp file happens here, so a folder that
 * cannot be written is reported before any work is done.
 */
export async function openFileSink(path: string): Promise<LineSink> {
  const tmp = tempPathFor(path);
  let handle: FileHandle;
  try {
    handle = await open(tmp, 'wx', 0o644);
  } catch (err) {
    throw unwritable(path, err);
  }
  const file = handle;
  let done = false;
  // The data is flushed to disk in the background as it is written (every SYNC_BYTES), so the
  // fsync that makes the file durable before the rename finds little left to do.
  let unsynced = 0;
  let syncing: Promise<void> | undefined;
  const lines = new LineBuffer(async (bytes) => {
    let at = 0;
    while (at < bytes.length) at += (await file.write(bytes, at, bytes.length - at)).bytesWritten;
    unsynced += bytes.length;
    if (unsynced >= SYNC_BYTES && syncing === undefined) {
      unsynced = 0;
      syncing = file.datasync().finally(() => (syncing = undefined));
      syncing.catch(() => undefined); // a failure shows again in the final sync
    }
  });
  return {
    write: (line) => lines.write(line),
    writeBytes: (line) => lines.writeBytes(line),
    async commit() {
      if (done) throw new Error('the output was already finished');
      done = true;
      try {
        await lines.end();
        await syncing?.catch(() => undefined);
        await file.sync();
        await file.close();
        await rename(tmp, path);
      } catch (err) {
        await file.close().catch(() => undefined);
        await rm(tmp, { force: true });
        throw unwritable(path, err);
      }
      await syncDir(dirname(path));
    },
    async abort() {
      if (done) return;
      done = true;
      await lines.end().catch(() => undefined);
      await syncing?.catch(() => undefined);
      await file.close().catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}

/** Standard output (`-o -`): lines stream out as they are made; nothing can be taken back. */
export function streamSink(target: WriteTarget): LineSink {
  const lines = new LineBuffer(async (bytes) => {
    if (target.destroyed === true) throw new OutputClosedError();
    // Copy: the buffer is filled again while the stream may still hold it.
    if (target.write(Buffer.from(bytes)) === false && target.once) await drained(target);
  });
  return {
    write: (line) => lines.write(line),
    writeBytes: (line) => lines.writeBytes(line),
    commit: () => lines.end(),
    abort: async () => undefined,
  };
}

/** Waits for `drain`; a stream that closes or fails instead (EPIPE after `| head`) ends the run. */
function drained(target: WriteTarget): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      target.removeListener?.('drain', onDrain);
      target.removeListener?.('close', onGone);
      target.removeListener?.('error', onGone);
    };
    const onDrain = (): void => {
      done();
      resolve();
    };
    const onGone = (): void => {
      done();
      reject(new OutputClosedError());
    };
    target.once?.('drain', onDrain);
    target.once?.('close', onGone);
    target.once?.('error', onGone);
  });
}

/** A file-system error writing `path` → a usage error (exit 2) with the fix; anything else passes through. */
export function unwritable(path: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const folder = dirname(path);
  if (code === 'EACCES' || code === 'EPERM') return new UsageError('output_not_writable', `cannot write ${path}: permission denied in ${folder}`, { hint: 'choose a folder you can write to with -o, or fix its permissions', cause: err });
  if (code === 'EROFS') return new UsageError('output_not_writable', `cannot write ${path}: ${folder} is on a read-only file system`, { hint: 'write the output somewhere writable with -o (or -o - for standard output)', cause: err });
  if (code === 'ENOSPC' || code === 'EDQUOT') return new UsageError('disk_full', `cannot write ${path}: no space left on the device`, { hint: 'free some space or write the output to another disk with -o; nothing was written', cause: err });
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UsageError('output_dir_missing', `cannot write ${path}: the folder ${folder} does not exist`, { hint: 'create the folder first', cause: err });
  if (code === 'EISDIR') return new UsageError('output_is_directory', `the output ${path} is a folder`, { hint: 'pass a file path to -o', cause: err });
  return err;
}
