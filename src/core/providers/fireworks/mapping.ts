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

const STATUS: Record<string, JobStatus> = {
  JOB_STATE_UNSPECIFIED: 'queued',
  JOB_STATE_CREATING: 'queued',
  JOB_STATE_VALIDATING: 'validating_files',
  JOB_STATE_RUNNING: 'running',
  JOB_STATE_WRITING_RESULTS: 'running',
  JOB_STATE_ROLLOUT: 'running',
  JOB_STATE_EVALUATION: 'running',
  JOB_STATE_COMPLETED: 'succeeded',
  JOB_STATE_FAILED: 'failed',
  JOB_STATE_CANCELLED: 'cancelled',
  // A deleted job stops and then disappears; for llmgw it ended as cancelled.
  JOB_STATE_DELETING: 'cancelled',
};

export const lastSegment = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

export function toJob(j: FireworksJob): Job {
  const state = j.state ?? 'JOB_STATE_UNSPECIFIED';
  const status = STATUS[state] ?? 'running';
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
    error: status === 'failed' ? { code: j.status?.code ?? null, message: j.status?.message || 'Fireworks reported the job as failed without a reason.' } : null,
  };
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
