/**
 * OpenAI wire objects ↔ llmgw's neutral shapes. Reading is tolerant of what the reference (§5.2)
 * shows real responses doing against the schema: `paused`, an error object of nulls or `{}`,
 * `hyperparameters: null` or missing, extra keys.
 */
import type { FileObject } from 'openai/resources/files';
import type { FineTuningJob, FineTuningJobEvent, JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import type { FineTuningJobCheckpoint } from 'openai/resources/fine-tuning/jobs/checkpoints';
import { UsageError } from '../../errors.js';
import type { Checkpoint, CreateJobRequest, HyperValue, Hyperparameters, Job, JobEvent, JobStatus, TrainingMethod, UploadedFile } from '../types.js';

const STATUSES: readonly JobStatus[] = ['validating_files', 'queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled'];

/** Keys seen in responses but missing from the SDK's type. */
interface JobExtras {
  user_provided_suffix?: string | null;
  status: string;
}

type WireHyper = Record<string, unknown> | null | undefined;

export function toJob(j: FineTuningJob, provider: string): Job {
  const wire = j as FineTuningJob & JobExtras;
  const method = (j.method?.type ?? 'supervised') as TrainingMethod;
  const perMethod = (j.method?.[method] as { hyperparameters?: WireHyper } | undefined)?.hyperparameters;
  return {
    id: j.id,
    provider,
    status: toStatus(wire.status),
    providerStatus: wire.status,
    baseModel: j.model,
    method,
    fineTunedModel: j.fine_tuned_model ?? null,
    trainingFileId: j.training_file,
    validationFileId: j.validation_file ?? null,
    createdAt: j.created_at,
    finishedAt: j.finished_at ?? null,
    // The succeeded example sends 0 for "no estimate".
    estimatedFinish: j.estimated_finish || null,
    trainedTokens: j.trained_tokens ?? null,
    hyperparameters: fromWireHyper(perMethod ?? (j.hyperparameters as WireHyper)),
    suffix: wire.user_provided_suffix ?? suffixOf(j.fine_tuned_model),
    seed: j.seed ?? null,
    metadata: { ...(j.metadata ?? {}) },
    error: j.error && typeof j.error.message === 'string' && j.error.message !== '' ? { code: j.error.code ?? null, message: j.error.message, param: j.error.param ?? null } : null,
  };
}

/** A word outside the documented enum is `unknown` (never taken for running); `providerStatus` keeps it. */
function toStatus(s: string): JobStatus {
  return (STATUSES as readonly string[]).includes(s) ? (s as JobStatus) : 'unknown';
}

/** `ft:<base>:<org>:<suffix>:<id>`; the suffix segment is empty when none was given. */
function suffixOf(model: string | null): string | null {
  const suffix = model?.startsWith('ft:') ? model.split(':')[3] : undefined;
  return suffix ? suffix : null;
}

const NAMES = [
  ['epochs', 'n_epochs'],
  ['batchSize', 'batch_size'],
  ['learningRateMultiplier', 'learning_rate_multiplier'],
  ['beta', 'beta'],
] as const;

function fromWireHyper(h: WireHyper): Hyperparameters {
  const out: Hyperparameters = {};
  if (!h) return out;
  for (const [ours, theirs] of NAMES) {
    const v = h[theirs];
    if (v === 'auto' || typeof v === 'number') out[ours] = v;
  }
  return out;
}

function toWireHyper(h: Hyperparameters, method: TrainingMethod): Record<string, HyperValue | string | boolean> {
  if (h.beta !== undefined && method !== 'dpo') {
    throw new UsageError('hyperparameter_not_supported', `beta only applies to DPO jobs, not ${method}.`, { hint: 'drop --beta, or use --method dpo' });
  }
  const out: Record<string, HyperValue | string | boolean> = {};
  for (const [ours, theirs] of NAMES) {
    const v = h[ours];
    if (v !== undefined) out[theirs] = v;
  }
  return { ...out, ...h.extra };
}

/** The JSON body of `POST /fine_tuning/jobs`. Only set fields are sent; a reinforcement job carries its grader. */
export function toCreateParams(req: CreateJobRequest): JobCreateParams {
  if (req.method === 'reinforcement' && !req.grader) {
    throw new UsageError('grader_missing', 'Reinforcement fine-tuning needs a grader, and none was given.', { hint: 'pass --grader grader.json' });
  }
  const hyperparameters = toWireHyper(req.hyperparameters, req.method);
  const config = req.method === 'reinforcement' ? { grader: req.grader, hyperparameters } : { hyperparameters };
  const params: JobCreateParams = {
    model: req.baseModel,
    training_file: req.trainingFileId,
    method: { type: req.method, [req.method]: config } as JobCreateParams['method'],
  };
  if (req.validationFileId) params.validation_file = req.validationFileId;
  if (req.suffix !== undefined) params.suffix = req.suffix;
  if (req.seed !== undefined) params.seed = req.seed;
  if (req.metadata && Object.keys(req.metadata).length > 0) params.metadata = req.metadata;
  return params;
}

export function toEvent(e: FineTuningJobEvent): JobEvent {
  return {
    id: e.id,
    createdAt: e.created_at,
    level: e.level,
    message: e.message,
    type: e.type ?? 'message',
    data: e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : null,
  };
}

export function toCheckpoint(c: FineTuningJobCheckpoint): Checkpoint {
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(c.metrics ?? {})) if (typeof v === 'number') metrics[k] = v;
  return { id: c.id, createdAt: c.created_at, step: c.step_number, model: c.fine_tuned_model_checkpoint, metrics };
}

export function toUploadedFile(f: FileObject): UploadedFile {
  return { id: f.id, bytes: f.bytes, filename: f.filename, createdAt: f.created_at, purpose: f.purpose, status: f.status };
}
