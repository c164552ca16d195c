/**
 * An OpenAI-compatible `POST /v1/chat/completions` on 127.0.0.1 (port 0), written from OpenAI's
 * API reference: JSON answers, or with `stream: true` server-sent events of
 * `chat.completion.chunk` objects ending in `data: [DONE]`, plus a last chunk with empty
 * `choices` and `usage` when `stream_options.include_usage` is set. Errors in OpenAI's
 * `{"error": {message, type, param, code}}` shape: 401 for a wrong key, 404 `model_not_found`.
 * Answers come from a response table (chat-table.ts); without one every request gets "ok",
 * echoing the requested model (what the gateway test counts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep, TableResponder, textOf, type ChatAsk, type ChatReply, type ChatTable } from './chat-table.js';

export interface ChatUpstreamOptions {
  table?: ChatTable;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** When set, any other model is answered 404 `model_not_found`. */
  models?: string[];
  /** Answers requests the table has no row for (default: "ok"). */
  fallback?: (ask: ChatAsk) => ChatReply;
}

export interface ChatUpstream {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  /** The `model` of every chat request received, in order. */
  models: string[];
  /** The `Authorization` header of every request received, in order. */
  authorizations: (string | undefined)[];
  /** Every chat request body, its headers and its URL (path and query), in order. */
  requests: { body: Record<string, unknown>; headers: Record<string, string | string[] | undefined>; url: string }[];
  responder: TableResponder;
  close(): Promise<void>;
}

const CREATED = 1764000000;

function error(res: ServerResponse, status: number, message: string, code: string | null, type = 'invalid_request_error', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake${status}`, ...headers });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m?.role === 'user') return textOf(m.content);
  }
  return '';
}

function toolCalls(reply: ChatReply) {
  return (reply.toolCalls ?? []).map((t, index) => ({ index, id: `call_fake${index}`, type: 'function', function: { name: t.name, arguments: t.arguments } }));
}

async function answer(res: ServerResponse, model: string, body: Record<string, unknown>, reply: ChatReply, n: number): Promise<void> {
  if (reply.delayMs) await sleep(reply.delayMs);
  if (reply.status) {
    const headers: Record<string, string> = reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {};
    const type = reply.status === 429 ? 'requests' : reply.status >= 500 ? 'server_error' : 'invalid_request_error';
    return error(res, reply.status, reply.message ?? `The fake answered ${reply.status}.`, reply.code ?? null, type, headers);
  }
  const usage = { prompt_tokens: reply.usage?.input ?? 10, completion_tokens: reply.usage?.output ?? 5, total_tokens: (reply.usage?.input ?? 10) + (reply.usage?.output ?? 5) };
  const calls = toolCalls(reply);
  const finish = calls.length ? 'tool_calls' : 'stop';
  const id = `chatcmpl-fake${n}`;
  if (body.stream !== true) {
    const message = { role: 'assistant', content: calls.length && !reply.text ? null : (reply.text ?? ''), refusal: null, ...(calls.length && { tool_calls: calls.map(({ index: _i, ...c }) => c) }) };
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${id}` });
    res.end(JSON.stringify({ id, object: 'chat.completion', created: CREATED, model, choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': `req_${id}` });
  const send = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: null, choices, ...extra })}\n\n`);
  send([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]);
  if (reply.ttftMs) await sleep(reply.ttftMs);
  // The text in two pieces, so a client has to join deltas.
  const text = reply.text ?? '';
  const cut = Math.ceil(text.length / 2);
  for (const piece of text ? [text.slice(0, cut), text.slice(cut)].filter(Boolean) : []) send([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]);
  for (const c of calls) {
    const half = Math.ceil(c.function.arguments.length / 2);
    send([{ index: 0, delta: { tool_calls: [{ index: c.index, id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments.slice(0, half) } }] }, logprobs: null, finish_reason: null }]);
    send([{ index: 0, delta: { tool_calls: [{ index: c.index, function: { arguments: c.function.arguments.slice(half) } }] }, logprobs: null, finish_reason: null }]);
  }
  send([{ index: 0, delta: {}, logprobs: null, finish_reason: finish }]);
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (options?.include_usage) send([], { usage });
  res.end('data: [DONE]\n\n');
}

type ChatRecords = Pick<ChatUpstream, 'models' | 'authorizations' | 'requests' | 'responder'>;

/** The chat completions handler alone, for a server that also serves other routes (the OpenAI fake's `npm run fake`). */
export function chatRequestHandler(opts: ChatUpstreamOptions = {}): ((req: IncomingMessage, res: ServerResponse) => void) & ChatRecords {
  const models: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const requests: ChatUpstream['requests'] = [];
  const responder = new TableResponder(opts.table, opts.fallback);
  let n = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    void readBody(req).then(async (text) => {
      if (req.method !== 'POST' || !req.url?.split('?')[0]?.endsWith('/chat/completions')) {
        return error(res, 404, `Invalid URL (${req.method} ${req.url})`, null);
      }
      if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        return error(res, 401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_api_key');
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text || '{}') as Record<string, unknown>;
      } catch {
        return error(res, 400, 'We could not parse the JSON body of your request.', null);
      }
      if (!Array.isArray(body.messages)) return error(res, 400, "Missing required parameter: 'messages'.", 'missing_required_parameter');
      const model = typeof body.model === 'string' ? body.model : '';
      models.push(model);
      authorizations.push(req.headers.authorization);
      requests.push({ body, headers: { ...req.headers, authorization: undefined }, url: req.url ?? '' });
      if (opts.models && !opts.models.includes(model)) {
        return error(res, 404, `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found');
      }
      n += 1;
      await answer(res, model, body, responder.reply({ model, prompt: lastUserText(body.messages), body }), n);
    }).catch(() => res.destroy());
  };
  return Object.assign(handle, { models, authorizations, requests, responder });
}

export async function startChatUpstream(opts: ChatUpstreamOptions = {}): Promise<ChatUpstream> {
  const handler = chatRequestHandler(opts);
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    models: handler.models,
    authorizations: handler.authorizations,
    requests: handler.requests,
    responder: handler.responder,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
