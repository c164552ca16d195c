/**
 * Finding the job a lost create made, shared by the adapters: search the provider's job list
 * (every page, through the cursor guard) for the mark the adapter put on the job. A list read to
 * its end without a match is a sure `absent`; a list cut short (paging broke, a page limit) is
 * `unknown`, never `absent`, so a doubt never becomes a second paid job.
 */
import { guardedPages, type PageLoader } from './pages.js';
import type { Job, JobLookup, RequestOptions } from './types.js';

/** The metadata key that tags a job with its ledger id (providers with job metadata). */
export const LEDGER_METADATA_KEY = 'llmgw_ledger_id';

/** Pages read before a search gives up as `unknown` (100 jobs a page where the provider allows it). */
export const LOOKUP_MAX_PAGES = 50;

export interface ListSearch extends RequestOptions {
  /** e.g. `the jobs of Azure OpenAI`. */
  what: string;
  onWarning?: ((message: string) => void) | undefined;
  maxPages?: number | undefined;
}

/**
 * The one job `isMine` accepts. `found` for exactly one; `unknown` for several, or when the list
 * could not be read to its end; `absent` only when every page was read and none matched.
 */
export async function searchJobList(load: PageLoader<Job>, isMine: (job: Job) => boolean, o: ListSearch): Promise<JobLookup> {
  const mine: Job[] = [];
  let pages = 0;
  let stoppedEarly = false;
  const onWarning = (message: string): void => {
    stoppedEarly = true;
    o.onWarning?.(message);
  };
  const pager = guardedPages(load, { what: o.what, signal: o.signal, onWarning });
  for await (const items of pager) {
    mine.push(...items.filter(isMine));
    pages += 1;
    if (pages >= (o.maxPages ?? LOOKUP_MAX_PAGES)) {
      stoppedEarly = true;
      break;
    }
  }
  if (mine.length === 1 && mine[0]) return { kind: 'found', job: mine[0] };
  if (mine.length > 1) {
    return { kind: 'unknown', reason: `${mine.length} jobs carry the same mark`, candidates: mine.map((j) => j.id) };
  }
  if (stoppedEarly || o.signal?.aborted) return { kind: 'unknown', reason: `could not read the whole job list (${pages} page(s) read)` };
  return { kind: 'absent' };
}
