/**
 * The one way every dataset verb opens its input: a local path, `-` for standard input, or a URI
 * whose scheme a provider folder registered (schemes.ts). Whatever the source, the caller gets
 * the bytes as a stream with the stored size and a display name; gzip data is recognised by its
 * magic bytes (not its name) and decompressed on the way.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CheckFailedError, UsageError } from '../../errors.js';
import type { ProviderSettings } from '../../providers/types.js';
import { inputOpener, inputSchemes, schemeOf } from './schemes.js';

/** How much of the start of the data is read up front to tell its format. */
export const HEAD_BYTES = 64 * 1024;
const READ_BYTES = 256 * 1024;

export interface OpenInputOptions {
  /** Relative paths are resolved against this folder (default: as given). */
  cwd?: string | undefined;
  signal?: AbortSignal | undefined;
  /** What `-` reads: the CLI passes its standard input. */
  stdin?: (Readable & { isTTY?: boolean }) | undefined;
  /**
   * The settings of the provider that owns a URI's scheme (`vertex` for gs://, `bedrock` for
   * s3://), asked only when such a URI is opened. The CLI resolves them as the tune commands do;
   * without it, an opener uses its SDK's defaults.
   */
  settingsFor?: ((provider: string) => Promise<ProviderSettings>) | undefined;
}

export interface DatasetInput {
  /** For messages: the path as typed, `stdin` for `-`, or the URI. */
  name: string;
  /** Bytes as stored (the compressed size of gzip data), when known; null for a pipe. */
  size: number | null;
  /** The data was gzip-compressed (and is decompressed in `head` and `chunks()`). */
  gzip: boolean;
  /** The first bytes of the (decompressed) data, at most HEAD_BYTES unless the data ends sooner. */
  head: Buffer;
  /** The absolute path of a local file (null for stdin and URIs). Unless `gzip`, readers may read it by path, the fastest way. */
  path: string | null;
  /** The folder relative references inside the data (image paths) resolve against; null for stdin and URIs. */
  dir: string | null;
  /** Every byte of the (decompressed) data from the start, `head` included. Call once. */
  chunks(): AsyncIterable<Buffer>;
  /** Of `size`, how many bytes are consumed once `decoded` bytes of data were read (differs for gzip). */
  storedBytesRead(decoded: number): number;
  /** Releases the source when the caller stops before the end. Safe to call more than once. */
  close(): Promise<void>;
}

/** Opens `spec` (a path, `-`, or a registered URI) and reads its head. Errors are user errors with a fix. */
export async function openInput(spec: string, opts: OpenInputOptions = {}): Promise<DatasetInput> {
  if (spec === '-') return openStdin(opts);
  const scheme = schemeOf(spec);
  if (scheme !== undefined && scheme !== 'file') return openUri(spec, scheme, opts);
  const path = scheme === 'file' ? new URL(spec).pathname : spec;
  return openLocal(path, spec, opts);
}

async function openLocal(path: string, name: string, opts: OpenInputOptions): Promise<DatasetInput> {
  const full = opts.cwd === undefined ? resolve(path) : resolve(opts.cwd, path);
  let handle: FileHandle;
  try {
    handle = await open(full, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    const size = info.isFile() ? info.size : null;
    const first = Buffer.allocUnsafe(HEAD_BYTES);
    const { bytesRead } = await handle.read(first, 0, HEAD_BYTES, 0);
    const head = first.subarray(0, bytesRead);
    if (!isGzip(head) && info.isFile()) {
      await handle.close();
      return {
        name,
        size,
        gzip: false,
        head,
        path: full,
        dir: dirname(full),
        // Opened when first read, so a stream nobody reads never errors unheard.
        chunks: async function* () {
          yield* createReadStream(full, { highWaterMark: READ_BYTES, signal: opts.signal }) as AsyncIterable<Buffer>;
        },
        storedBytesRead: (decoded) => decoded,
        close: async () => undefined,
      };
    }
    // A gzip file, or a FIFO/device (`<(zcat …)`): streamed from the handle, which the stream closes.
    const stream = handle.createReadStream({ start: 0, highWaterMark: READ_BYTES, autoClose: true, signal: opts.signal });
    return { ...(await fromStream(stream, name, size, dirname(full))), path: info.isFile() ? full : null };
  } catch (err) {
    throw unreadable(name, err);
  }
}

/** A stream already opened by the caller, as an input named `name` (gzip detected the same way). */
export async function openStream(source: Readable | AsyncIterable<Uint8Array | string>, name: string, size: number | null): Promise<DatasetInput> {
  return fromStream(source, name, size, null);
}

async function openStdin(opts: OpenInputOptions): Promise<DatasetInput> {
  const stdin = opts.stdin;
  if (stdin === undefined) throw new UsageError('no_stdin', '`-` means standard input, which is not available here', { hint: 'pass a file path instead of -' });
  if (stdin.isTTY === true) {
    throw new UsageError('stdin_is_terminal', '`-` reads the data from standard input, but nothing is piped in (it is the terminal)', { hint: 'pipe the data in, e.g. `cat train.jsonl | llmgw dataset validate -`, or pass a file path' });
  }
  return fromStream(stdin, 'stdin', null, null);
}

async function openUri(uri: string, scheme: string, opts: OpenInputOptions): Promise<DatasetInput> {
  const opener = await inputOpener(scheme, opts.settingsFor);
  if (opener === undefined) {
    const known = inputSchemes().map((s) => `${s}://`);
    throw new UsageError('unsupported_uri', `llmgw cannot read ${scheme}:// inputs`, {
      hint: `download the file first and pass its path${known.length > 0 ? `, or use ${known.join(', ')}` : ''}`,
    });
  }
  const object = await opener(uri, opts.signal);
  return fromStream(object.stream, object.name, object.size, null);
}

/** Counts the stored bytes, peeks the head, and puts gunzip in between when the magic bytes say so. */
async function fromStream(source: Readable | AsyncIterable<Uint8Array | string>, name: string, size: number | null, dir: string | null): Promise<DatasetInput> {
  let stored = 0;
  const counted = (async function* () {
    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      stored += buf.length;
      yield buf;
    }
  })();
  const raw = await peek(counted, 2);
  if (!isGzip(raw.head)) {
    const data = await peek(raw.rest, HEAD_BYTES);
    return streamed(data, name, size, dir, false, () => stored, source);
  }
  const gunzip = createGunzip();
  // pipeline() hands a read error on to gunzip, whose reader then sees it.
  pipeline(Readable.from(raw.rest), gunzip, () => undefined);
  const data = await peek(gzipErrors(gunzip, name), HEAD_BYTES);
  return streamed(data, name, size, dir, true, () => stored, source);
}

