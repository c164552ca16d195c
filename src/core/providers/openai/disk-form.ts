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
import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where a file entry's bytes live on disk: `[start, end)` of `path`. */
export interface DiskSource {
  path: string;
  start: number;
  end: number;
}

export type ByteCounter = (sentSoFar: number) => void;

/** `injected`: a fetch the caller configured, used as is; without one (or with the platform's own), uploads use node:http. */
export function diskFormFetch(injected: typeof fetch | undefined, source: DiskSource, count: ByteCounter): typeof fetch {
  const custom = injected === globalThis.fetch ? undefined : injected;
  const inner = custom ?? globalThis.fetch;
  return (input, init) => {
    if (!(init?.body instanceof FormData)) return inner(input, init);
    const boundary = `llmgw-${randomBytes(12).toString('hex')}`;
    const pieces = encode(init.body, boundary, source);
    const headers = new Headers(init.headers);
    headers.set('content-type', `multipart/form-data; boundary=${boundary}`);
    headers.set('content-length', String(pieces.length));
    const url = input instanceof Request ? input.url : String(input);
    const body = counted(pieces.chunks(), count);
    if (!custom) return send(url, init.method ?? 'POST', headers, body, init.signal ?? undefined);
    return inner(input, { ...init, headers, body: pullStream(body), duplex: 'half' } as RequestInit);
  };
}

/** One request through node:http(s) with a piped body, answered as a fetch `Response`. */
function send(url: string, method: string, headers: Headers, body: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): Promise<Response> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const req = request(url, { method, headers: Object.fromEntries(headers), ...(signal && { signal }) }, (res) => resolve(toResponse(res)));
    req.on('error', reject);
    pipeline(Readable.from(body, { objectMode: false }), req).catch(reject);
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

async function* counted(source: AsyncGenerator<Uint8Array>, count: ByteCounter): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for await (const chunk of source) {
    sent += chunk.byteLength;
    count(sent);
    yield chunk;
  }
}

interface Encoded {
  length: number;
  chunks: () => AsyncGenerator<Uint8Array>;
}

function encode(form: FormData, boundary: string, source: DiskSource): Encoded {
  const parts: (Buffer | File)[] = [];
  for (const [name, value] of form.entries()) {
    const file = typeof value === 'string' ? null : value;
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="${escape(name)}"` +
      (file ? `; filename="${escape(file.name)}"\r\nContent-Type: ${file.type || 'application/octet-stream'}` : '') +
      '\r\n\r\n';
    parts.push(Buffer.from(head), file ?? Buffer.from(value as string), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const length = parts.reduce((n, p) => n + (p instanceof File ? p.size : p.length), 0);
  const chunks = async function* (): AsyncGenerator<Uint8Array> {
    for (const p of parts) {
      if (!(p instanceof File)) yield p;
      else if (p.size === 0) continue;
      else if (p.size === source.end - source.start) yield* createReadStream(source.path, { start: source.start, end: source.end - 1 }) as AsyncIterable<Buffer>;
      else for await (const chunk of p.stream()) yield chunk;
    }
  };
  return { length, chunks };
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
