/**
 * A fetch wrapper that sends multipart bodies streamed from disk, counting bytes as they go.
 *
 * The SDK only retries bodies it can rebuild, so it is handed a FormData; on every attempt this
 * wrapper encodes it afresh, reading the file entry from disk. Node 20's fetch reads a request
 * body far ahead of the socket (a 600 MB upload peaked at ~680 MB RSS, whether the body was a
 * Blob or a stream), so unless the caller injected its own fetch, the upload request goes out
 * through node:http, whose pipe only reads what the socket takes (~75 MB RSS).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** Where a file entry's bytes live on disk: `[start, end)` of `path`. */
export interface DiskSource {
  path: string;
  start: number;
  end: number;
}

export type ByteCounter = (sentSoFar: number) => void;

/** Reads from disk in 1 MB chunks: with the 64 KB default, the per-chunk cost of the read, the write and the progress callback halved throughput. */
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

/** One request through node:http(s), its body written piece by piece (the file range piped straight from disk), answered as a fetch `Response`. */
function send(url: string, method: string, headers: Headers, pieces: Piece[], count: ByteCounter, signal: AbortSignal | undefined): Promise<Response> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const req = request(url, { method, headers: Object.fromEntries(headers), ...(signal && { signal }) }, (res) => resolve(toResponse(res)));
    req.on('error', reject);
    writeBody(req, pieces, count).catch(reject);
  });
}

async function writeBody(req: ClientRequest, pieces: Piece[], count: ByteCounter): Promise<void> {
  let sent = 0;
  for (const piece of pieces) {
    if (Buffer.isBuffer(piece)) {
      const more = req.write(piece);
      count((sent += piece.length));
      if (!more) await once(req, 'drain');
      continue;
    }
    const stream = piece();
    // Both listeners are in place before the stream starts flowing (on the next tick).
    const piped = pipeline(stream, req, { end: false });
    stream.on('data', (chunk: Buffer) => count((sent += chunk.length)));
    await piped;
  }
  req.end();
}

function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  const status = res.statusCode ?? 502;
  const empty = status === 204 || status === 205 || status === 304;
  if (empty) res.resume();
  return new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, statusText: res.statusMessage ?? '', headers });
}

/** A piece of the body: framing bytes, or a way to open a file entry's bytes as a stream (afresh on every attempt). */
type Piece = Buffer | (() => Readable);

async function* chunks(pieces: Piece[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    if (Buffer.isBuffer(piece)) yield piece;
    else yield* piece() as AsyncIterable<Buffer>;
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
    else if (file.size > 0) add(file.size === source.end - source.start ? () => createReadStream(source.path, { start: source.start, end: source.end - 1, highWaterMark: READ_CHUNK }) : () => Readable.fromWeb(file.stream() as WebReadableStream<Uint8Array>), file.size);
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
