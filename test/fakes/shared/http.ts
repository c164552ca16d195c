/**
 * Plain node:http plumbing for the fake provider servers: a server on 127.0.0.1 port 0 that
 * closes cleanly, a tiny router, JSON bodies with a size cap, request records and provider-shaped
 * errors. Each fake decides its own error body through `HttpError.body`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An error answer: status, body and extra headers. Thrown by route handlers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** What a fake remembers about every request it received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Request headers, minus `authorization` (tests check the key went nowhere else). */
  headers: Record<string, string>;
  /** Whether an `authorization` header was present (its value is not kept). */
  hadAuthorization: boolean;
  bodyBytes: number;
  /** JSON request bodies as text (multipart bodies are not kept). */
  bodyText: string | null;
  status: number | null;
  /** What happened instead of a normal answer, if a fault fired. */
  fault: string | null;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  record: RecordedRequest;
}

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;

/** A handler's answer: status and JSON body, or raw bytes. */
export type Reply = { status?: number; json: unknown; headers?: Record<string, string> } | { status?: number; raw: Buffer; contentType: string };

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** Routes like `GET /v1/files/:file_id`; a param matches one path segment, URL-decoded. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path.replace(/:([a-z_]+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  find(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'wrong_method' | undefined {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      return { handler: r.handler, params };
    }
    return pathMatched ? 'wrong_method' : undefined;
  }
}

export interface StartedServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0. `close()` also drops kept-alive connections. */
export async function listen(onRequest: (req: IncomingMessage, res: ServerResponse) => void): Promise<StartedServer> {
  const sockets = new Set<Socket>();
  const server = createServer(onRequest);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function newRecord(req: IncomingMessage, path: string, query: URLSearchParams): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k !== 'authorization' && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method ?? 'GET',
    path,
    query: Object.fromEntries(query),
    headers,
    hadAuthorization: req.headers.authorization !== undefined,
    bodyBytes: 0,
    bodyText: null,
    status: null,
    fault: null,
  };
}

/** Reads a JSON body up to `limit` bytes; `undefined` for an empty body. Throws `invalid` for bad JSON. */
export async function readJson(ctx: RequestContext, limit: number, invalid: () => HttpError): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    ctx.record.bodyBytes = size;
    if (size > limit) throw invalid();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  ctx.record.bodyText = text;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid();
  }
}

export function writeReply(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string>): void {
  const status = reply.status ?? 200;
  const headers = { ...extraHeaders, ...('headers' in reply ? reply.headers : {}) };
  if ('raw' in reply) {
    res.writeHead(status, { ...headers, 'content-type': reply.contentType, 'content-length': String(reply.raw.length) });
    res.end(reply.raw);
    return;
  }
  const body = Buffer.from(JSON.stringify(reply.json));
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(body);
}

/** Drains what is left of a request body so the connection can be reused. */
export async function drain(req: IncomingMessage, record: RecordedRequest): Promise<void> {
  for await (const chunk of req as AsyncIterable<Buffer>) record.bodyBytes += chunk.length;
}

export function randomId(prefix: string, length = 24): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${prefix}${out}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
