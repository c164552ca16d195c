/**
 * What every route of the fake Bedrock control plane shares: restJson1 errors (the error type in
 * `x-amzn-errortype` and `__type`, the text in `message`, the status the API reference gives each
 * error), request-body checks with the reference's patterns, and ARNs.
 */
import { HttpError } from '../shared/http.js';

/** The API reference's status for each error type. */
export const ERROR_STATUS: Record<string, number> = {
  ValidationException: 400,
  ConflictException: 400,
  ServiceQuotaExceededException: 400,
  TooManyTagsException: 400,
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  ExpiredTokenException: 403,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

const TYPE_BY_STATUS: Record<number, string> = { 400: 'ValidationException', 403: 'AccessDeniedException', 404: 'ResourceNotFoundException', 429: 'ThrottlingException', 500: 'InternalServerException', 503: 'ServiceUnavailableException' };

export function errorBody(status: number, message: string, type?: string): Record<string, string> {
  return { __type: type ?? TYPE_BY_STATUS[status] ?? 'InternalServerException', message };
}

export function awsError(type: string, message: string): HttpError {
  const status = ERROR_STATUS[type] ?? 500;
  return new HttpError(status, errorBody(status, message, type), { 'x-amzn-errortype': type });
}

export const invalid = (message: string): HttpError => awsError('ValidationException', message);

// Patterns from the Bedrock API reference (JobName, IdempotencyToken, role ARN, S3 URI, model names).
export const PATTERNS = {
  jobName: /^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/,
  customModelName: /^([0-9a-zA-Z][_-]?){1,63}$/,
  token: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
  roleArn: /^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role\/.+$/,
  s3Uri: /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/,
  deploymentName: /^([0-9a-zA-Z][_-]?)+$/,
};

export function requireString(body: Record<string, unknown>, key: string, pattern?: RegExp, max = 2048): string {
  const v = body[key];
  if (typeof v !== 'string' || v.length === 0) throw invalid(`1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
  if (v.length > max) throw invalid(`1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  if (pattern && !pattern.test(v)) throw invalid(`1 validation error detected: Value '${v}' at '${key}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  return v;
}

export function s3UriOf(body: Record<string, unknown>, key: string): string {
  const config = body[key];
  const uri = typeof config === 'object' && config !== null ? (config as { s3Uri?: unknown }).s3Uri : undefined;
  if (typeof uri !== 'string' || !PATTERNS.s3Uri.test(uri)) throw invalid(`1 validation error detected: Value at '${key}.s3Uri' failed to satisfy constraint: Member must satisfy regular expression pattern: s3://…`);
  return uri;
}

export const ACCOUNT = '123456789012';

export function arn(region: string, resource: string): string {
  return `arn:aws:bedrock:${region}:${ACCOUNT}:${resource}`;
}

/** The id part of an ARN or the name itself, for `{jobIdentifier}`-style path parameters. */
export function lastSegment(identifier: string): string {
  return identifier.slice(identifier.lastIndexOf('/') + 1);
}

/** `maxResults` and `nextToken` over a list already in the documented order. */
export function page<T>(items: T[], query: URLSearchParams): { items: T[]; nextToken: string | undefined } {
  const max = Number(query.get('maxResults') ?? 100);
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalid("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000");
  const token = query.get('nextToken');
  const start = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw invalid('Invalid nextToken.');
  const end = start + max;
  return { items: items.slice(start, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}
