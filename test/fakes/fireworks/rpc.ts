/**
 * What the Fireworks fake shares between its routes: Google-RPC error bodies (`{code, message,
 * details}`, as grpc-gateway writes them), resource-id rules (AIP-122: lowercase letters, digits
 * and hyphens, starting with a letter, at most 63 characters) and `orderBy` (AIP-132: a comma list
 * of fields, each optionally followed by ` desc`; the default order is by `name`).
 */
import { HttpError } from '../shared/http.js';

// Google RPC codes by HTTP status, as grpc-gateway maps them.
const RPC: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 429: 8, 501: 12, 503: 14 };

export function errorBody(status: number, message: string): unknown {
  return { code: RPC[status] ?? 13, message, details: [] };
}

export const fail = (status: number, message: string): HttpError => new HttpError(status, errorBody(status, message));

export const RESOURCE_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Splits `id:verb` (Google's custom-method syntax) in the last path segment. */
export function idAndVerb(segment: string | undefined): [string, string | undefined] {
  const [id = '', verb] = (segment ?? '').split(':', 2);
  return [id, verb];
}

/** Sorts resources by an `orderBy` expression over their top-level fields; an unknown field is a 400. */
export function ordered<T extends Record<string, unknown>>(items: T[], orderBy: string | null, fields: readonly string[]): T[] {
  const keys = (orderBy ?? 'name')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [field = '', direction = 'asc', ...rest] = part.split(/\s+/);
      if (!fields.includes(field) || rest.length > 0 || !['asc', 'desc'].includes(direction)) throw fail(400, `invalid orderBy "${orderBy ?? ''}": order by one of ${fields.join(', ')}, each optionally followed by " desc"`);
      return { field, sign: direction === 'desc' ? -1 : 1 };
    });
  const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
  return [...items].sort((a, b) => {
    for (const k of keys) {
      const x = text(a[k.field]);
      const y = text(b[k.field]);
      if (x !== y) return (x < y ? -1 : 1) * k.sign;
    }
    return 0;
  });
}

/** One page of `items` for `pageSize` (default 50, at most 200) and an opaque `pageToken`. */
export function paged<T>(items: T[], query: URLSearchParams): { page: T[]; nextPageToken: string } {
  const sizeText = query.get('pageSize');
  const asked = sizeText === null ? 50 : Number(sizeText);
  if (!Number.isInteger(asked) || asked < 0) throw fail(400, `invalid pageSize "${sizeText ?? ''}"`);
  const size = asked === 0 ? 50 : Math.min(asked, 200);
  const token = query.get('pageToken');
  const start = token ? Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10) : 0;
  if (!Number.isInteger(start) || start < 0) throw fail(400, 'invalid pageToken');
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return { page, nextPageToken: more ? Buffer.from(String(start + size)).toString('base64url') : '' };
}
