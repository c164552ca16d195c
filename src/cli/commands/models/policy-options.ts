import { UsageError } from '../../../core/errors.js';

/** Parsers for the policy flags of `models route` (pure; they throw usage errors with the fix). */

/** `30s`, `1500ms`, `2m` → milliseconds; `none` → null. */
export function parseDuration(flag: string, value: string): number | null {
  if (value === 'none') return null;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
  if (!m) throw new UsageError('invalid_duration', `${flag} takes a duration such as 30s, 1500ms or 2m (got "${value}").`, { hint: `e.g. ${flag} 30s; ${flag} none removes it` });
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  if (!Number.isInteger(ms) || ms <= 0) throw new UsageError('invalid_duration', `${flag} must be a whole, positive number of milliseconds (got "${value}").`, { hint: `e.g. ${flag} 30s` });
  return ms;
}

/** `429,503` → [429, 503]. */
export function parseStatuses(flag: string, value: string): number[] {
  const codes = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  const bad = codes.filter((c) => !/^[1-5]\d\d$/.test(c));
  if (codes.length === 0 || bad.length > 0) {
    throw new UsageError('invalid_status_list', `${flag} takes HTTP statuses separated by commas (got "${value}").`, { hint: `e.g. ${flag} 429,500,502,503,504` });
  }
  return codes.map(Number);
}

/** `a,b` → ['a', 'b']; `none` → []. */
export function parseList(value: string): string[] {
  return value === 'none' ? [] : value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/** `TARGET=N` (N a whole number, or `none` when allowed). */
export function parsePair(flag: string, value: string, allowNone: boolean): { target: string; value: number | null } {
  const at = value.lastIndexOf('=');
  const target = value.slice(0, at);
  const raw = value.slice(at + 1);
  if (at <= 0 || (raw !== 'none' || !allowNone) && !/^\d+$/.test(raw)) {
    throw new UsageError('invalid_target_value', `${flag} takes TARGET=N, with TARGET a target id or its model (got "${value}").`, { hint: `e.g. ${flag} support-bot.support-AbC12345=${flag === '--priority' ? '1' : '600'}${allowNone ? ` (or =none to remove it)` : ''}` });
  }
  return { target, value: raw === 'none' ? null : Number(raw) };
}

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
