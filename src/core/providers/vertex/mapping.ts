/**
 * Vertex `TuningJob` ↔ llmgw's provider-neutral job. States come from `JobState` (JOB_STATE_*),
 * refined by the sub-state `tuningJobState` (processing the dataset counts as validating the
 * files); progress from `tuningJobMetadata.completedEpochCount`; the result from `tunedModel`
 * (the endpoint is what serves traffic); dropped and truncated examples from `tuningDataStats`.
 */
import type { TuningJob } from '@google/genai';
import type { Checkpoint, Hyperparameters, Job, JobStatus } from '../types.js';
import { ADAPTER_SIZES } from './capabilities.js';

const STATUS: Record<string, JobStatus> = {
  JOB_STATE_UNSPECIFIED: 'queued',
  JOB_STATE_QUEUED: 'queued',
  JOB_STATE_PENDING: 'queued',
  JOB_STATE_RUNNING: 'running',
  JOB_STATE_UPDATING: 'running',
  JOB_STATE_CANCELLING: 'running',
  JOB_STATE_PAUSED: 'paused',
  JOB_STATE_SUCCEEDED: 'succeeded',
  JOB_STATE_PARTIALLY_SUCCEEDED: 'succeeded',
  JOB_STATE_FAILED: 'failed',
  JOB_STATE_EXPIRED: 'failed',
  JOB_STATE_CANCELLED: 'cancelled',
};

/** Vertex's sub-states, in the order a job passes through them, with what they mean. */
export const SUB_STATES: Record<string, string> = {
  TUNING_JOB_STATE_WAITING_FOR_QUOTA: 'waiting for tuning quota in the region',
  TUNING_JOB_STATE_PROCESSING_DATASET: 'processing the dataset',
  TUNING_JOB_STATE_WAITING_FOR_CAPACITY: 'waiting for capacity',
  TUNING_JOB_STATE_TUNING: 'tuning',
  TUNING_JOB_STATE_POST_PROCESSING: 'post-processing (deploying the tuned model to its endpoint)',
};

