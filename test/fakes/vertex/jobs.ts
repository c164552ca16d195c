/**
 * The life of a fake Vertex tuning job on the real clock, as the TuningJob reference describes it:
 * JOB_STATE_PENDING, then JOB_STATE_RUNNING through the sub-states PROCESSING_DATASET, TUNING
 * (`tuningJobMetadata.completedEpochCount` rising) and POST_PROCESSING, then JOB_STATE_SUCCEEDED
 * with `tunedModel` (model `…/models/M@1`, endpoint `…/endpoints/N`, one checkpoint per epoch) and
 * `tuningDataStats`. `endTime` is set on SUCCEEDED, FAILED, CANCELLED and EXPIRED; `error` on
 * FAILED and CANCELLED (code 1). The dataset is read from the fake Cloud Storage when the
 * processing phase ends: malformed supervised examples fail the job, malformed preference
 * examples are dropped, and examples longer than the limit are truncated (reported by index).
 */
import type { GcsStore } from '../gcs/server.js';

export type Outcome = 'succeed' | 'fail' | 'expire';

export interface FakeJob {
  id: string;
  /** `projects/NUMBER/locations/L/tuningJobs/ID`. */
  name: string;
  body: Record<string, unknown>;
  createdMs: number;
  stepMs: number;
  epochs: number;
  outcome: Outcome;
  cancelledMs: number | null;
  /** Set once the dataset was read: why the job fails, or the stats it yields. */
  data: DatasetCheck | undefined;
}

export interface DatasetCheck {
  failure: string | null;
  examples: number;
  characters: number;
  truncated: number[];
  dropped: number[];
  droppedReasons: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkContents(contents: unknown, last: 'user' | 'model'): string | null {
  if (!Array.isArray(contents) || contents.length === 0) return 'contents must be a non-empty list';
  for (const [i, c] of contents.entries()) {
    if (!isRecord(c) || (c.role !== 'user' && c.role !== 'model')) return `contents[${i}].role must be user or model`;
    if (!Array.isArray(c.parts) || c.parts.length === 0) return `contents[${i}].parts must not be empty`;
  }
  const role = (contents[contents.length - 1] as { role: string }).role;
  return role === last ? null : `the last turn must be from the ${last}`;
}

/** Reads the training object and checks each example as the tuning pages describe them. */
export function checkDataset(store: GcsStore | undefined, uri: string, preference: boolean, maxExampleChars: number): DatasetCheck {
  const out: DatasetCheck = { failure: null, examples: 0, characters: 0, truncated: [], dropped: [], droppedReasons: [] };
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  const object = m && store ? store.get(m[1] as string, m[2] as string) : undefined;
  if (!object) return { ...out, failure: `Failed to read the training dataset ${uri}: no such object, or the service agent cannot read it.` };
  const lines = object.data.toString('utf8').split('\n').filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    out.examples += 1;
    out.characters += line.length;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    let problem: string | null = isRecord(value) ? null : 'the line is not a JSON object';
    if (problem === null && isRecord(value)) {
      problem = checkContents(value.contents, preference ? 'user' : 'model');
      if (problem === null && preference) {
        const c = value.completions;
        const scores = Array.isArray(c) ? c.map((x) => (isRecord(x) ? x.score : undefined)).sort() : [];
        if (!Array.isArray(c) || c.length !== 2 || scores[0] !== 0 || scores[1] !== 1) problem = 'completions must hold one preferred (score 1) and one dispreferred (score 0) completion';
      }
    }
    if (problem !== null) {
      if (!preference) return { ...out, failure: `The training dataset is invalid: example ${i} (line ${i + 1}): ${problem}.` };
      out.dropped.push(i);
      if (!out.droppedReasons.includes(problem)) out.droppedReasons.push(problem);
      continue;
    }
    if (line.length > maxExampleChars) out.truncated.push(i);
  }
  if (out.examples - out.dropped.length === 0) out.failure = 'The training dataset has no valid examples.';
  return out;
}

