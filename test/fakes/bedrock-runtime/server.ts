/**
 * Amazon Bedrock runtime `Converse` and `ConverseStream` on 127.0.0.1, written from the API
 * reference: `POST /model/{modelId}/converse` (the id or ARN URL-encoded) with `{messages, system,
 * inferenceConfig, toolConfig}`, answered with `{output: {message}, stopReason, usage, metrics}`;
 * `POST /model/{modelId}/converse-stream`, the same request, answered 200 with an
 * `application/vnd.amazon.eventstream` body: messageStart, per content block contentBlockStart
 * (tool use: id and name), contentBlockDelta (text, or the tool input as JSON text fragments) and
 * contentBlockStop, then messageStop and metadata (usage, metrics). A reply whose `code` names
 * one of the stream's exception members (`throttlingException`, `serviceUnavailableException`,
 * `internalServerException`, `modelStreamErrorException`, `validationException`) is sent, on the
 * stream, as that exception event after messageStart, as Bedrock does when it fails mid-answer;
 * on `Converse` it is the HTTP error of its `status`.
 * Served over HTTP/2 without TLS (h2c), as the SDK's runtime client speaks HTTP/2 by default.
 * Requests must be SigV4-signed (`Authorization: AWS4-HMAC-SHA256 Credential=<key id>/…`).
 * Errors carry `x-amzn-errortype` and `{message}`: 403 AccessDeniedException, 404
 * ResourceNotFoundException, 429 ThrottlingException, 500 InternalServerException. Answers come
 * from the shared response table, keyed by the model id.
 */
import { createServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { sleep, TableResponder, type ChatReply, type ChatTable } from '../openai/chat-table.js';
import { eventMessage, exceptionMessage } from './event-stream.js';

export interface BedrockFakeOptions {
  table?: ChatTable;
  /** The access key id requests must be signed with. */
  accessKeyId?: string;
  /** Model ids that exist (others: 404); any when unset. */
  models?: string[];
}

export interface BedrockFake {
  /** Pass as AWS_ENDPOINT_URL_BEDROCK_RUNTIME. */
  endpoint: string;
  requests: { modelId: string; operation: 'converse' | 'converse-stream'; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

const STREAM_EXCEPTIONS = new Set(['throttlingException', 'serviceUnavailableException', 'internalServerException', 'modelStreamErrorException', 'validationException']);

const ERROR_TYPE: Record<number, string> = { 400: 'ValidationException', 403: 'AccessDeniedException', 404: 'ResourceNotFoundException', 429: 'ThrottlingException', 500: 'InternalServerException', 503: 'ServiceUnavailableException' };

function error(res: Http2ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${ERROR_TYPE[status] ?? 'InternalServerException'}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'fake-request-id', ...headers });
  res.end(JSON.stringify({ message }));
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: string; content?: { text?: string }[] };
    if (m.role === 'user' && m.content?.some((c) => typeof c.text === 'string')) return m.content.map((c) => c.text ?? '').join('');
  }
  return '';
}

function usageOf(reply: ChatReply): { inputTokens: number; outputTokens: number; totalTokens: number } {
  const input = reply.usage?.input ?? 10;
  const output = reply.usage?.output ?? 5;
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}

const stopReason = (reply: ChatReply): string => (reply.toolCalls?.length ? 'tool_use' : 'end_turn');

function streamHead(res: Http2ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'fake-request-id' });
  res.write(eventMessage('messageStart', { role: 'assistant' }));
}

function streamException(res: Http2ServerResponse, reply: ChatReply): void {
  streamHead(res);
  res.end(exceptionMessage(reply.code ?? 'internalServerException', reply.message ?? 'The fake failed the stream.'));
}

/** Splits text in two (or keeps it whole when shorter than 2), so a client must join fragments. */
function halves(text: string): string[] {
  if (text.length < 2) return [text];
  const mid = Math.floor(text.length / 2);
  return [text.slice(0, mid), text.slice(mid)];
}

async function stream(res: Http2ServerResponse, reply: ChatReply): Promise<void> {
  streamHead(res);
  if (reply.ttftMs) await sleep(reply.ttftMs);
  let index = 0;
  if (reply.text) {
    for (const text of halves(reply.text)) res.write(eventMessage('contentBlockDelta', { contentBlockIndex: index, delta: { text } }));
    res.write(eventMessage('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  for (const [i, call] of (reply.toolCalls ?? []).entries()) {
    res.write(eventMessage('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId: `tooluse_${i}`, name: call.name } } }));
    for (const input of halves(call.arguments)) res.write(eventMessage('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }));
    res.write(eventMessage('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  res.write(eventMessage('messageStop', { stopReason: stopReason(reply) }));
  res.end(eventMessage('metadata', { usage: usageOf(reply), metrics: { latencyMs: reply.delayMs ?? 1 } }));
}

export async function startBedrockFake(opts: BedrockFakeOptions = {}): Promise<BedrockFake> {
  const requests: BedrockFake['requests'] = [];
  const responder = new TableResponder(opts.table);
  const keyId = opts.accessKeyId ?? 'AKIDFAKEEXAMPLE';
  const sessions = new Set<Http2Session>();
  const server = createServer((req: Http2ServerRequest, res: Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const m = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !m) return error(res, 404, `Unknown operation ${req.method} ${req.url}`);
        if (!String(req.headers.authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${keyId}/`)) return error(res, 403, 'The security token included in the request is invalid.', { 'x-amzn-errortype': 'UnrecognizedClientException:' });
        const modelId = decodeURIComponent(m[1] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        if (!Array.isArray(body.messages) || body.messages.length === 0) return error(res, 400, 'The messages field is required.');
        const operation = m[2] === 'converse-stream' ? 'converse-stream' : 'converse';
        requests.push({ modelId, operation, body });
        if (opts.models && !opts.models.includes(modelId)) return error(res, 404, 'The provided model identifier is invalid.');
        const reply = responder.reply({ model: modelId, prompt: lastUserText(body.messages), body });
        if (reply.delayMs) await sleep(reply.delayMs);
        if (operation === 'converse-stream' && reply.code && STREAM_EXCEPTIONS.has(reply.code)) return streamException(res, reply);
        if (reply.status) return error(res, reply.status, reply.message ?? `The fake answered ${reply.status}.`, reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {});
        if (operation === 'converse-stream') return stream(res, reply);
        const content = [...(reply.text ? [{ text: reply.text }] : []), ...(reply.toolCalls ?? []).map((t, i) => ({ toolUse: { toolUseId: `tooluse_${i}`, name: t.name, input: JSON.parse(t.arguments || '{}') as unknown } }))];
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'fake-request-id' });
        res.end(JSON.stringify({ output: { message: { role: 'assistant', content } }, stopReason: stopReason(reply), usage: usageOf(reply), metrics: { latencyMs: reply.delayMs ?? 1 } }));
      })().catch(() => res.destroy());
    });
  });
  server.on('session', (s: Http2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const s of sessions) s.destroy();
      server.close(() => resolve());
    }),
  };
}
