/**
 * Vertex AI `generateContent` on 127.0.0.1, written from the REST reference
 * (projects.locations.publishers.models.generateContent / streamGenerateContent and the same on
 * endpoints): `POST /v1/projects/P/locations/L/publishers/google/models/M:generateContent`, or
 * `…/endpoints/N:generateContent`; `:streamGenerateContent?alt=sse` answers server-sent events,
 * one `GenerateContentResponse` per event. Auth: `x-goog-api-key` (express mode) or a bearer
 * token. Errors: `{"error": {code, message, status}}` (google.rpc.Status). Answers come from the
 * shared response table (../openai/chat-table.ts), keyed by the model id or the endpoint name.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep, TableResponder, type ChatReply, type ChatTable } from '../openai/chat-table.js';

export interface GeminiFakeOptions {
  table?: ChatTable;
  apiKey?: string;
}

export interface GeminiFake {
  /** Pass as GOOGLE_VERTEX_BASE_URL. */
  baseUrl: string;
  requests: { path: string; body: Record<string, unknown>; apiKey: string | undefined }[];
  close(): Promise<void>;
}

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

function error(res: ServerResponse, code: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { code, message, status: STATUS[code] ?? 'UNKNOWN' } }));
}

function lastUserText(contents: unknown): string {
  if (!Array.isArray(contents)) return '';
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i] as { role?: string; parts?: { text?: string }[] };
    if (c.role === 'user' && c.parts?.some((p) => typeof p.text === 'string')) return c.parts.map((p) => p.text ?? '').join('');
  }
  return '';
}

function response(reply: ChatReply, model: string, parts: Record<string, unknown>[], withUsage: boolean): string {
  return JSON.stringify({
    candidates: [{ content: { role: 'model', parts }, ...(withUsage && { finishReason: 'STOP' }), index: 0 }],
    ...(withUsage && { usageMetadata: { promptTokenCount: reply.usage?.input ?? 10, candidatesTokenCount: reply.usage?.output ?? 5, totalTokenCount: (reply.usage?.input ?? 10) + (reply.usage?.output ?? 5) } }),
    modelVersion: model,
    createTime: new Date().toISOString(),
    responseId: 'fake-response',
  });
}

async function answer(res: ServerResponse, reply: ChatReply, model: string, stream: boolean): Promise<void> {
  if (reply.delayMs) await sleep(reply.delayMs);
  if (reply.status) return error(res, reply.status, reply.message ?? `The fake answered ${reply.status}.`, reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {});
  const calls = (reply.toolCalls ?? []).map((t) => ({ functionCall: { name: t.name, args: JSON.parse(t.arguments || '{}') as unknown } }));
  const text = reply.text ?? '';
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(response(reply, model, [...(text ? [{ text }] : []), ...calls], true));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  if (reply.ttftMs) await sleep(reply.ttftMs);
  const cut = Math.ceil(text.length / 2);
  const pieces: Record<string, unknown>[][] = [...(text ? [[{ text: text.slice(0, cut) }], [{ text: text.slice(cut) }]] : []), ...calls.map((c) => [c])];
  if (pieces.length === 0) pieces.push([{ text: '' }]);
  pieces.forEach((parts, i) => res.write(`data: ${response(reply, model, parts, i === pieces.length - 1)}\r\n\r\n`));
  res.end();
}

const ROUTE = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/(?:publishers\/[^/]+\/models\/([^/:]+)|endpoints\/\d+)):(generateContent|streamGenerateContent)$/;

export async function startGeminiFake(opts: GeminiFakeOptions = {}): Promise<GeminiFake> {
  const requests: GeminiFake['requests'] = [];
  const responder = new TableResponder(opts.table);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const m = ROUTE.exec(url.pathname);
        if (req.method !== 'POST' || !m) return error(res, 404, `Not found: ${req.method} ${url.pathname}`);
        const apiKey = req.headers['x-goog-api-key'] as string | undefined;
        if (opts.apiKey !== undefined && apiKey !== opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) return error(res, 401, 'Request had invalid authentication credentials.');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        if (!Array.isArray(body.contents) || body.contents.length === 0) return error(res, 400, 'contents is required and must not be empty.');
        requests.push({ path: url.pathname, body, apiKey });
        const model = m[2] ?? (m[1] as string);
        const reply = responder.reply({ model, prompt: lastUserText(body.contents), body });
        await answer(res, reply, model, m[3] === 'streamGenerateContent');
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
