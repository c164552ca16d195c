/**
 * Together wire objects ↔ llmgw's neutral shapes. Times on the wire are ISO strings; jobs carry
 * their hyperparameters flat (`n_epochs`, `batch_size`, …) and the output model name from the
 * start, which llmgw reports only once the job has completed.
 */
import { unixSeconds } from '../rest.js';
import { markedSuffix, userSuffixOf } from './mark.js';
import type { Checkpoint, CreateJobRequest, Hyperparameters, Job, JobEvent, JobStatus, UploadedFile } from '../types.js';

export interface TogetherFile {
  id: string;
  filename: string;
  bytes: number;
  created_at: number;
  purpose: string;
  Processed?: boolean;
  processing_status?: string;
}

export interface TogetherEvent {
  created_at: string;
  message: string;
  type: string;
  level?: string | null;
  step?: number;
  total_steps?: number;
}

export interface TogetherJob {
  id: string;
  status: string;
  created_at?: string;
  updated_at?: string;
  model?: string;
  model_output_name?: string;
  training_file?: string;
  validation_file?: string;
  n_epochs?: number;
  batch_size?: number | 'max';
  learning_rate?: number;
  suffix?: string;
  random_seed?: number | null;
  token_count?: number;
  training_method?: { method: 'sft' | 'dpo'; dpo_beta?: number; train_on_inputs?: boolean | 'auto' };
  training_type?: { type: 'Full' } | { type: 'Lora'; lora_r: number; lora_alpha: number; lora_dropout?: number };
  events?: TogetherEvent[];
}

export interface TogetherCheckpoint {
  checkpoint_type: string;
  created_at: string;
  path: string;
  step: number;
}

const STATUS: Record<string, JobStatus> = {
  pending: 'queued',
  queued: 'queued',
  running: 'running',
  compressing: 'running',
  uploading: 'running',
  // Still stopping; it turns `cancelled` when done.
  cancel_requested: 'running',
  cancelled: 'cancelled',
  error: 'failed',
  completed: 'succeeded',
};

/** A status outside the documented enum is `unknown` (see JobStatus): never taken for running, nor for a failure. */
export function toStatus(s: string): JobStatus {
  return STATUS[s] ?? 'unknown';
}

export function toJob(j: TogetherJob): Job {
  const status = toStatus(j.status);
  const finished = status === 'succeeded' || status === 'failed' || status === 'cancelled';
  const hyper: Hyperparameters = {};
  if (j.n_epochs !== undefined) hyper.epochs = j.n_epochs;
  if (j.batch_size !== undefined) hyper.batchSize = j.batch_size === 'max' ? 'auto' : j.batch_size;
  if (j.training_method?.dpo_beta !== undefined) hyper.beta = j.training_method.dpo_beta;
  const extra: Record<string, number | boolean> = {};
  if (j.learning_rate !== undefined) extra.learning_rate = j.learning_rate;
  if (j.training_type) extra.lora = j.training_type.type === 'Lora';
  if (j.training_type?.type === 'Lora') {
    extra.lora_r = j.training_type.lora_r;
    extra.lora_alpha = j.training_type.lora_alpha;
  }
  if (Object.keys(extra).length > 0) hyper.extra = extra;
  return {
    id: j.id,
    provider: 'together',
    status,
    providerStatus: j.status,
    baseModel: j.model ?? '',
    method: j.training_method?.method === 'dpo' ? 'dpo' : 'supervised',
    fineTunedModel: status === 'succeeded' ? (j.model_output_name ?? null) : null,
    trainingFileId: j.training_file ?? '',
    validationFileId: j.validation_file || null,
    createdAt: unixSeconds(j.created_at) ?? 0,
    finishedAt: finished ? unixSeconds(j.updated_at) : null,
    estimatedFinish: null,
    trainedTokens: status === 'succeeded' ? (j.token_count ?? null) : null,
    hyperparameters: hyper,
    suffix: userSuffixOf(j.suffix),
    seed: j.random_seed ?? null,
    metadata: {},
    error: status === 'failed' ? jobError(j) : null,
  };
}

