/**
 * A fetch wrapper that sends multipart bodies streamed from disk, counting bytes as they go.
 *
 * The SDK only retries bodies it can rebuild, so it is handed a FormData; on every attempt this
 * wrapper encodes it afresh, reading the file entry from disk. Node 20's fetch reads a request
 * body far ahead of the socket (a 600 MB upload peaked at ~680 MB RSS, whether the body was a
 * Blob or a stream), so unless the caller injected its own fetch, the upload request goes out
 * through node:http, the file read only as fast as the socket takes it (~100 MB RSS for 600 MB).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** Where a file entry's bytes live on disk: `[start, end)` of `path`. */
export interface DiskSource {
  path: string;
  start: number;
  end: number;
}

export type ByteCounter = (sentSoFar: number) => void;

/**
 * Chunk size of disk reads. With the stream default of 64 KB, the per-chunk cost of the read, the
 * write and the progress callback halved throughput; a fresh 1 MB Buffer per chunk still made the
 * garbage collector run all through an upload, so the node:http path reuses two buffers.
 */
const READ_CHUNK = 1 << 20;

/** `injected`: a fetch the caller configured, used as is; without one (or with the platform's own), uploads use node:http. */
export function diskFormFetch(injected: typeof fetch | undefined, source: DiskSource, count: ByteCounter): typeof fetch {
  const custom = injected === globalThis.fetch ? undefined : injected;
  const inner = custom ?? globalThis.fetch;
  const wrapper: typeof fetch = (input, init) => {
    if (!(init?.body instanceof FormData)) return inner(input, init);
    const boundary = `llmgw-${randomBytes(12).toString('hex')}`;
    const { length, pieces } = encode(init.body, boundary, source);
    const headers = new Headers(init.headers);
    headers.set('content-type', `multipart/form-data; boundary=${boundary}`);
    headers.set('content-length', String(length));
    const url = input instanceof Request ? input.url : String(input);
    if (!custom) return send(url, init.method ?? 'POST', headers, pieces, count, init.signal ?? undefined);
    return inner(input, { ...init, headers, body: pullStream(counted(chunks(pieces), count)), duplex: 'half' } as RequestInit);
  };
  // The SDK checks that a new fetch can send FormData by fetching a `data:` URL first (a few ms, once
  // per part, as each part has its own wrapper), unless the fetch names its Response class.
  return Object.assign(wrapper, { Response });
}

/** One request through node:http(s), its body written piece by piece, answered as a fetch `Response`. */
function send(url: string, method: string, headers: Headers, pieces: Piece[], count: ByteCounter, signal: AbortSignal | undefined): Promise<Response> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const req = request(url, { method, headers: Object.fromEntries(headers), ...(signal && { signal }) }, (res) => resolve(toResponse(res)));
    req.on('error', reject);
    // A body that cannot be sent in full (the file shrank, the socket went) ends the request, with that error.
    writeBody(req, pieces, count).catch((err: unknown) => req.destroy(err instanceof Error ? err : new Error(String(err))));
  });
}

async function writeBody(req: ClientRequest, pieces: Piece[], count: ByteCounter): Promise<void> {
  let sent = 0;
  const add = (bytes: number): void => count((sent += bytes));
  for (const piece of pieces) {
    if (!Buffer.isBuffer(piece)) await writeRange(req, piece, add);
    else {
      await write(req, piece);
      add(piece.length);
    }
  }
  req.end();
}

/** Sends `[start, end)` of the file through two reused buffers, each read into again only once the socket has taken it (so at most 2 MB in flight). */
async function writeRange(req: ClientRequest, source: DiskSource, add: (bytes: number) => void): Promise<void> {
  const file = await open(source.path, 'r');
  interface Slot {
    buffer: Buffer;
    written?: Promise<void>;
  }
  let [slot, other]: [Slot, Slot] = [{ buffer: Buffer.allocUnsafe(READ_CHUNK) }, { buffer: Buffer.allocUnsafe(READ_CHUNK) }];
  try {
    for (let pos = source.start; pos < source.end; [slot, other] = [other, slot]) {
      await slot.written;
      const { bytesRead } = await file.read(slot.buffer, 0, Math.min(READ_CHUNK, source.end - pos), pos);
      if (bytesRead === 0) throw new Error(`${source.path} ended at byte ${pos}, before byte ${source.end} of the upload`);
      pos += bytesRead;
      slot.written = write(req, slot.buffer.subarray(0, bytesRead));
      // Handled here so a failure while the loop awaits the other slot is not an unhandled rejection; still awaited.
      slot.written.catch(() => undefined);
      add(bytesRead);
    }
    await Promise.all([slot.written, other.written]);
  } finally {
    await file.close();
  }
}

/** Resolves once the socket has taken `chunk`; rejects if the request closes first. */
function write(req: ClientRequest, chunk: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const closed = (): void => reject(new Error('the request closed before its body was sent'));
    req.once('close', closed);
    req.write(chunk, (err) => {
      req.off('close', closed);
      if (err) reject(err);
      else resolve();
    });
  });
}

function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  const status = res.statusCode ?? 502;
  const empty = status === 204 || status === 205 || status === 304;
  if (empty) res.resume();
  return new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, statusText: res.statusMessage ?? '', headers });
}

/** A piece of the body: framing bytes, or the file entry's bytes on disk (read afresh on every attempt). */
type Piece = Buffer | DiskSource;

async function* chunks(pieces: Piece[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    if (Buffer.isBuffer(piece)) yield piece;
    else yield* createReadStream(piece.path, { start: piece.start, end: piece.end - 1, highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>;
  }
}

async function* counted(source: AsyncGenerator<Uint8Array>, count: ByteCounter): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for await (const chunk of source) {
    sent += chunk.byteLength;
    count(sent);
    yield chunk;
  }
}

function encode(form: FormData, boundary: string, source: DiskSource): { length: number; pieces: Piece[] } {
  const pieces: Piece[] = [];
  let length = 0;
  // Adjacent framing bytes are joined, so they go out in one write rather than several tiny ones.
  const add = (piece: Piece, bytes = Buffer.isBuffer(piece) ? piece.length : 0): void => {
    const last = pieces.at(-1);
    if (Buffer.isBuffer(piece) && Buffer.isBuffer(last)) pieces[pieces.length - 1] = Buffer.concat([last, piece]);
    else pieces.push(piece);
    length += bytes;
  };
  for (const [name, value] of form.entries()) {
    const file = typeof value === 'string' ? null : value;
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="${escape(name)}"` +
      (file ? `; filename="${escape(file.name)}"\r\nContent-Type: ${file.type || 'application/octet-stream'}` : '') +
      '\r\n\r\n';
    add(Buffer.from(head));
    if (!file) add(Buffer.from(value as string));
    // The SDK's form holds the one File the adapter made over the source's bytes.
    else if (file.size !== source.end - source.start) throw new Error(`form entry ${name} has ${file.size} bytes, not the ${source.end - source.start} of ${source.path}`);
    else if (file.size > 0) add(source, file.size);
    add(Buffer.from('\r\n'));
  }
  add(Buffer.from(`--${boundary}--\r\n`));
  return { length, pieces };
}

/** A pull-driven web stream: the next chunk is read only when fetch asks for it. */
function pullStream(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctl) {
        const next = await source.next();
        if (next.done) ctl.close();
        else ctl.enqueue(next.value);
      },
      async cancel() {
        await source.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

function escape(value: string): string {
  return value.replace(/["\\\r\n]/g, encodeURIComponent);
}
