/**
 * Following a job's events by cursor. Providers list events newest first and `after` pages
 * towards older ones, so "what is new since event X" means: read pages from the newest until X
 * shows up, then hand the events over oldest first. The cursor is the id of the newest event
 * already shown. Paging goes through the cursor guard, so a provider whose cursor never moves
 * ends the read with a warning instead of a loop.
 */
import { guardedPages } from '../providers/pages.js';
import type { FineTuningProvider, JobEvent, RequestOptions } from '../providers/types.js';

export const EVENT_PAGE_SIZE = 100;

export interface NewEvents {
  /** Oldest first, each one not shown before. */
  events: JobEvent[];
  /** The new cursor (unchanged when nothing is new). */
  cursor: string | null;
  requests: number;
}

export interface EventOptions extends RequestOptions {
  onWarning?: ((message: string) => void) | undefined;
}

export async function fetchNewEvents(provider: FineTuningProvider, jobId: string, cursor: string | null, o: EventOptions = {}): Promise<NewEvents> {
  const fresh: JobEvent[] = [];
  let requests = 0;
  const load = (after: string | undefined) => {
    requests += 1;
    return provider.listEvents(jobId, { after, limit: EVENT_PAGE_SIZE }, { signal: o.signal });
  };
  for await (const page of guardedPages(load, { what: `the events of job ${jobId}`, signal: o.signal, onWarning: o.onWarning })) {
    const stop = cursor === null ? -1 : page.findIndex((e) => e.id === cursor);
    fresh.push(...(stop === -1 ? page : page.slice(0, stop)));
    if (stop !== -1) break;
  }
  fresh.reverse();
  return { events: fresh, cursor: fresh.at(-1)?.id ?? cursor, requests };
}
