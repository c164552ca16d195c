/**
 * A fake Azure OpenAI resource on 127.0.0.1. Azure's data-plane fine-tuning API is OpenAI's job
 * API under `{endpoint}/openai/…?api-version=…`, so this fake checks what Azure adds (the
 * `api-key` header or an Entra ID bearer token, a supported `api-version`, Azure's error body
 * `{"error":{"code","message"}}`, fine-tuned model ids shaped `<base>.ft-<job>`) and forwards
 * the rest to the fake OpenAI server, which runs the jobs.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { HttpError, Router, type RequestContext, type Reply } from '../shared/http.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../openai/index.js';
import { serveFake, type ServedFake } from '../together/serve.js';

export const SUPPORTED_API_VERSIONS = ['2024-10-21', '2024-12-01-preview', '2025-02-01-preview', '2025-04-01-preview'];

export interface FakeAzure extends ServedFake {
  /** What AZURE_OPENAI_ENDPOINT would hold: `http://127.0.0.1:<port>`. */
  endpoint: string;
  apiKey: string;
  /** A Microsoft Entra ID token the fake also accepts (as `Authorization: Bearer`). */
  adToken: string;
  /** The OpenAI fake behind it: jobs, clock, plans. */
  openai: FakeOpenAI;
  /** The next uploaded file reads as `pending` this many times, then `processed` (or `error` when `fails`). */
  importNextFile(reads: number, fails?: boolean): void;
}

export function errorBody(status: number, message: string, code?: string | null): unknown {
  return { error: { code: code ?? String(status), message } };
}

/** `ft:<base>:<org>:<suffix>:<id>[:ckpt-step-N]` (OpenAI) → `<base>.ft-<id>[:ckpt-step-N]` (Azure). */
function azureModelId(openaiId: string): string {
  const parts = openaiId.split(':');
  const checkpoint = parts[parts.length - 1]?.startsWith('ckpt-') ? parts.pop() : undefined;
  const model = `${parts[1] ?? ''}.ft-${(parts[parts.length - 1] ?? '').replace(/^ftjob-/, '')}`;
  return checkpoint ? `${model}:${checkpoint}` : model;
}

/**
 * A job as Azure shows it (API version 2025-04-01-preview): its states are `pending` until
 * training starts, then `running`, `paused`, `succeeded`…, and the suffix is `suffix`.
 */
function azureJob(o: Record<string, unknown>): Record<string, unknown> {
  if (o.object !== 'fine_tuning.job') return o;
  const { user_provided_suffix: suffix, ...rest } = o;
  const status = o.status === 'validating_files' || o.status === 'queued' ? 'pending' : o.status;
  return { ...rest, status, ...(typeof suffix === 'string' && { suffix }) };
}

export async function startFakeAzure(opts: { apiKey?: string; adToken?: string; openai?: FakeOpenAIOptions } = {}): Promise<FakeAzure> {
  const apiKey = opts.apiKey ?? 'azure-test-key-0123456789abcdef';
  const adToken = opts.adToken ?? 'eyJ0eXAiOiJKV1QifQ.fake-entra-token.sig';
  const openai = await startFakeOpenAI({ advancePerRequestMs: 1000, ...opts.openai });
  const toOpenAI = new Map<string, string>();
  let nextImport: { reads: number; fails: boolean } = { reads: 0, fails: false };
  const importing = new Map<string, { reads: number; fails: boolean }>();
  /** Azure's asynchronous file import, played over the OpenAI fake's immediately processed files. */
  const importStatus = (ctx: RequestContext, json: Record<string, unknown>): Record<string, unknown> => {
    if (ctx.method === 'POST' && ctx.path === '/openai/files' && typeof json.id === 'string') {
      importing.set(json.id, nextImport);
      nextImport = { reads: 0, fails: false };
    }
    const state = typeof json.id === 'string' ? importing.get(json.id) : undefined;
    if (!state || json.object !== 'file') return json;
    if (state.reads > 0) {
      state.reads--;
      return { ...json, status: 'pending' };
    }
    return state.fails ? { ...json, status: 'error', status_details: 'Line 3: invalid JSON.' } : json;
  };

  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith('ft:')) {
      const id = azureModelId(value);
      toOpenAI.set(id, value);
      return id;
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') return azureJob(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)])));
    return value;
  };

  const forward = async (ctx: RequestContext): Promise<Reply> => {
    const version = ctx.query.get('api-version');
    if (!version) throw new HttpError(404, errorBody(404, 'Resource not found', '404'));
    if (!SUPPORTED_API_VERSIONS.includes(version)) throw new HttpError(400, errorBody(400, `API version ${version} is not supported for fine-tuning.`, 'BadRequest'));
    const rest = ctx.path.replace(/^\/openai\//, '').split('/').map((seg) => toOpenAI.get(decodeURIComponent(seg)) ?? decodeURIComponent(seg)).map(encodeURIComponent).join('/');
    const query = new URLSearchParams(ctx.query);
    query.delete('api-version');
    const hasBody = ctx.method !== 'GET' && ctx.method !== 'DELETE';
    const contentType = ctx.req.headers['content-type'];
    const res = await fetch(`${openai.url}/v1/${rest}${query.size > 0 ? `?${query}` : ''}`, {
      method: ctx.method,
      headers: { authorization: `Bearer ${openai.apiKey}`, ...(contentType && { 'content-type': contentType }) },
      ...(hasBody && { body: Readable.toWeb(ctx.req) as ReadableStream, duplex: 'half' }),
    } as RequestInit);
    const json = (await res.json()) as { error?: { message?: string; code?: string | null } };
    if (!res.ok) throw new HttpError(res.status, errorBody(res.status, json.error?.message ?? 'Request failed.', json.error?.code ?? null));
    return { status: res.status, json: importStatus(ctx, rewrite(json) as Record<string, unknown>) };
  };

  const router = new Router();
  for (const method of ['GET', 'POST', 'DELETE']) {
    for (const path of ['/openai/:a', '/openai/:a/:b', '/openai/:a/:b/:c', '/openai/:a/:b/:c/:d', '/openai/:a/:b/:c/:d/:e']) router.on(method, path, forward);
  }
  const authorize = (req: IncomingMessage): boolean => req.headers['api-key'] === apiKey || req.headers.authorization === `Bearer ${adToken}`;
  const served = await serveFake({
    router,
    apiKey,
    authorize,
    errorBody: (status, message, fault) =>
      status === 401 ? errorBody(401, 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.', '401') : errorBody(status, message, fault?.code ?? null),
  });
  return {
    ...served,
    endpoint: served.url,
    apiKey,
    adToken,
    openai,
    importNextFile: (reads, fails = false) => (nextImport = { reads, fails }),
    close: async () => {
      await served.close();
      await openai.close();
    },
  };
}
