/**
 * `together-ai` SDK errors → provider-neutral facts. The SDK has already retried (429, 5xx,
 * dropped connections, honouring Retry-After) by the time an error reaches here. Its error body
 * is Together's `{"error":{"message","type","param","code"}}`.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'together-ai';
import { toCoreError, type FailureContext, type HttpFailure } from '../errors.js';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Reduces an SDK error to facts; undefined when it is not an SDK error. */
export function failureOf(err: unknown): HttpFailure | undefined {
  if (err instanceof APIUserAbortError) return { kind: 'aborted' };
  if (err instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  if (err instanceof APIConnectionError) return { kind: 'connection', message: err.message };
  if (!(err instanceof APIError)) return undefined;
  const body = (err.error ?? {}) as { error?: unknown; message?: unknown };
  const e = (typeof body.error === 'object' && body.error !== null ? body.error : body) as Record<string, unknown>;
  return {
    kind: 'http',
    status: err.status,
    requestId: err.headers?.get('x-request-id') ?? null,
    code: text(e.code),
    type: text(e.type),
    param: text(e.param),
    message: text(e.message) ?? err.message,
  };
}

/** Maps anything an SDK call threw; other errors (already llmgw's, or bugs) pass untouched. */
export function mapTogetherError(err: unknown, ctx: FailureContext): unknown {
  const f = failureOf(err);
  return f ? toCoreError(f, ctx) : err;
}

/** Runs one SDK call and turns its failure into llmgw's error tree. */
export async function call<T>(ctx: FailureContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapTogetherError(err, ctx);
  }
}

/** Same as `call`, but a 404 becomes `undefined` (the thing is gone). */
export async function callOrMissing<T>(ctx: FailureContext, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (failureOf(err)?.status === 404) return undefined;
    throw mapTogetherError(err, ctx);
  }
}
