/**
 * Creating a job exactly once. The ledger entry is written before the create call; the job is
 * tagged with the ledger id in its metadata (where the provider has metadata); when the call ends
 * ambiguously (timeout, dropped connection, 5xx after the SDK's retries) the provider's job list
 * is searched for it (`reconcile.ts`) before trying again, so one request never becomes two jobs.
 */
import { InterruptedError, ProviderError, isLlmgwError } from '../errors.js';
import { isTerminal, type CreateJobRequest, type FineTuningProvider, type Job } from '../providers/types.js';
import type { Ledger, LedgerJob } from './ledger.js';
import { LEDGER_METADATA_KEY, reconcile, tagsJobs } from './reconcile.js';

/** A `creating` entry younger than this is assumed to belong to a process that is still creating it. */
const CREATING_GRACE_MS = 10 * 60_000;
/** Create attempts after an ambiguous failure (each preceded by a reconcile). */
const CREATE_ATTEMPTS = 3;

export interface Duplicate {
  entry: LedgerJob;
  /** The provider's view, when it has the job. */
  job: Job | undefined;
}

/** Whether a ledger entry holds (or is about to hold) an active or succeeded job. */
function blocks(entry: LedgerJob, now: number): boolean {
  if (entry.state === 'create_failed') return false;
  if (entry.state === 'creating') return now - Date.parse(entry.updatedAt) < CREATING_GRACE_MS;
  return entry.status === null || !isTerminal(entry.status) || entry.status === 'succeeded';
}

/**
 * The newest job in the ledger with this fingerprint that is still active or succeeded, checked
 * against the provider (the ledger's status may be stale). Stale `creating` entries are reconciled.
 */
export async function findDuplicate(provider: FineTuningProvider, ledger: Ledger, fingerprint: string, now: number): Promise<Duplicate | undefined> {
  const same = (await ledger.jobs()).filter((j) => j.fingerprint === fingerprint && j.provider === provider.name && j.account === provider.accountKey()).reverse();
  for (let entry of same) {
    if (entry.state === 'creating' && !blocks(entry, now)) {
      const found = await reconcile(provider, ledger, entry);
      entry = (await ledger.update(entry.ledgerId, found ? fromJob(found) : { state: 'create_failed' })) ?? entry;
    }
    if (!blocks(entry, now)) continue;
    if (!entry.providerJobId) return { entry, job: undefined };
    const job = await provider.getJob(entry.providerJobId);
    const updated = (await ledger.update(entry.ledgerId, fromJob(job))) ?? entry;
    if (blocks(updated, now)) return { entry: updated, job };
  }
  return undefined;
}

/** Ledger fields that follow the provider's job. */
export function fromJob(job: Job): Partial<LedgerJob> {
  return { state: 'created', providerJobId: job.id, status: job.status, fineTunedModel: job.fineTunedModel, error: job.error };
}

export interface SubmitHooks {
  /** An ambiguous failure is being reconciled. */
  onReconcile?: (err: ProviderError, attempt: number) => void;
  signal?: AbortSignal | undefined;
}

/**
 * Sends the create call for a ledger entry already written, and records the outcome. A refusal
 * marks the entry `create_failed`; an ambiguous failure that outlives the attempts leaves it
 * `creating`, so the next `tune start` reconciles it instead of creating a second job.
 */
export async function createOnce(provider: FineTuningProvider, ledger: Ledger, entry: LedgerJob, req: CreateJobRequest, hooks: SubmitHooks = {}): Promise<Job> {
  const tagged: CreateJobRequest = tagsJobs(provider.capabilities) ? { ...req, metadata: { ...req.metadata, [LEDGER_METADATA_KEY]: entry.ledgerId } } : req;
  for (let attempt = 1; ; attempt++) {
    try {
      const job = await provider.createJob(tagged, { signal: hooks.signal });
      await ledger.update(entry.ledgerId, fromJob(job));
      return job;
    } catch (err) {
      if (!isAmbiguous(err)) {
        if (isLlmgwError(err) && !(err instanceof InterruptedError)) {
          await ledger.update(entry.ledgerId, { state: 'create_failed', error: { code: err.code, message: err.message } });
        }
        throw err;
      }
      hooks.onReconcile?.(err, attempt);
      const found = await reconcile(provider, ledger, entry);
      if (found) {
        await ledger.update(entry.ledgerId, fromJob(found));
        return found;
      }
      if (attempt >= CREATE_ATTEMPTS) throw err;
    }
  }
}

function isAmbiguous(err: unknown): err is ProviderError {
  return err instanceof ProviderError && err.retryable && err.code !== 'provider_rate_limited';
}
