/**
 * `together-ai` SDK errors → provider-neutral facts. The SDK has already retried (429, 5xx,
 * dropped connections, honouring Retry-After) by the time an error reaches here. Its error body
 * is Together's `{"error":{"message","type","param","code"}}`.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'together-ai';
import type { FailureContext, HttpFailure } from '../errors.js';
import { call as restCall, callOrMissing as restCallOrMissing } from '../rest.js';

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

/** One SDK call with its failure in llmgw's error tree (rest.ts's, reading Together's error shape). */
export const call = <T>(ctx: FailureContext, fn: () => Promise<T>): Promise<T> => restCall(ctx, fn, failureOf);

/** Same as `call`, but a 404 becomes `undefined` (the thing is gone). */
export const callOrMissing = <T>(ctx: FailureContext, fn: () => Promise<T>): Promise<T | undefined> => restCallOrMissing(ctx, fn, failureOf);
