/**
 * Amazon Bedrock runtime `Converse` on 127.0.0.1, written from the API reference:
 * `POST /model/{modelId}/converse` (the id or ARN URL-encoded) with `{messages, system,
 * inferenceConfig, toolConfig}`, answered with `{output: {message}, stopReason, usage, metrics}`.
 * Served over HTTP/2 without TLS (h2c), as the SDK's runtime client speaks HTTP/2 by default.
 * Requests must be SigV4-signed (`Authorization: AWS4-HMAC-SHA256 Credential=<key id>/…`).
 * Errors carry `x-amzn-errortype` and `{message}`: 403 AccessDeniedException, 404
 * ResourceNotFoundException, 429 ThrottlingException, 500 InternalServerException. Answers come
 * from the shared response table, keyed by the model id.
 */
import { createServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { sleep, TableResponder, type ChatTable } from '../openai/chat-table.js';

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
  requests: { modelId: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

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
        const m = /^\/model\/([^/]+)\/converse$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !m) return error(res, 404, `Unknown operation ${req.method} ${req.url}`);
        if (!String(req.headers.authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${keyId}/`)) return error(res, 403, 'The security token included in the request is invalid.', { 'x-amzn-errortype': 'UnrecognizedClientException:' });
        const modelId = decodeURIComponent(m[1] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        if (!Array.isArray(body.messages) || body.messages.length === 0) return error(res, 400, 'The messages field is required.');
        requests.push({ modelId, body });
        if (opts.models && !opts.models.includes(modelId)) return error(res, 404, 'The provided model identifier is invalid.');
        const reply = responder.reply({ model: modelId, prompt: lastUserText(body.messages), body });
        if (reply.delayMs) await sleep(reply.delayMs);
        if (reply.status) return error(res, reply.status, reply.message ?? `The fake answered ${reply.status}.`, reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {});
        const content = [...(reply.text ? [{ text: reply.text }] : []), ...(reply.toolCalls ?? []).map((t, i) => ({ toolUse: { toolUseId: `tooluse_${i}`, name: t.name, input: JSON.parse(t.arguments || '{}') as unknown } }))];
        const usage = { inputTokens: reply.usage?.input ?? 10, outputTokens: reply.usage?.output ?? 5, totalTokens: (reply.usage?.input ?? 10) + (reply.usage?.output ?? 5) };
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'fake-request-id' });
        res.end(JSON.stringify({ output: { message: { role: 'assistant', content } }, stopReason: reply.toolCalls?.length ? 'tool_use' : 'end_turn', usage, metrics: { latencyMs: reply.delayMs ?? 1 } }));
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