/** The job's resource as of `now`. */
export function jobView(j: FakeJob, now: number, store: GcsStore | undefined, maxExampleChars: number): Record<string, unknown> {
  const preference = 'preferenceOptimizationSpec' in j.body;
  const spec = (j.body.preferenceOptimizationSpec ?? j.body.supervisedTuningSpec) as Record<string, unknown>;
  const t = (k: number): number => j.createdMs + k * j.stepMs;
  const view: Record<string, unknown> = { ...j.body, name: j.name, createTime: iso(j.createdMs), updateTime: iso(Math.min(now, j.createdMs)) };
  const set = (state: string, sub: string | null, updated: number): Record<string, unknown> => {
    view.state = state;
    if (sub) view.tuningJobState = `TUNING_JOB_STATE_${sub}`;
    view.updateTime = iso(updated);
    return view;
  };
  const end = (state: string, at: number, error?: { code: number; message: string }): Record<string, unknown> => {
    set(state, null, at);
    view.endTime = iso(at);
    if (error) view.error = error;
    return view;
  };

  // Cancelling on request: CANCELLING for one step, then CANCELLED with google.rpc.Code 1.
  const running = (at: number): boolean => at >= t(1);
  if (j.cancelledMs !== null && now >= j.cancelledMs) {
    if (running(j.cancelledMs)) view.startTime = iso(t(1));
    if (now < j.cancelledMs + j.stepMs) return set('JOB_STATE_CANCELLING', null, j.cancelledMs);
    return end('JOB_STATE_CANCELLED', j.cancelledMs + j.stepMs, { code: 1, message: 'CANCELLED' });
  }
  if (now < t(1)) return set('JOB_STATE_PENDING', j.outcome === 'expire' ? 'WAITING_FOR_QUOTA' : null, j.createdMs);
  if (j.outcome === 'expire') return end('JOB_STATE_EXPIRED', t(1));
  view.startTime = iso(t(1));
  if (now < t(2)) return set('JOB_STATE_RUNNING', 'PROCESSING_DATASET', t(1));
  j.data ??= checkDataset(store, String(spec.trainingDatasetUri), preference, maxExampleChars);
  const data = j.data;
  const stats: Record<string, unknown> = preference
    ? { preferenceOptimizationDataStats: { tuningDatasetExampleCount: String(data.examples), totalBillableTokenCount: String(Math.ceil(data.characters / 4) * j.epochs), droppedExampleIndices: data.dropped.map(String), droppedExampleReasons: data.droppedReasons } }
    : {
        supervisedTuningDataStats: {
          tuningDatasetExampleCount: String(data.examples),
          totalTuningCharacterCount: String(data.characters),
          totalBillableTokenCount: String(Math.ceil(data.characters / 4) * j.epochs),
          tuningStepCount: String(data.examples * j.epochs),
          totalTruncatedExampleCount: String(data.truncated.length),
          truncatedExampleIndices: data.truncated.map(String),
          droppedExampleReasons: [],
        },
      };
  if (data.failure) return end('JOB_STATE_FAILED', t(2), { code: 3, message: data.failure });
  view.tuningDataStats = stats;
  const tuningEnd = t(2 + j.epochs);
  if (now < tuningEnd) {
    view.tuningJobMetadata = { completedEpochCount: String(Math.floor((now - t(2)) / j.stepMs)), completedStepCount: String(Math.floor((now - t(2)) / j.stepMs) * data.examples) };
    return set('JOB_STATE_RUNNING', 'TUNING', t(2 + Math.floor((now - t(2)) / j.stepMs)));
  }
  view.tuningJobMetadata = { completedEpochCount: String(j.epochs), completedStepCount: String(j.epochs * data.examples) };
  if (j.outcome === 'fail') return end('JOB_STATE_FAILED', tuningEnd, { code: 13, message: 'Internal error encountered while tuning. Please retry.' });
  if (now < tuningEnd + j.stepMs) return set('JOB_STATE_RUNNING', 'POST_PROCESSING', tuningEnd);
  const [, project, location] = /^projects\/([^/]+)\/locations\/([^/]+)\//.exec(j.name) ?? [];
  const prefix = `projects/${project}/locations/${location}`;
  const lastOnly = spec.exportLastCheckpointOnly === true;
  view.tunedModel = {
    model: `${prefix}/models/${j.id}7@1`,
    endpoint: `${prefix}/endpoints/${j.id}9`,
    checkpoints: Array.from({ length: j.epochs }, (_, e) => ({ checkpointId: String(e + 1), epoch: String(e + 1), step: String((e + 1) * data.examples), endpoint: `${prefix}/endpoints/${j.id}${e + 1}0` })).slice(lastOnly ? -1 : 0),
  };
  return end('JOB_STATE_SUCCEEDED', tuningEnd + j.stepMs);
}

export function isTerminalView(v: Record<string, unknown>): boolean {
  return ['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_EXPIRED'].includes(String(v.state));
}
