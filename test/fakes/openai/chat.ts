/**
 * A minimal OpenAI-compatible `POST /v1/chat/completions` upstream on 127.0.0.1 (port 0), for
 * tests that put a real gateway in front of "OpenAI" and count which model each request reached.
 * It answers every chat request with a fixed assistant message, echoing the requested model.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatUpstream {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  /** The `model` of every chat request received, in order. */
  models: string[];
  /** The `Authorization` header of every request received, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startChatUpstream(): Promise<ChatUpstream> {
  const models: string[] = [];
  const authorizations: (string | undefined)[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    void body(req).then((text) => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', code: null, param: null } }));
        return;
      }
      const request = JSON.parse(text || '{}') as { model?: string };
      const model = request.model ?? '';
      models.push(model);
      authorizations.push(req.headers.authorization);
      n += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-fake${n}`,
          object: 'chat.completion',
          created: 1764000000,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    models,
    authorizations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
