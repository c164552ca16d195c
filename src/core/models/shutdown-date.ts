/**
 * A provider's shutdown date as a day (`YYYY-MM-DD`, UTC), whatever shape it came in: a day, an
 * ISO date-time, or a Unix timestamp (seconds, or milliseconds when it is that large). Anything
 * else is null: no date is better than a wrong one.
 */
export function shutdownDay(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return new Date(value > 1e12 ? value : value * 1000).toISOString().slice(0, 10);
  }
  if (typeof value !== 'string' || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? null : v;
  if (/^\d+$/.test(v)) return shutdownDay(Number(v));
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}
