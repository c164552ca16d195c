/**
 * Fireworks wire objects ↔ llmgw's neutral shapes. Resources are named
 * `accounts/{account}/datasets/{id}` and `accounts/{account}/supervisedFineTuningJobs/{id}`;
 * llmgw keeps a dataset's full name as its file id and a job's last segment as its job id.
 */
import { unixSeconds } from '../rest.js';
import type { CreateJobRequest, Hyperparameters, Job, JobStatus, UploadedFile } from '../types.js';

export interface FireworksDataset {
  name: string;
  state?: string;
  createTime?: string;
  exampleCount?: string;
  displayName?: string;
  status?: { code?: string; message?: string };
}

export interface FireworksJob {
  name: string;
  displayName?: string;
  state?: string;
  status?: { code?: string; message?: string };
  dataset?: string;
  evaluationDataset?: string;
  baseModel?: string;
  outputModel?: string;
  createTime?: string;
  completedTime?: string;
  updateTime?: string;
  epochs?: number;
  learningRate?: number;
  loraRank?: number;
  maxContextLength?: number;
  earlyStop?: boolean;
  jobProgress?: { percent?: number; epoch?: number; inputTokens?: number };
}

/**
 * Every state the API reference and the official SDK list for a job (`gatewayJobState`). A state
 * missing here is `unknown` (see JobStatus): never watched as running, nor recorded as a failure.
 */
const STATUS: Record<string, JobStatus> = {
  // Unset: a job read before Fireworks has given it a state.
  JOB_STATE_UNSPECIFIED: 'queued',
  JOB_STATE_CREATING: 'queued',
  JOB_STATE_PENDING: 'queued',
  JOB_STATE_RE_QUEUEING: 'queued',
  JOB_STATE_IDLE: 'queued',
  JOB_STATE_VALIDATING: 'validating_files',
  JOB_STATE_CREATING_INPUT_DATASET: 'validating_files',
  JOB_STATE_RUNNING: 'running',
  JOB_STATE_WRITING_RESULTS: 'running',
  JOB_STATE_ROLLOUT: 'running',
  JOB_STATE_EVALUATION: 'running',
  // Still stopping; it turns JOB_STATE_CANCELLED when done.
  JOB_STATE_CANCELLING: 'running',
  // "Typically due to account suspension or manual intervention"; `:resume` continues it.
  JOB_STATE_PAUSED: 'paused',
  JOB_STATE_COMPLETED: 'succeeded',
  JOB_STATE_FAILED: 'failed',
  JOB_STATE_EXPIRED: 'failed',
  JOB_STATE_CANCELLED: 'cancelled',
  // A deleted job stops and then disappears; for llmgw it ended as cancelled.
  JOB_STATE_DELETING: 'cancelled',
  JOB_STATE_DELETING_CLEANING_UP: 'cancelled',
  JOB_STATE_DELETED: 'cancelled',
};

/**
 * A job's neutral status. Early stopping ends training when the evaluation loss stops improving:
 * with an output model that is a result to register, without one it is a failure.
 */
export function toStatus(j: Pick<FireworksJob, 'state' | 'outputModel'>): JobStatus {
  const state = j.state ?? 'JOB_STATE_UNSPECIFIED';
  if (state === 'JOB_STATE_EARLY_STOPPED') return j.outputModel ? 'succeeded' : 'failed';
  return STATUS[state] ?? 'unknown';
}

/**
 * The job id a ledger entry gives its job: `llmgw-` and the ledger id's hex (a resource id is
 * lowercase letters, digits and hyphens, starting with a letter, at most 63 characters).
 */
export function jobIdFor(ledgerId: string): string {
  return `llmgw-${ledgerId.replace(/^lj_/, '').toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
}

export const lastSegment = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

export function toJob(j: FireworksJob): Job {
  const state = j.state ?? 'JOB_STATE_UNSPECIFIED';
  const status = toStatus(j);
  const hyper: Hyperparameters = {};
  if (j.epochs !== undefined) hyper.epochs = j.epochs;
  const extra: Record<string, number | boolean> = {};
  if (j.learningRate !== undefined) extra.learningRate = j.learningRate;
  if (j.loraRank !== undefined) extra.loraRank = j.loraRank;
  if (j.maxContextLength !== undefined) extra.maxContextLength = j.maxContextLength;
  if (j.earlyStop !== undefined) extra.earlyStop = j.earlyStop;
  if (Object.keys(extra).length > 0) hyper.extra = extra;
  return {
    id: lastSegment(j.name),
    provider: 'fireworks',
    status,
    providerStatus: state,
    baseModel: j.baseModel ?? '',
    method: 'supervised',
    fineTunedModel: status === 'succeeded' ? (j.outputModel ?? null) : null,
    trainingFileId: j.dataset ?? '',
    validationFileId: j.evaluationDataset || null,
    createdAt: unixSeconds(j.createTime) ?? 0,
    finishedAt: status === 'succeeded' || status === 'failed' || status === 'cancelled' ? (unixSeconds(j.completedTime) ?? unixSeconds(j.updateTime)) : null,
    estimatedFinish: null,
    trainedTokens: status === 'succeeded' ? (j.jobProgress?.inputTokens ?? null) : null,
    hyperparameters: hyper,
    suffix: j.displayName ?? null,
    seed: null,
    metadata: {},
    error: status === 'failed' ? jobError(j, state) : null,
  };
}

function jobError(j: FireworksJob, state: string): Job['error'] {
  if (state === 'JOB_STATE_EXPIRED') return { code: j.status?.code ?? 'JOB_STATE_EXPIRED', message: j.status?.message || 'Fireworks expired the job before it finished.' };
  if (state === 'JOB_STATE_EARLY_STOPPED') return { code: j.status?.code ?? 'JOB_STATE_EARLY_STOPPED', message: j.status?.message || 'Fireworks stopped the job early, and it produced no model.' };
  return { code: j.status?.code ?? null, message: j.status?.message || 'Fireworks reported the job as failed without a reason.' };
}

/** The JSON body of the create call; only set fields are sent. */
export function toCreateBody(req: CreateJobRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { baseModel: req.baseModel, dataset: req.trainingFileId };
  if (req.validationFileId) body.evaluationDataset = req.validationFileId;
  if (req.suffix !== undefined) body.displayName = req.suffix;
  if (req.hyperparameters.epochs !== undefined) body.epochs = req.hyperparameters.epochs;
  Object.assign(body, req.hyperparameters.extra ?? {});
  return body;
}

export function toUploadedFile(d: FireworksDataset, bytes: number, filename: string): UploadedFile {
  return {
    id: d.name,
    bytes,
    filename: d.displayName ?? filename,
    createdAt: unixSeconds(d.createTime) ?? 0,
    purpose: 'fine-tune',
    status: d.state === 'READY' ? 'processed' : (d.state?.toLowerCase() ?? 'uploaded'),
  };
}
