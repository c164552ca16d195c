/**
 * Creating a job exactly once. The ledger entry is written before the create call, and the
 * adapter marks the job with the ledger id where its provider keeps it. When the call ends
 * ambiguously (timeout, dropped connection, 5xx after the SDK's retries) the job is looked for
 * by that mark (`reconcile.ts`) before trying again, so one request never becomes two jobs. An
 * entry left `creating` is settled by the next command that meets it, at once unless another
 * live process is still creating it.
 */
import { InterruptedError, ProviderError, isLlmgwError } from '../errors.js';
import { isTerminal, type CreateJobRequest, type FineTuningProvider, type Job, type JobLookup, type RequestOptions } from '../providers/types.js';
import type { Ledger, LedgerJob } from './ledger.js';
import { reconcile, undecidedError } from './reconcile.js';

/** Create attempts after an ambiguous failure (each preceded by a reconcile). */
const CREATE_ATTEMPTS = 3;

/** What the ledger already holds for a request. */
export type Existing =
  /** An active or succeeded job with the same fingerprint (`job` is the provider's view). */
  | { kind: 'duplicate'; entry: LedgerJob; job: Job }
  /** Another live process is sending this entry's create call right now. */
  | { kind: 'busy'; entry: LedgerJob }
  /** An entry whose create surely never reached the provider: create its job now, under the same ledger id. */
  | { kind: 'retry'; entry: LedgerJob };

/** Ledger fields that follow the provider's job. */
export function fromJob(job: Job): Partial<LedgerJob> {
  return { state: 'created', providerJobId: job.id, status: job.status, fineTunedModel: job.fineTunedModel, error: job.error, creator: null };
}

export type Settled = { kind: 'found'; job: Job; entry: LedgerJob } | { kind: 'absent'; entry: LedgerJob } | { kind: 'unknown'; entry: LedgerJob; lookup: Extract<JobLookup, { kind: 'unknown' }> };

/** Looks for a `creating` entry's job and records what was found. */
export async function settle(provider: FineTuningProvider, ledger: Ledger, entry: LedgerJob, opts: RequestOptions = {}): Promise<Settled> {
  const lookup = await reconcile(provider, ledger, entry, opts);
  if (lookup.kind === 'found') return { kind: 'found', job: lookup.job, entry: (await ledger.update(entry.ledgerId, fromJob(lookup.job))) ?? entry };
  if (lookup.kind === 'absent') return { kind: 'absent', entry };
  return { kind: 'unknown', entry, lookup };
}

/**
 * The newest entry with this fingerprint that holds (or is about to hold) an active or succeeded
 * job, checked against the provider (the ledger's status may be stale). `creating` entries are
 * settled first; one that cannot be settled stops here (exit 4), never creating again.
 */
export async function findExisting(provider: FineTuningProvider, ledger: Ledger, fingerprint: string, opts: RequestOptions & { projectFlags?: string } = {}): Promise<Existing | undefined> {
  const same = (await ledger.jobs()).filter((j) => j.fingerprint === fingerprint && j.provider === provider.name && j.account === provider.accountKey()).reverse();
  for (let entry of same) {
    if (entry.state === 'create_failed') continue;
    if (entry.state === 'creating') {
      if (ledger.isBeingCreated(entry)) return { kind: 'busy', entry };
      const settled = await settle(provider, ledger, entry, { signal: opts.signal });
      if (settled.kind === 'absent') return { kind: 'retry', entry };
      if (settled.kind === 'unknown') throw undecidedError(provider, entry, settled.lookup, opts.projectFlags);
      entry = settled.entry;
    }
    if (!entry.providerJobId || (entry.status !== null && isTerminal(entry.status) && entry.status !== 'succeeded')) continue;
    const job = await provider.getJob(entry.providerJobId, { signal: opts.signal });
    const updated = (await ledger.update(entry.ledgerId, fromJob(job))) ?? entry;
    if (!isTerminal(job.status) || job.status === 'succeeded') return { kind: 'duplicate', entry: updated, job };
  }
  return undefined;
}

export interface SubmitHooks {
  /** An ambiguous failure is being reconciled. */
  onReconcile?: (err: ProviderError, attempt: number) => void;
  signal?: AbortSignal | undefined;
  /** Flags that name the same project in printed commands, e.g. ` --manifest ops/routes.json`. */
  projectFlags?: string | undefined;
}

/**
 * Sends the create call for a ledger entry already written, and records the outcome. A refusal
 * marks the entry `create_failed`; an ambiguous failure that outlives the attempts leaves it
 * `creating` with no creator, so the next command settles it at once instead of creating a
 * second job.
 */
export async function createOnce(provider: FineTuningProvider, ledger: Ledger, entry: LedgerJob, req: Omit<CreateJobRequest, 'ledgerId'>, hooks: SubmitHooks = {}): Promise<Job> {
  const request: CreateJobRequest = { ...req, ledgerId: entry.ledgerId };
  const opts = { signal: hooks.signal };
  await ledger.update(entry.ledgerId, { creator: ledger.creator() });
  for (let attempt = 1; ; attempt++) {
    try {
      const job = await provider.createJob(request, opts);
      await ledger.update(entry.ledgerId, fromJob(job));
      return job;
    } catch (err) {
      if (!isAmbiguous(err)) {
        const refused = isLlmgwError(err) && !(err instanceof InterruptedError);
        await ledger.update(entry.ledgerId, refused ? { state: 'create_failed', creator: null, error: { code: err.code, message: err.message } } : { creator: null });
        throw err;
      }
      hooks.onReconcile?.(err, attempt);
      const settled = await settle(provider, ledger, entry, opts).catch(async (lookupErr: unknown) => {
        await ledger.update(entry.ledgerId, { creator: null });
        throw lookupErr;
      });
      if (settled.kind === 'found') return settled.job;
      if (settled.kind === 'unknown' || attempt >= CREATE_ATTEMPTS) {
        await ledger.update(entry.ledgerId, { creator: null });
        throw settled.kind === 'unknown' ? undecidedError(provider, entry, settled.lookup, hooks.projectFlags) : err;
      }
    }
  }
}

function isAmbiguous(err: unknown): err is ProviderError {
  return err instanceof ProviderError && err.retryable && err.code !== 'provider_rate_limited';
}
