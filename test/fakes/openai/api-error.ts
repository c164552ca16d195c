/** Errors in OpenAI's shape: `{"error":{"message","type","param","code"}}`, all four keys present. */
import { HttpError } from '../shared/http.js';

export interface ApiErrorFields {
  type?: string;
  param?: string | null;
  code?: string | null;
}

export function apiError(status: number, message: string, fields: ApiErrorFields = {}, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, { error: { message, type: fields.type ?? 'invalid_request_error', param: fields.param ?? null, code: fields.code ?? null } }, headers);
}

/** A 400 `invalid_request_error` naming the bad field. */
export function invalid(message: string, param: string | null = null, code: string | null = null): HttpError {
  return apiError(400, message, { param, code });
}

export function notFound(message: string, param: string | null = null): HttpError {
  return apiError(404, message, { param });
}

export const badJson = (): HttpError =>
  invalid(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
  );

export const missing = (param: string): HttpError => invalid(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');

export const unknownArgument = (param: string): HttpError => invalid(`Unrecognized request argument supplied: ${param}`, param, 'unknown_parameter');

/** Default bodies for faults that answer with a bare status. */
export function faultError(status: number): { message: string; type: string; code: string | null } {
  if (status === 429) return { message: 'Rate limit reached for requests. Please try again in 1s.', type: 'requests', code: 'rate_limit_exceeded' };
  if (status === 503) return { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null };
  if (status >= 500) return { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null };
  if (status === 403) return { message: 'You are not allowed to perform this request.', type: 'invalid_request_error', code: null };
  return { message: `Request failed with status ${status}.`, type: 'invalid_request_error', code: null };
}

/** The limit query parameter, clamped to 1..100 (OpenAI does not document its maximum). */
export function limitOf(query: URLSearchParams, fallback: number): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw invalid(`Invalid 'limit': expected an integer, but got '${raw}' instead.`, 'limit', 'invalid_type');
  return Math.min(100, Math.max(1, n));
}