const seconds = (iso: string | undefined): number | null => (iso ? Math.floor(Date.parse(iso) / 1000) : null);
const int = (v: string | number | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

export function shortState(state: string | undefined): string {
  return (state ?? 'JOB_STATE_UNSPECIFIED').replace(/^JOB_STATE_/, '').replace(/^TUNING_JOB_STATE_/, '');
}

/** The training spec, whichever method the job uses. */
function specOf(j: TuningJob): { trainingDatasetUri?: string; validationDatasetUri?: string; hyperParameters?: Record<string, unknown> } {
  return (j.preferenceOptimizationSpec ?? j.supervisedTuningSpec ?? {}) as ReturnType<typeof specOf>;
}

function hyperparametersOf(j: TuningJob): Hyperparameters {
  const hp = specOf(j).hyperParameters ?? {};
  const out: Hyperparameters = {};
  const epochs = int(hp.epochCount as string | number | undefined);
  if (epochs !== undefined) out.epochs = epochs;
  if (typeof hp.learningRateMultiplier === 'number') out.learningRateMultiplier = hp.learningRateMultiplier;
  if (typeof hp.beta === 'number') out.beta = hp.beta;
  const size = Object.entries(ADAPTER_SIZES).find(([, name]) => name === hp.adapterSize)?.[0];
  if (size !== undefined) out.extra = { adapterSize: Number(size) };
  return out;
}

export function toJob(j: TuningJob): Job {
  const state = j.state ?? 'JOB_STATE_UNSPECIFIED';
  // A state missing from JobState as the SDK lists it is `unknown`, never taken for waiting.
  let status: JobStatus = STATUS[state] ?? 'unknown';
  if (status === 'running' && j.tuningJobState === 'TUNING_JOB_STATE_PROCESSING_DATASET') status = 'validating_files';
  const spec = specOf(j);
  const sub = j.tuningJobState ? ` (${shortState(j.tuningJobState)})` : '';
  return {
    id: j.name ?? '',
    provider: 'vertex',
    status,
    providerStatus: `${state}${sub}`,
    baseModel: j.baseModel ?? j.preTunedModel?.tunedModelName ?? '',
    method: j.preferenceOptimizationSpec ? 'dpo' : 'supervised',
    fineTunedModel: status === 'succeeded' ? (j.tunedModel?.endpoint ?? null) : null,
    trainingFileId: spec.trainingDatasetUri ?? '',
    validationFileId: spec.validationDatasetUri ?? null,
    createdAt: seconds(j.createTime) ?? 0,
    finishedAt: seconds(j.endTime),
    estimatedFinish: null,
    trainedTokens: int(j.tuningDataStats?.supervisedTuningDataStats?.totalBillableTokenCount ?? j.tuningDataStats?.preferenceOptimizationDataStats?.totalBillableTokenCount) ?? null,
    hyperparameters: hyperparametersOf(j),
    suffix: j.tunedModelDisplayName ?? null,
    seed: null,
    metadata: { ...(j.labels ?? {}) },
    error: errorOf(j),
  };
}

function errorOf(j: TuningJob): Job['error'] {
  if (j.error) {
    // google.rpc.Code 1 is CANCELLED: how Vertex marks a job cancelled on request.
    const code = j.error.code === 1 ? 'CANCELLED' : j.error.code !== undefined ? `google.rpc.Code ${j.error.code}` : null;
    return { code, message: j.error.message ?? 'the job failed without a message' };
  }
  if (j.state === 'JOB_STATE_EXPIRED') {
    return { code: 'JOB_STATE_EXPIRED', message: 'the job expired before it could run (Vertex gives up on jobs that wait too long for quota or capacity)' };
  }
  return null;
}

/** The examples Vertex dropped or truncated, by 1-based line of the uploaded file. */
export interface DataReport {
  examples: number | null;
  truncatedLines: number[];
  truncatedCount: number;
  droppedLines: number[];
  droppedReasons: string[];
}

export function dataReport(j: TuningJob): DataReport | undefined {
  const sft = j.tuningDataStats?.supervisedTuningDataStats;
  const pref = j.tuningDataStats?.preferenceOptimizationDataStats;
  if (!sft && !pref) return undefined;
  const lines = (indices: string[] | undefined): number[] => (indices ?? []).map((i) => Number(i) + 1).filter(Number.isFinite);
  return {
    examples: int(sft?.tuningDatasetExampleCount ?? pref?.tuningDatasetExampleCount) ?? null,
    truncatedLines: lines(sft?.truncatedExampleIndices),
    truncatedCount: int(sft?.totalTruncatedExampleCount) ?? 0,
    droppedLines: lines(pref?.droppedExampleIndices),
    droppedReasons: [...(sft?.droppedExampleReasons ?? []), ...(pref?.droppedExampleReasons ?? [])],
  };
}

export function toCheckpoints(j: TuningJob): Checkpoint[] {
  const at = seconds(j.endTime ?? j.updateTime) ?? 0;
  return (j.tunedModel?.checkpoints ?? [])
    .map((c, i): Checkpoint => {
      const epoch = int(c.epoch);
      return { id: c.checkpointId ?? String(i + 1), createdAt: at, step: int(c.step) ?? i + 1, model: c.endpoint ?? '', metrics: epoch === undefined ? {} : { epoch } };
    })
    .sort((a, b) => b.step - a.step);
}

/** What a gateway needs to route to a tuned Gemini model (the manifest keeps it as `serving.vertex`). */
export interface VertexServing {
  project: string;
  location: string;
  /** `projects/…/locations/…/endpoints/N`: the resource that serves generateContent. */
  endpoint: string;
  /** N, the numeric endpoint id (LiteLLM's `vertex_ai/<id>`). */
  endpointId: string;
  /** `projects/…/locations/…/models/M@1`. */
  tunedModel: string;
}

export function servingOf(j: TuningJob): VertexServing | undefined {
  const endpoint = j.tunedModel?.endpoint;
  const model = j.tunedModel?.model;
  if (j.state !== 'JOB_STATE_SUCCEEDED' && j.state !== 'JOB_STATE_PARTIALLY_SUCCEEDED') return undefined;
  // Project and region as the endpoint's own name has them (Vertex writes the project number there).
  const m = endpoint ? /^projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/(\d+)$/.exec(endpoint) : null;
  if (!endpoint || !model || !m) return undefined;
  return { project: m[1] as string, location: m[2] as string, endpoint, endpointId: m[3] as string, tunedModel: model };
}
