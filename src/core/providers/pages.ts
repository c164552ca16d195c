/**
 * Every cursor loop over a provider's list (jobs, events, checkpoints, reconciliation) goes
 * through `guardedPages`. A provider (or a proxy, or a mock) that answers `has_more: true` with
 * a cursor that does not move, or pages that repeat items, would otherwise keep a loop asking
 * forever; the guard stops at the first sign of it, keeps the items not seen before, and says so
 * through `onWarning`.
 */
import type { Page, RequestOptions } from './types.js';

export interface PageGuardOptions extends RequestOptions {
  /** What is being listed, for the warning, e.g. `the jobs of OpenAI`. */
  what: string;
  /** Told once when the loop stops because the provider's paging went wrong. */
  onWarning?: ((message: string) => void) | undefined;
  /** First cursor (default: from the start). */
  after?: string | undefined;
}

/** Reads one page; `after` is the cursor (undefined for the first page). */
export type PageLoader<T> = (after: string | undefined) => Promise<Page<T>>;

/**
 * Yields each page's items not seen before, page by page, until the provider says there are no
 * more, or its cursor stops advancing, or a page repeats an item. Callers stop early by breaking.
 */
export async function* guardedPages<T extends { id: string }>(load: PageLoader<T>, o: PageGuardOptions): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  const cursors = new Set<string>();
  let after = o.after;
  if (after !== undefined) cursors.add(after);
  for (;;) {
    if (o.signal?.aborted) return;
    const page = await load(after);
    const fresh = page.data.filter((item) => !seen.has(item.id));
    const repeated = fresh.length < page.data.length || new Set(fresh.map((i) => i.id)).size < fresh.length;
    for (const item of fresh) seen.add(item.id);
    const unique = dedupe(fresh);
    if (unique.length > 0) yield unique;
    if (!page.hasMore || page.data.length === 0) return;
    const next = page.nextCursor ?? page.data[page.data.length - 1]?.id;
    if (repeated) return warn(o, 'a page repeated items already listed');
    if (next === undefined || next === after || cursors.has(next)) return warn(o, 'its cursor did not advance');
    cursors.add(next);
    after = next;
  }
}

/** Every item of every page (guarded), up to `max`. */
export async function collectPages<T extends { id: string }>(load: PageLoader<T>, o: PageGuardOptions & { max?: number | undefined }): Promise<T[]> {
  const out: T[] = [];
  const max = o.max ?? Infinity;
  for await (const items of guardedPages(load, o)) {
    out.push(...items.slice(0, max - out.length));
    if (out.length >= max) break;
  }
  return out;
}

function dedupe<T extends { id: string }>(items: T[]): T[] {
  const ids = new Set<string>();
  return items.filter((i) => !ids.has(i.id) && ids.add(i.id));
}

function warn(o: PageGuardOptions, why: string): void {
  o.onWarning?.(`Stopped listing ${o.what}: the provider said there was more, but ${why}; what it returned so far is shown.`);
}