/** Together keeps no error object on the job; the last error event says what went wrong. */
function jobError(j: TogetherJob): Job['error'] {
  const last = [...(j.events ?? [])].reverse().find((e) => e.type === 'job_error' || e.level === 'error');
  return { code: last?.type ?? null, message: last?.message ?? 'Together reported the job as failed without a reason.' };
}

/**
 * The JSON body of POST /v1/fine-tunes; only set fields are sent, plus what the official OpenAPI
 * requires: a supervised `training_method` always carries `train_on_inputs` (`"auto"` unless set,
 * as the official SDKs send it). The suffix ends with the ledger id (`mark.ts`).
 */
export function toCreateBody(req: Omit<CreateJobRequest, 'ledgerId'>, ledgerId: string | undefined): Record<string, unknown> {
  const h = req.hyperparameters;
  const extra: Record<string, string | number | boolean | undefined> = { ...h.extra };
  const body: Record<string, unknown> = { model: req.baseModel, training_file: req.trainingFileId };
  if (req.validationFileId) body.validation_file = req.validationFileId;
  if (h.epochs !== undefined) body.n_epochs = h.epochs;
  if (h.batchSize !== undefined) body.batch_size = h.batchSize === 'auto' ? 'max' : h.batchSize;
  body.training_method = req.method === 'dpo' ? { method: 'dpo', ...(h.beta !== undefined ? { dpo_beta: h.beta } : {}) } : { method: 'sft', train_on_inputs: extra.train_on_inputs ?? 'auto' };
  delete extra.train_on_inputs;
  const lora = extra.lora !== false;
  if (!lora) body.training_type = { type: 'Full' };
  else if (extra.lora_r !== undefined || extra.lora_alpha !== undefined || extra.lora_dropout !== undefined) {
    body.training_type = { type: 'Lora', lora_r: extra.lora_r ?? 8, lora_alpha: extra.lora_alpha ?? Number(extra.lora_r ?? 8) * 2, ...(extra.lora_dropout !== undefined ? { lora_dropout: extra.lora_dropout } : {}) };
  }
  for (const key of ['lora', 'lora_r', 'lora_alpha', 'lora_dropout']) delete extra[key];
  Object.assign(body, extra);
  const suffix = ledgerId ? markedSuffix(req.suffix, ledgerId) : req.suffix;
  if (suffix !== undefined) body.suffix = suffix;
  if (req.seed !== undefined) body.random_seed = req.seed;
  return body;
}

const LEVELS: Record<string, JobEvent['level']> = { warning: 'warn', legacy_iwarning: 'warn', error: 'error', legacy_ierror: 'error' };

/** Together's events have no id; their position in the (append-only, oldest-first) list is one. */
export function toEvent(e: TogetherEvent, index: number, jobId: string): JobEvent {
  const data: Record<string, unknown> = {};
  if (e.step !== undefined) data.step = e.step;
  if (e.total_steps !== undefined) data.total_steps = e.total_steps;
  return {
    id: `${jobId}:event:${index}`,
    createdAt: unixSeconds(e.created_at) ?? 0,
    level: LEVELS[e.level ?? ''] ?? 'info',
    message: e.message,
    type: e.type,
    data: Object.keys(data).length > 0 ? data : null,
  };
}

export function toCheckpoint(c: TogetherCheckpoint, jobId: string): Checkpoint {
  return { id: `${jobId}:${c.step}`, createdAt: unixSeconds(c.created_at) ?? 0, step: c.step, model: c.path, metrics: {} };
}

export function toUploadedFile(f: TogetherFile): UploadedFile {
  return {
    id: f.id,
    bytes: f.bytes,
    filename: f.filename,
    createdAt: f.created_at,
    purpose: f.purpose,
    status: f.processing_status?.toLowerCase() ?? (f.Processed ? 'processed' : 'uploaded'),
  };
}
