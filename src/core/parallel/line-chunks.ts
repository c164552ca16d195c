/**
 * A JSON Lines file read as chunks of whole lines, each in a buffer of its own that can be handed
 * to a worker thread (transferred, not copied) and handed back to be read into again. Only the
 * part of a line a read ends with is copied, into the next chunk. Memory stays flat: a chunk is
 * about `chunkBytes`, and a line over `maxLineBytes` is skipped, never held.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { DEFAULT_MAX_LINE_BYTES } from '../dataset/lines.js';

export interface LineChunk {
  /** Whole lines, each ended by `\n` except perhaps the file's last; empty for a line too long. */
  bytes: Buffer;
  /** The 1-based number of the chunk's first line. */
  firstLine: number;
  /** The byte offset of that line in the file. */
  offset: number;
  /** Set when this chunk stands for one line over the limit: its length in bytes (not read into memory). */
  tooLong?: number;
}

export interface LineChunkOptions {
  /** Bytes read at a time (default 1 MiB). */
  chunkBytes?: number;
  /** Longest line kept (default 8 MiB, as `readLineSlices`). */
  maxLineBytes?: number;
  signal?: AbortSignal | undefined;
}

const LF = 0x0a;

/** The chunks of `path`, with `recycle` to give a chunk's buffer back once its lines are handled. */
export class LineChunkReader implements AsyncIterable<LineChunk> {
  private readonly free: ArrayBuffer[] = [];
  private readonly chunkBytes: number;
  private readonly maxLineBytes: number;

  constructor(
    private readonly path: string,
    private readonly options: LineChunkOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    // No larger than the limit: then only a chunk's first line (begun in an earlier read) can be over it.
    this.chunkBytes = Math.min(options.chunkBytes ?? 1024 * 1024, this.maxLineBytes);
  }

  /** A chunk's buffer, no longer used (by this thread: one sent to a worker comes back from it). */
  recycle(bytes: Uint8Array): void {
    const buffer = bytes.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength === this.chunkBytes && this.free.length < 8) this.free.push(buffer);
  }

  private buffer(size: number): Buffer {
    const reused = size === this.chunkBytes ? this.free.pop() : undefined;
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool (transferable).
    return reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(size);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LineChunk> {
    const { signal } = this.options;
    const max = this.maxLineBytes;
    const file = await open(this.path, 'r');
    try {
      let carry = null as Buffer | null; // the start of a line the last read ended in
      let line = 1;
      let offset = 0;
      for (;;) {
        signal?.throwIfAborted();
        const held: number = carry === null ? 0 : carry.length;
        const buf = this.buffer(held + this.chunkBytes > this.chunkBytes ? Math.max(this.chunkBytes, held * 2) : this.chunkBytes);
        if (carry) carry.copy(buf);
        carry = null;
        const { bytesRead }: { bytesRead: number } = await file.read(buf, held, buf.length - held, null);
        const used: number = held + bytesRead;
        if (used === 0) return;
        const end: number = bytesRead === 0 ? used : buf.lastIndexOf(LF, used - 1) + 1;
        if (end === 0) {
          // No line ends here yet: keep reading it, or skip it once it is over the limit.
          if (used > max) {
            const { length, rest } = await skipLine(file, used, this.chunkBytes, signal);
            carry = rest;
            yield { bytes: buf.subarray(0, 0), firstLine: line, offset, tooLong: length };
            offset += length + 1;
            line++;
          } else carry = buf.subarray(0, used);
          continue;
        }
        // The line begun in an earlier read may have grown past the limit in this one.
        const first: number = buf.subarray(0, used).indexOf(LF);
        if (held > 0 && first > max) {
          yield { bytes: buf.subarray(0, 0), firstLine: line, offset, tooLong: first };
          offset += first + 1;
          line++;
          if (first + 1 < used) carry = Buffer.from(buf.subarray(first + 1, used));
          continue;
        }
        if (end < used) carry = Buffer.from(buf.subarray(end, used));
        const chunk: LineChunk = { bytes: buf.subarray(0, end), firstLine: line, offset };
        let lines = 0;
        for (let i = buf.indexOf(LF); i !== -1 && i < end; i = buf.indexOf(LF, i + 1)) lines++;
        if (bytesRead === 0 && buf[end - 1] !== LF) lines++; // the last line, without a newline
        line += lines;
        offset += end;
        yield chunk;
        if (bytesRead === 0) return;
      }
    } finally {
      await file.close();
    }
  }
}

/**
 * Reads past the rest of a line over the limit (`seen` bytes of it so far): its whole length, and
 * what follows it in the last read.
 */
async function skipLine(file: FileHandle, seen: number, readBytes: number, signal: AbortSignal | undefined): Promise<{ length: number; rest: Buffer | null }> {
  // Reads no larger than a chunk: what follows the line is then no longer than the limit either.
  const scratch = Buffer.allocUnsafe(readBytes);
  let length = seen;
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await file.read(scratch, 0, scratch.length, null);
    if (bytesRead === 0) return { length, rest: null };
    const nl = scratch.indexOf(LF);
    if (nl === -1 || nl >= bytesRead) {
      length += bytesRead;
      continue;
    }
    return { length: length + nl, rest: nl + 1 < bytesRead ? Buffer.from(scratch.subarray(nl + 1, bytesRead)) : null };
  }
}