function streamed(data: Peeked, name: string, size: number | null, dir: string | null, gzip: boolean, stored: () => number, source: unknown): DatasetInput {
  let taken = false;
  return {
    name,
    size,
    gzip,
    head: data.head,
    path: null,
    dir,
    chunks() {
      if (taken) throw new Error(`the input ${name} was already read`);
      taken = true;
      return data.rest;
    },
    storedBytesRead: (decoded) => (gzip ? stored() : decoded),
    async close() {
      await data.rest[Symbol.asyncIterator]().return?.();
      if (source instanceof Readable && !source.destroyed) source.destroy();
    },
  };
}

/** Corrupt or truncated gzip data is the user's file, not a bug. */
async function* gzipErrors(stream: Readable, name: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'Z_NEED_DICT') {
      throw new CheckFailedError('invalid_gzip', `${name} starts like gzip data but cannot be decompressed (${(err as Error).message})`, {
        hint: 'check the download finished; `gzip -t` tests the file',
        cause: err,
      });
    }
    throw err;
  }
}

interface Peeked {
  head: Buffer;
  rest: AsyncIterable<Buffer> & AsyncIterator<Buffer>;
}

/** Reads chunks until `bytes` are in (or the data ends); `rest` replays them, then the remainder. */
async function peek(source: AsyncIterable<Buffer>, bytes: number): Promise<Peeked> {
  const it = source[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let total = 0;
  let ended = false;
  while (total < bytes) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    taken.push(r.value);
    total += r.value.length;
  }
  const head = taken.length === 1 ? (taken[0] as Buffer) : Buffer.concat(taken, total);
  const rest = (async function* () {
    try {
      yield* taken;
      taken.length = 0;
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  })();
  return { head: head.subarray(0, Math.min(head.length, bytes)), rest };
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** A file-system error opening the input → a usage error (exit 2) with the fix; others pass through. */
export function unreadable(name: string, err: unknown): unknown {
  if (err instanceof UsageError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new UsageError('file_not_found', `cannot read ${name}: no such file`, { hint: 'check the path (it is relative to the current directory)', cause: err });
  if (code === 'EISDIR') return new UsageError('not_a_file', `cannot read ${name}: it is a directory`, { hint: `pass the data files inside it, e.g. ${name.replace(/\/+$/, '')}/*.jsonl` });
  if (code === 'EACCES' || code === 'EPERM') return new UsageError('permission_denied', `cannot read ${name}: permission denied`, { hint: `make it readable (e.g. chmod u+r ${name})`, cause: err });
  if (code === 'ENOTDIR') return new UsageError('file_not_found', `cannot read ${name}: a part of the path is not a folder`, { hint: 'check the path', cause: err });
  if (code === 'ELOOP' || code === 'ENAMETOOLONG') return new UsageError('file_not_found', `cannot read ${name}: the path cannot be resolved (${code})`, { hint: 'check the path', cause: err });
  // Any other failure of the system to read it (EIO, a device that refuses reads…) is about the input too.
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof (err as NodeJS.ErrnoException).syscall === 'string') {
    return new UsageError('read_failed', `cannot read ${name}: ${(err as Error).message}`, { hint: 'check the file can be read (e.g. `cat` it), or copy it to a local disk first', cause: err });
  }
  return err;
}
