/**
 * The HTTP client for providers without a usable TypeScript SDK (Together, Fireworks): the
 * `openai` package's generic `get`/`post`/`delete` methods, which give us its retry policy
 * (429, 5xx and dropped connections, honouring `Retry-After`), timeouts, abort signals and an
 * injectable `fetch` without a second retry loop. Errors are reduced to `HttpFailure` facts by
 * the OpenAI adapter's `failureOf` and turned into llmgw errors by `toCoreError`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import OpenAI from 'openai';
import { ConfigError } from '../errors.js';
import { createUnconfirmed, toCoreError, type FailureContext, type HttpFailure } from './errors.js';
import { failureOf } from './openai/errors.js';
import type { Page, ProviderFactory, ProviderSettings, UploadProgress } from './types.js';

/** Error bodies differ by provider: `{error:{message,…}}` (OpenAI style) or `{message, code}` (Google RPC style). */
interface AnyErrorBody {
  error?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
}

class RestClient extends OpenAI {
  // The SDK reads the message from `body.error`; lift a top-level `{message, code}` into that shape.
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers) {
    const body = error as AnyErrorBody | undefined;
    const lifted =
      body && body.error === undefined && body.message !== undefined
        ? { error: { message: String(body.message), code: body.code === undefined ? null : String(body.code), type: typeof body.type === 'string' ? body.type : null } }
        : error;
    return super.makeStatusError(status, lifted, message, headers);
  }
}

export type Rest = OpenAI;

/**
 * A client for `baseUrl` authenticated with a bearer key; throws a ConfigError naming the
 * variable when the key is missing. `fetchOverride` replaces the settings' fetch (see `createOnce`).
 */
export function restClient(factory: ProviderFactory, settings: ProviderSettings, defaultBaseUrl: string, fetchOverride?: typeof fetch): Rest {
  const apiKey = requireKey(factory, settings);
  const fetchFn = fetchOverride ?? settings.fetch;
  return new RestClient({
    apiKey,
    baseURL: settings.baseUrl ?? defaultBaseUrl,
    // Never pick up OpenAI's organization or project from the environment for another provider.
    organization: null,
    project: null,
    webhookSecret: null,
    ...(settings.maxRetries !== undefined ? { maxRetries: settings.maxRetries } : {}),
    ...(settings.timeoutMs !== undefined ? { timeout: settings.timeoutMs } : {}),
    logLevel: 'off',
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });
}

export function requireKey(factory: ProviderFactory, settings: ProviderSettings): string {
  if (settings.apiKey) return settings.apiKey;
  throw new ConfigError('missing_api_key', `No ${factory.displayName} API key: ${factory.env.apiKey} is not set.`, {
    hint: `set ${factory.env.apiKey} (or run \`llmgw config set ${factory.name}.apiKey …\`)`,
  });
}

/** Identifies the account for the upload cache without ever storing the key: base URL plus a short fingerprint. */
export function accountKeyOf(provider: string, baseUrl: string, apiKey: string, extra = ''): string {
  const fingerprint = createHash('sha256').update(apiKey).digest('hex').slice(0, 12);
  return `${provider}:${baseUrl}${extra ? `:${extra}` : ''}:${fingerprint}`;
}

/**
 * Runs a create call so that a lost connection or a timeout is never retried blindly: the job
 * may exist by then, and a retry would start a second one. `run` must make its request through
 * the given fetch; its first network failure aborts the call (which stops the SDK's retries)
 * and becomes a `job_create_unconfirmed` error. 429 and 5xx answers are still retried.
 */
/** Reads an SDK's thrown error as an HTTP failure (OpenAI's SDK shape by default; Together's differs). */
export type FailureReader = (err: unknown) => HttpFailure | undefined;

export async function createOnce<T>(ctx: FailureContext, baseFetch: typeof fetch | undefined, userSignal: AbortSignal | undefined, run: (fetchOnce: typeof fetch, signal: AbortSignal) => Promise<T>, readFailure: FailureReader = failureOf): Promise<T> {
  const raw = baseFetch ?? globalThis.fetch;
  const guard = new AbortController();
  let lost: unknown;
  const fetchOnce: typeof fetch = async (input, init) => {
    try {
      return await raw(input, init);
    } catch (err) {
      lost = err ?? new Error('fetch failed');
      guard.abort();
      throw err;
    }
  };
  const signal = userSignal ? AbortSignal.any([userSignal, guard.signal]) : guard.signal;
  try {
    return await run(fetchOnce, signal);
  } catch (err) {
    if (lost !== undefined && !userSignal?.aborted) {
      // The SDK enforces its timeout by aborting the fetch.
      throw createUnconfirmed(ctx, lost instanceof Error && lost.name === 'AbortError' ? 'timeout' : 'connection');
    }
    const f = readFailure(err);
    throw f ? toCoreError(f, ctx) : err;
  }
}

