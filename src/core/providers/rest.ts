/**
 * The HTTP client for providers without a usable TypeScript SDK (Together, Fireworks): the
 * `openai` package's generic `get`/`post`/`delete` methods, which give us its retry policy
 * (429, 5xx and dropped connections, honouring `Retry-After`), timeouts, abort signals and an
 * injectable `fetch` without a second retry loop. Errors are reduced to `HttpFailure` facts by
 * the OpenAI adapter's `failureOf` and turned into llmgw errors by `toCoreError`.
 */
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import OpenAI from 'openai';
import { ConfigError } from '../errors.js';
import { createUnconfirmed, toCoreError, type FailureContext } from './errors.js';
import { failureOf } from './openai/errors.js';
import type { Page, ProviderFactory, ProviderSettings } from './types.js';

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
export async function createOnce<T>(ctx: FailureContext, baseFetch: typeof fetch | undefined, userSignal: AbortSignal | undefined, run: (fetchOnce: typeof fetch, signal: AbortSignal) => Promise<T>): Promise<T> {
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
    const f = failureOf(err);
    throw f ? toCoreError(f, ctx) : err;
  }
}

/** Runs one call and turns any SDK failure into llmgw's error tree. */
export async function call<T>(ctx: FailureContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const f = failureOf(err);
    throw f ? toCoreError(f, ctx) : err;
  }
}

/** Same as `call`, but a 404 becomes `undefined` (the thing is gone). */
export async function callOrMissing<T>(ctx: FailureContext, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    const f = failureOf(err);
    if (f?.kind === 'http' && f.status === 404) return undefined;
    throw f ? toCoreError(f, ctx) : err;
  }
}

/** A multipart body whose file part streams from disk (never read whole). */
export async function fileForm(path: string, filename: string, fields: Record<string, string>, fileField = 'file'): Promise<FormData> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(fileField, await openAsBlob(path, { type: 'application/jsonl' }), filename);
  return form;
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
