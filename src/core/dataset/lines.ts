/**
 * Streaming JSONL line reader. Splits Buffer chunks on `\n` with `indexOf(0x0a)` and decodes
 * each line once, so memory stays flat in the file size: at most one chunk plus one line (capped
 * by `maxLineBytes`) is held at a time. A line over the cap is skipped, not accumulated.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** One line of the input. `text` is null when the line was over the byte limit and skipped. */
export interface RawLine {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte in the input (the BOM counts). */
  offset: number;
  /** Length in bytes without the line ending (and without a BOM). */
  bytes: number;
  text: string | null;
  /**
   * The line's bytes (no line ending, no BOM), null when skipped. A view into the reader's
   * buffers: valid while the batch it came in is being handled; copy it to keep it longer.
   */
  raw: Buffer | null;
  /** The line ended with `\r\n` (the `\r` is not in `text`). */
  crlf: boolean;
  /** Line 1 started with a UTF-8 byte order mark (stripped from `text`). */
  bom: boolean;
  /** The bytes are not valid UTF-8; `text` holds U+FFFD where they were. */
  invalidUtf8: boolean;
  /** Empty or only whitespace. */
  blank: boolean;
  /** Longer than `maxLineBytes`; skipped (`text` and `raw` are null). */
  tooLong: boolean;
}

export interface LineBatch {
  lines: RawLine[];
  /** Bytes consumed from the input so far. */
  bytesRead: number;
}

/** One line as bytes, not decoded yet: what `readLineBatches` decodes, or a worker thread does. */
export interface LineSlice {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte in the input. */
  offset: number;
  /** Length in bytes without the `\n`. */
  bytes: number;
  /** The line's bytes (a `\r` before the `\n` and a BOM included); null when over the limit and skipped. */
  buf: Buffer | null;
}

/** The lines of one read. Their `buf` views are valid until the next batch is asked for. */
export interface SliceBatch {
  lines: LineSlice[];
  bytesRead: number;
}

export type LineSource = string | Readable | AsyncIterable<Uint8Array | string>;

export interface LineReaderOptions {
  /** Longest line kept, in bytes (default 8 MiB). Longer lines are reported with `tooLong`. */
  maxLineBytes?: number;
  /** Read size when `source` is a path (default 256 KiB). */
  chunkBytes?: number;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
const DEFAULT_CHUNK_BYTES = 256 * 1024;
const LF = 0x0a;
const CR = 0x0d;

/** Yields the lines of `source` in batches (one per chunk read), which keeps per-line overhead low. */
export async function* readLineBatches(source: LineSource, options: LineReaderOptions = {}): AsyncGenerator<LineBatch> {
  for await (const batch of readLineSlices(source, options)) {
    yield { lines: batch.lines.map(decodeSlice), bytesRead: batch.bytesRead };
  }
}

/** Decodes one slice (a skipped line becomes a `tooLong` RawLine). */
export function decodeSlice(slice: LineSlice): RawLine {
  const { line, offset, bytes, buf } = slice;
  if (buf === null) return { line, offset, bytes, text: null, raw: null, crlf: false, bom: false, invalidUtf8: false, blank: false, tooLong: true };
  return decodeLine(buf, line, offset);
}

/**
 * The splitting half of `readLineBatches`: lines as byte views, one batch per chunk read, never
 * decoded. `validate` hands these to worker threads, which decode and parse them there.
 */
export async function* readLineSlices(source: LineSource, options: LineReaderOptions = {}): AsyncGenerator<SliceBatch> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const input: AsyncIterable<Uint8Array | string> = typeof source === 'string' ? readChunks(source, options.chunkBytes ?? DEFAULT_CHUNK_BYTES, options.signal) : source;
  // A file is read into two buffers in turn (readChunks): the part of a line a read ends with is
  // copied out (below) before its buffer is read into again. A stream's chunks are kept as they are.
  const reused = typeof source === 'string';

  let pieces: Buffer[] = []; // the current line's bytes from earlier chunks (unless skipping)
  let pending = 0; // bytes of the current line seen in earlier chunks
  let skipping = false; // the current line is over the limit: drop bytes until the next newline
  let lineNo = 0;
  let lineOffset = 0;
  let bytesRead = 0;

