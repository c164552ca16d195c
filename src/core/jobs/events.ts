/**
 * Following a job's events by cursor. Providers list events newest first and `after` pages
 * towards older ones, so "what is new since event X" means: read pages from the newest until X
 * shows up, then hand the events over oldest first. The cursor is the id of the newest event
 * already shown.
 */
import type { FineTuningProvider, JobEvent } from '../providers/types.js';

export const EVENT_PAGE_SIZE = 100;

export interface NewEvents {
  /** Oldest first, each one not shown before. */
  events: JobEvent[];
  /** The new cursor (unchanged when nothing is new). */
  cursor: string | null;
  requests: number;
}

export async function fetchNewEvents(provider: FineTuningProvider, jobId: string, cursor: string | null): Promise<NewEvents> {
  const fresh: JobEvent[] = [];
  let after: string | undefined;
  let requests = 0;
  for (;;) {
    const page = await provider.listEvents(jobId, { after, limit: EVENT_PAGE_SIZE });
    requests += 1;
    const stop = cursor === null ? -1 : page.data.findIndex((e) => e.id === cursor);
    fresh.push(...(stop === -1 ? page.data : page.data.slice(0, stop)));
    if (stop !== -1 || !page.hasMore || page.data.length === 0) break;
    after = page.nextCursor ?? page.data[page.data.length - 1]?.id;
    if (after === undefined) break;
  }
  fresh.reverse();
  return { events: fresh, cursor: fresh.at(-1)?.id ?? cursor, requests };
}
