/**
 * Finding the job a ledger entry asked for when the create call's answer never arrived. The
 * adapter put the ledger id where its provider keeps it (metadata, suffix, job id, label…) and
 * `findCreatedJob` searches by that mark, never by creation time alone. A job that another
 * ledger entry already holds is never taken: that is `unknown`, for the user to decide.
 */
import { ProviderError } from '../errors.js';
import { LEDGER_METADATA_KEY } from '../providers/lookup.js';
import type { CreatedJobMark, FineTuningProvider, JobLookup, ProviderCapabilities, RequestOptions } from '../providers/types.js';
import type { Ledger, LedgerJob } from './ledger.js';

export { LEDGER_METADATA_KEY };

/** Whether jobs on this provider carry llmgw's ledger tag in their metadata. */
export function tagsJobs(caps: ProviderCapabilities): boolean {
  return caps.maxMetadataPairs > 0;
}

export function markOf(entry: LedgerJob): CreatedJobMark {
  return { ledgerId: entry.ledgerId, createdAt: entry.createdAt, baseModel: entry.baseModel, trainingFileId: entry.training.fileId ?? '', suffix: entry.suffix };
}

export async function reconcile(provider: FineTuningProvider, ledger: Ledger, entry: LedgerJob, opts: RequestOptions = {}): Promise<JobLookup> {
  const lookup = await provider.findCreatedJob(markOf(entry), opts);
  if (lookup.kind !== 'found') return lookup;
  const holder = (await ledger.jobs()).find((j) => j.ledgerId !== entry.ledgerId && j.providerJobId === lookup.job.id);
  if (!holder) return lookup;
  return { kind: 'unknown', reason: `the job ${provider.displayName} matched (${lookup.job.id}) already belongs to ledger entry ${holder.ledgerId}`, candidates: [lookup.job.id] };
}

/**
 * The error for a lookup that cannot decide: exit 4, nothing created again, and the exact
 * commands that settle it (`llmgw tune resolve`).
 */
export function undecidedError(provider: FineTuningProvider, entry: LedgerJob, lookup: Extract<JobLookup, { kind: 'unknown' }>, projectFlags = ''): ProviderError {
  const candidates = lookup.candidates ?? [];
  const check = candidates.length > 0 ? `check ${candidates.map((id) => `\`llmgw tune status ${id} --provider ${provider.name}${projectFlags}\``).join(', ')}, then ` : '';
  const link = candidates[0] ?? '<job id>';
  return new ProviderError(
    'job_create_undecided',
    `llmgw cannot tell whether ${provider.displayName} created the job of ledger entry ${entry.ledgerId}: ${lookup.reason}${candidates.length > 0 ? ` (maybe: ${candidates.join(', ')})` : ''}. Nothing was created again.`,
    {
      provider: provider.name,
      retryable: false,
      hint: `${check}run \`llmgw tune resolve ${entry.ledgerId} ${link}${projectFlags}\` if that is its job, or \`llmgw tune resolve ${entry.ledgerId} --not-created${projectFlags}\` if ${provider.displayName} has none`,
    },
  );
}