  const make = (buf: Buffer | null, length: number): LineSlice => {
    lineNo += 1;
    const slice: LineSlice = { line: lineNo, offset: lineOffset, bytes: length, buf };
    lineOffset += length + 1;
    return slice;
  };

  for await (const piece of input) {
    options.signal?.throwIfAborted();
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    bytesRead += chunk.length;
    const lines: LineSlice[] = [];
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, pos);
      if (nl === -1) {
        const rest = chunk.length - pos;
        if (!skipping && pending + rest > maxLineBytes) {
          skipping = true;
          pieces = [];
        }
        if (!skipping && rest > 0) pieces.push(reused ? Buffer.from(chunk.subarray(pos)) : chunk.subarray(pos));
        pending += rest;
        break;
      }
      const length = pending + nl - pos;
      if (skipping || length > maxLineBytes) lines.push(make(null, length));
      else lines.push(make(pieces.length === 0 ? chunk.subarray(pos, nl) : Buffer.concat([...pieces, chunk.subarray(pos, nl)], length), length));
      pieces = [];
      pending = 0;
      skipping = false;
      pos = nl + 1;
    }
    if (lines.length > 0) yield { lines, bytesRead };
  }
  // A last line without a trailing newline.
  if (pending > 0) yield { lines: [make(skipping ? null : Buffer.concat(pieces, pending), pending)], bytesRead };
}

/**
 * The chunks of a file, read into two buffers in turn: while one read's lines are handled, the
 * next read fills the other buffer, so the thread never waits on the disk. A chunk yielded is
 * valid until the one after next is asked for (callers treat it as valid until the next).
 * Reading a large file through fresh buffers would leave hundreds of MB of them for the
 * garbage collector, which a thread that allocates little seldom runs.
 */
async function* readChunks(path: string, size: number, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  let filling = Buffer.allocUnsafe(size);
  let spare = Buffer.allocUnsafe(size);
  let next: Promise<{ bytesRead: number }> | undefined = file.read(filling, 0, size, null);
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await next;
      next = undefined;
      if (bytesRead === 0) return;
      const filled = filling;
      filling = spare;
      spare = filled;
      // Sequential reads from the file's position: each starts after the last one ended.
      next = file.read(filling, 0, size, null);
      yield filled.subarray(0, bytesRead);
    }
  } finally {
    await next?.catch(() => undefined); // never close the file under a read in flight
    await file.close();
  }
}

/** The same lines one at a time, for callers that prefer a flat loop. */
export async function* readLines(source: LineSource, options: LineReaderOptions = {}): AsyncGenerator<RawLine> {
  for await (const batch of readLineBatches(source, options)) yield* batch.lines;
}

export function decodeLine(buf: Buffer, line: number, offset: number): RawLine {
  const { raw, crlf, bom } = lineBytes(buf, line);
  const text = raw.toString('utf8');
  // Checked on the bytes (native, far faster than searching the text for U+FFFD, which toString
  // puts where bad sequences were; a genuine U+FFFD in the data is valid).
  const invalidUtf8 = !isUtf8(raw);
  return { line, offset, bytes: raw.length, text, raw, crlf, bom, invalidUtf8, blank: isBlank(text), tooLong: false };
}

/** A line's bytes without the CR of a CRLF ending and, on line 1, a UTF-8 byte order mark. */
export function lineBytes(buf: Buffer, line: number): { raw: Buffer; crlf: boolean; bom: boolean } {
  let raw = buf;
  let crlf = false;
  let bom = false;
  if (raw.length > 0 && raw[raw.length - 1] === CR) {
    raw = raw.subarray(0, raw.length - 1);
    crlf = true;
  }
  if (line === 1 && raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) {
    raw = raw.subarray(3);
    bom = true;
  }
  return { raw, crlf, bom };
}

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  // A JSON line starts with `{`; only look further when it starts with whitespace.
  return (first === 0x20 || first === 0x09 || first === 0x0d || first === 0x0b || first === 0x0c || first === 0xa0 || first > 0x1fff) && text.trim() === '';
}
