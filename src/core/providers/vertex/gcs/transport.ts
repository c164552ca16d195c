/**
 * The transport of Cloud Storage requests: node:http(s) with kept-alive connections, answering
 * with a standard `Response`. Measured on loopback, `fetch` (undici) spent 4-5 times the CPU of
 * node:http on 8 MiB request bodies, which is most of an upload's cost; the API calls llmgw makes
 * are simple enough to do without it. Redirects are not followed (a 308 is the protocol's
 * "resume incomplete").
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
const NULL_BODY = new Set([101, 204, 205, 304]);

function headersOf(init: RequestInit): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => (out[key] = value));
  return out;
}

/** One request; the answer's body is read whole (API answers are small), or streamed with `stream`. */
function nodeRequest(input: Parameters<typeof fetch>[0], init: RequestInit, stream: boolean): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const body = init.body as Buffer | string | null | undefined;
    if (body !== null && body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) throw new TypeError('nodeFetch takes a Buffer or string body');
    const headers = headersOf(init);
    headers['content-length'] = String(body === null || body === undefined ? 0 : Buffer.byteLength(body));
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const req = send(url, { method: init.method ?? 'GET', headers, agent: https ? agents.https : agents.http, signal: init.signal ?? undefined }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
      const answer = (b: ConstructorParameters<typeof Response>[0]): void => resolve(new Response(NULL_BODY.has(status) ? null : b, { status, statusText: res.statusMessage ?? '', headers: h }));
      if (stream && status >= 200 && status < 300) return answer(Readable.toWeb(res) as ReadableStream<Uint8Array>);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => answer(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** For API calls and upload chunks: the answer read whole, so the connection is free again at once. */
export const nodeFetch: typeof fetch = (input, init = {}) => nodeRequest(input, init, false);

/** For downloads: a successful answer's body streams (an object is never held whole). */
export const nodeStreamFetch: typeof fetch = (input, init = {}) => nodeRequest(input, init, true);
