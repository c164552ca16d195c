/**
 * The fake OpenAI's memory and clock. Wire objects are typed with the SDK's own types, so the
 * fake cannot drift from what the client expects.
 */
import type { FileObject } from 'openai/resources/files';
import type { FineTuningJob, FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';
import type { FineTuningJobCheckpoint } from 'openai/resources/fine-tuning/jobs/checkpoints';
import type { Model } from 'openai/resources/models';
import type { Upload } from 'openai/resources/uploads/uploads';
import type { UploadPart } from 'openai/resources/uploads/parts';

export interface StoredFile {
  object: FileObject;
  /** SHA-256 of a file assembled from Upload parts is known only when the parts were kept. */
  sha256: string | null;
  /** MD5 and bytes are kept for small files only (see `keepContentBytes`). */
  md5: string | null;
  content: Buffer | null;
}

export interface StoredPart {
  object: UploadPart;
  bytes: number;
  sha256: string;
  content: Buffer | null;
}

export interface StoredUpload {
  object: Upload;
  mimeType: string;
  parts: Map<string, StoredPart>;
  /** Part ids in the order `complete` named them. */
  completedOrder: string[] | null;
}

/** How a job will go, decided when it is created (see `fake.jobs.planNext`). */
export interface JobPlan {
  validatingMs: number;
  queuedMs: number;
  steps: number;
  stepMs: number;
  /** `succeeded`, or fail with this error during validation or half-way through training. */
  outcome: 'succeeded' | { failAt: 'validating_files' | 'running'; error: { code: string; message: string; param: string | null } };
}

/** Fields real job objects carry that the SDK type leaves out (including the `paused` status). */
export type WireJob = Omit<FineTuningJob, 'status'> & {
  status: FineTuningJob['status'] | 'paused';
  user_provided_suffix: string | null;
  shared_with_openai: boolean;
  usage_metrics: null;
};

export interface StoredJob {
  object: WireJob;
  plan: JobPlan;
  /** Oldest first; the API lists newest first. */
  events: FineTuningJobEvent[];
  checkpoints: FineTuningJobCheckpoint[];
  /** The model id it will get on success, fixed at creation so checkpoints can name it. */
  modelId: string;
  epochs: number;
  step: number;
  /** Clock time (ms) of the next transition. */
  nextAt: number;
}

export interface StoredModel {
  object: Model;
  /** `shutdown_date`, which the SDK's `Model` type lacks. */
  shutdownDate: string | null;
}

export class FakeClock {
  constructor(private ms: number) {}

  /** Milliseconds since the epoch, on the fake's clock. */
  now(): number {
    return this.ms;
  }

  /** Unix seconds, as the API's timestamps are. */
  seconds(): number {
    return Math.floor(this.ms / 1000);
  }

  /** Moves time on; jobs run their transitions up to the new time. */
  advance(ms: number): void {
    this.ms += ms;
    for (const l of this.listeners) l(this.ms);
  }

  private readonly listeners: ((now: number) => void)[] = [];

  onAdvance(l: (now: number) => void): void {
    this.listeners.push(l);
  }
}

export interface FakeState {
  files: Map<string, StoredFile>;
  uploads: Map<string, StoredUpload>;
  jobs: Map<string, StoredJob>;
  models: Map<string, StoredModel>;
}

export function emptyState(): FakeState {
  return { files: new Map(), uploads: new Map(), jobs: new Map(), models: new Map() };
}

/** Cursor pagination the way OpenAI does it: `after` is the id of the last item already seen. */
export function paginate<T extends { id: string }>(items: T[], after: string | null, limit: number): { data: T[]; has_more: boolean } {
  let start = 0;
  if (after) {
    const i = items.findIndex((x) => x.id === after);
    start = i < 0 ? items.length : i + 1;
  }
  const data = items.slice(start, start + limit);
  return { data, has_more: start + limit < items.length };
}
