/**
 * A LiteLLM proxy on 127.0.0.1, written from LiteLLM's proxy documents: it reads a `config.yaml`
 * (`model_list` of `{model_name, litellm_params}`, as `llmgw models export --to litellm` writes
 * it), and answers OpenAI's `POST /chat/completions` (also under `/v1`) for a caller holding the
 * master key (`Authorization: Bearer <key>`, or `x-litellm-api-key`). The request's `model` is a
 * `model_name` of the config, or matches a wildcard one (`openai/*`); among that group's
 * deployments one is picked by `litellm_params.weight` (simple-shuffle), and the request is
 * forwarded to its provider with the deployment's own model id and key, as LiteLLM does.
 * `os.environ/VAR` values are read from the proxy's environment, as is the OpenAI base URL
 * (`OPENAI_API_BASE`, `OPENAI_BASE_URL`) when the deployment has no `api_base`. Only `openai/`
 * deployments are forwarded (enough for an OpenAI-compatible upstream fake). Answers carry
 * `x-litellm-model-id`, `x-litellm-model-group`, `x-litellm-model-api-base` and
 * `x-litellm-call-id`. Errors in LiteLLM's shape, `{"error": {message, type, param, code}}`
 * with `code` a string: 401 `auth_error` for a wrong key, 400 for an unknown model name.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { parse } from 'yaml';

export interface LiteLLMFakeOptions {
  /** The proxy's config.yaml, as text. */
  config: string;
  masterKey: string;
  /** The proxy's environment: what `os.environ/VAR` and the provider base URLs read. */
  env?: Record<string, string>;
}

export interface LiteLLMFake {
  /** The proxy's address, as given to `--via`. */
  url: string;
  /** Every chat request as received: path, the `model` asked for, the key, and the deployment that served it. */
  requests: { path: string; model: unknown; authorization: string | undefined; stream: boolean; deployment: string | null }[];
  close(): Promise<void>;
}

interface Deployment {
  model_name: string;
  litellm_params: { model: string; api_key?: string; api_base?: string; weight?: number; [k: string]: unknown };
}

function error(res: ServerResponse, status: number, message: string, type: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, param: 'None', code: String(status) } }));
}

/** The deployments serving `model`: its group, or a wildcard group (`openai/*`) with the `*` filled in. */
function deploymentsFor(list: Deployment[], model: string): Deployment[] {
  const exact = list.filter((d) => d.model_name === model);
  if (exact.length > 0) return exact;
  for (const d of list) {
    if (!d.model_name.endsWith('*') || !model.startsWith(d.model_name.slice(0, -1))) continue;
    const rest = model.slice(d.model_name.length - 1);
    return [{ model_name: model, litellm_params: { ...d.litellm_params, model: d.litellm_params.model.replace('*', rest) } }];
  }
  return [];
}

/** simple-shuffle: a deployment at random, in proportion to its weight (1 when unset). */
function pick(ds: Deployment[]): Deployment {
  const weights = ds.map((d) => d.litellm_params.weight ?? 1);
  let r = Math.random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, d] of ds.entries()) if ((r -= weights[i] ?? 0) < 0) return d;
  return ds[ds.length - 1] as Deployment;
}

export async function startLiteLLMFake(opts: LiteLLMFakeOptions): Promise<LiteLLMFake> {
  const list = ((parse(opts.config) as { model_list?: Deployment[] }).model_list ?? []).filter((d) => d?.model_name && d.litellm_params?.model);
  const env = opts.env ?? {};
  const resolve = (v: string | undefined): string | undefined => (v?.startsWith('os.environ/') ? env[v.slice('os.environ/'.length)] : v);
  const requests: LiteLLMFake['requests'] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (req.headers['x-litellm-api-key'] as string | undefined);
    if (key !== opts.masterKey) return error(res, 401, 'Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`', 'auth_error');
    if (req.method === 'GET' && (path === '/models' || path === '/v1/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [...new Set(list.map((d) => d.model_name))].map((id) => ({ id, object: 'model', created: 1677610602, owned_by: 'openai' })) }));
      return;
    }
    if (req.method !== 'POST' || (path !== '/chat/completions' && path !== '/v1/chat/completions')) return error(res, 404, `Not Found: ${req.method} ${path}`, 'None');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const model = typeof body.model === 'string' ? body.model : '';
    const group = deploymentsFor(list, model);
    const deployment = group.length > 0 ? pick(group) : undefined;
    requests.push({ path, model: body.model, authorization: req.headers.authorization, stream: body.stream === true, deployment: deployment?.litellm_params.model ?? null });
    if (!deployment) return error(res, 400, `{'error': '/chat/completions: Invalid model name passed in model=${model || 'None'}. Call \`/v1/models\` to view available models for your key.'}`, 'None');
    const [provider, ...idParts] = deployment.litellm_params.model.split('/');
    if (provider !== 'openai') return error(res, 500, `The fake forwards only openai/ deployments, not ${deployment.litellm_params.model}`, 'None');
    const apiBase = (resolve(deployment.litellm_params.api_base) ?? env.OPENAI_API_BASE ?? env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
    const apiKey = resolve(deployment.litellm_params.api_key) ?? env.OPENAI_API_KEY ?? '';
    const upstream = await fetch(`${apiBase}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ ...body, model: idParts.join('/') }),
    });
    if (!upstream.ok) {
      const said = ((await upstream.json().catch(() => ({}))) as { error?: { message?: string } }).error?.message ?? upstream.statusText;
      return error(res, upstream.status, `litellm.APIError: OpenAIException - ${said}`, 'None');
    }
    res.writeHead(200, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      'x-litellm-model-id': createHash('sha256').update(JSON.stringify(deployment)).digest('hex'),
      'x-litellm-model-group': deployment.model_name,
      'x-litellm-model-api-base': apiBase,
      'x-litellm-call-id': randomUUID(),
    });
    if (upstream.body) Readable.fromWeb(upstream.body as never).pipe(res);
    else res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) error(res, 500, String(err), 'None');
      else res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