/** Runs one call and turns any SDK failure into llmgw's error tree. */
export async function call<T>(ctx: FailureContext, fn: () => Promise<T>, readFailure: FailureReader = failureOf): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const f = readFailure(err);
    throw f ? toCoreError(f, ctx) : err;
  }
}

/** Same as `call`, but a 404 becomes `undefined` (the thing is gone). */
export async function callOrMissing<T>(ctx: FailureContext, fn: () => Promise<T>, readFailure: FailureReader = failureOf): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    const f = readFailure(err);
    if (f?.kind === 'http' && f.status === 404) return undefined;
    throw f ? toCoreError(f, ctx) : err;
  }
}

export interface StreamUpload {
  url: string;
  apiKey: string;
  path: string;
  filename: string;
  /** Text fields sent before the file part. */
  fields: Record<string, string>;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: UploadProgress) => void) | undefined;
}

/**
 * A multipart upload streamed from disk with node:http(s) and its backpressure. Node 20's
 * `fetch` holds a whole request body in memory (a 400 MB file peaked at ~470 MB RSS, against
 * ~80 MB this way), and Together takes files up to 4.9 GiB in one call. Not retried: a stream
 * cannot be sent twice, and the upload cache makes running the command again cheap.
 */
export async function streamUpload<T>(ctx: FailureContext, u: StreamUpload): Promise<T> {
  const boundary = `llmgw-${randomBytes(12).toString('hex')}`;
  const quote = (v: string) => v.replace(/[\r\n"]/g, '_');
  let head = '';
  for (const [k, v] of Object.entries(u.fields)) head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(k)}"\r\n\r\n${v}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(u.filename)}"\r\nContent-Type: application/jsonl\r\n\r\n`;
  const headBytes = Buffer.from(head);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const fileBytes = (await stat(u.path)).size;
  const total = headBytes.length + fileBytes + tail.length;
  const url = new URL(u.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  let sent = 0;
  async function* body(): AsyncGenerator<Buffer> {
    yield headBytes;
    for await (const chunk of createReadStream(u.path) as AsyncIterable<Buffer>) {
      sent += chunk.length;
      u.onProgress?.({ sentBytes: sent, totalBytes: fileBytes });
      yield chunk;
    }
    yield tail;
  }
  const headers = { authorization: `Bearer ${u.apiKey}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(total), accept: 'application/json' };
  return new Promise<T>((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, ...(u.signal && { signal: u.signal }) });
    const fail = (err: unknown) => reject(toCoreError({ kind: u.signal?.aborted ? 'aborted' : 'connection', message: err instanceof Error ? err.message : String(err) }, ctx));
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        if (status >= 200 && status < 300) return resolve(json as T);
        const b = (json ?? {}) as AnyErrorBody;
        const e = (typeof b.error === 'object' && b.error !== null ? b.error : b) as { message?: unknown; code?: unknown; type?: unknown; param?: unknown };
        const requestId = res.headers['x-request-id'];
        reject(
          toCoreError(
            {
              kind: 'http',
              status,
              requestId: typeof requestId === 'string' ? requestId : undefined,
              code: e.code === undefined || e.code === null ? null : String(e.code),
              type: typeof e.type === 'string' ? e.type : null,
              param: typeof e.param === 'string' ? e.param : null,
              message: typeof e.message === 'string' ? e.message : text.slice(0, 500),
            },
            ctx,
          ),
        );
      });
    });
    pipeline(body(), req).catch(fail);
  });
}

/** ISO-8601 time → Unix seconds; null when absent or unreadable. */
export function unixSeconds(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** Pages a list the provider returns whole (newest first), with the `after` cursor and `limit` of `ListOptions`. */
export function pageOf<T>(items: T[], idOf: (item: T) => string, opts: { after?: string | undefined; limit?: number | undefined } = {}): Page<T> {
  const start = opts.after === undefined ? 0 : items.findIndex((i) => idOf(i) === opts.after) + 1;
  // An unknown cursor yields nothing rather than repeating the whole list.
  const rest = opts.after !== undefined && start === 0 ? [] : items.slice(start);
  const limit = opts.limit ?? 20;
  const data = rest.slice(0, limit);
  const last = data[data.length - 1];
  return { data, hasMore: rest.length > limit, nextCursor: rest.length > limit && last !== undefined ? idOf(last) : null };
}
