/**
 * Finding the job a ledger entry asked for when the create call's answer never arrived. Providers
 * with job metadata carry the ledger id (`llmgw_ledger_id`), so the job is found by that tag
 * (filtered by the provider when it can). Providers without metadata are matched on what the
 * request fixed: the training file, the base model, created since the entry was written, and not
 * already claimed by another ledger entry.
 */
import type { FineTuningProvider, Job, ProviderCapabilities } from '../providers/types.js';
import type { Ledger, LedgerJob } from './ledger.js';

/** The metadata key that tags a job with its ledger id, so an ambiguous create can be found again. */
export const LEDGER_METADATA_KEY = 'llmgw_ledger_id';

/** Job list pages searched before giving up. */
const RECONCILE_PAGES = 5;
/** Clock skew allowed between this machine and the provider when matching by creation time. */
const SKEW_SECONDS = 300;

/** Whether jobs on this provider carry llmgw's ledger tag. */
export function tagsJobs(caps: ProviderCapabilities): boolean {
  return caps.maxMetadataPairs > 0;
}

export async function reconcile(provider: FineTuningProvider, ledger: Ledger, entry: LedgerJob): Promise<Job | undefined> {
  const tagged = tagsJobs(provider.capabilities);
  const notBefore = Date.parse(entry.createdAt) / 1000 - SKEW_SECONDS;
  const claimed = new Set((await ledger.jobs()).flatMap((j) => (j.providerJobId && j.ledgerId !== entry.ledgerId ? [j.providerJobId] : [])));
  const matches = (j: Job): boolean =>
    tagged
      ? j.metadata[LEDGER_METADATA_KEY] === entry.ledgerId
      : !claimed.has(j.id) && j.trainingFileId === entry.training.fileId && j.baseModel === entry.baseModel && j.createdAt >= notBefore;
  const filter = tagged && provider.capabilities.metadataFilter ? { [LEDGER_METADATA_KEY]: entry.ledgerId } : undefined;
  let after: string | undefined;
  for (let page = 0; page < RECONCILE_PAGES; page++) {
    const res = await provider.listJobs({ after, metadata: filter, limit: 100 });
    const hit = res.data.find(matches);
    if (hit) return hit;
    // Newest first: once a page reaches jobs older than the entry, no later page can match.
    if (!tagged && res.data.some((j) => j.createdAt < notBefore)) return undefined;
    if (!res.hasMore || !res.nextCursor) return undefined;
    after = res.nextCursor;
  }
  return undefined;
}
