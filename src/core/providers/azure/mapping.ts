/**
 * Azure's job object is OpenAI's with Azure's own states and a `suffix` field. The states of
 * API version 2025-04-01-preview (`FineTuningState`): `created` (documented as never returned),
 * `pending` (not yet started), `running`, `pausing`, `paused`, `resuming`, `succeeded`,
 * `cancelled`, `failed`. `pending` and `created` are waiting, not training.
 */
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { toJob } from '../openai/mapping.js';
import type { Job, JobStatus } from '../types.js';

const STATES: Record<string, JobStatus> = {
  created: 'queued',
  pending: 'queued',
  // OpenAI's words, which older API versions and the OpenAI-compatible endpoint may send.
  validating_files: 'validating_files',
  queued: 'queued',
  running: 'running',
  // Still training until Azure says `paused`.
  pausing: 'running',
  paused: 'paused',
  resuming: 'queued',
  succeeded: 'succeeded',
  cancelled: 'cancelled',
  failed: 'failed',
};

/** The ledger id llmgw puts in the suffix when the user gave none (`lj_` and 20 hex digits). */
export const LEDGER_SUFFIX = /^lj_[0-9a-f]{20}$/;

/** A state missing above is `unknown` (OpenAI's mapping, which knows no other word either), never running. */
export function toAzureJob(wire: FineTuningJob, provider: string): Job {
  const job = toJob(wire, provider);
  const raw = (wire as { status: string }).status;
  const suffix = (wire as { suffix?: unknown }).suffix;
  return { ...job, status: STATES[raw] ?? 'unknown', suffix: typeof suffix === 'string' && suffix !== '' ? suffix : job.suffix };
}
