import type { TuningJob } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { JobEvents } from '../../../../src/core/providers/vertex/events.js';
import { toJob } from '../../../../src/core/providers/vertex/mapping.js';

const base = { name: 'projects/1/locations/us-central1/tuningJobs/9', baseModel: 'gemini-2.5-flash', createTime: '2026-12-01T10:00:00Z', supervisedTuningSpec: { trainingDatasetUri: 'gs://b/t.jsonl', hyperParameters: { epochCount: '2' } } } as TuningJob;
const at = (more: Partial<TuningJob>): TuningJob => ({ ...base, ...more }) as TuningJob;

describe('Vertex job events, read off the job', () => {
  it('shows each sub-state seen and each epoch, keeps the ids stable, and reports truncated examples by line', () => {
    const events = new JobEvents(() => Date.parse('2026-12-01T10:30:00Z'));
    const seen: string[] = [];
    const snapshots: Partial<TuningJob>[] = [
      { state: 'JOB_STATE_PENDING' as TuningJob['state'], tuningJobState: 'TUNING_JOB_STATE_WAITING_FOR_QUOTA' as TuningJob['tuningJobState'] },
      { state: 'JOB_STATE_RUNNING' as TuningJob['state'], startTime: '2026-12-01T10:05:00Z', tuningJobState: 'TUNING_JOB_STATE_PROCESSING_DATASET' as TuningJob['tuningJobState'] },
      { state: 'JOB_STATE_RUNNING' as TuningJob['state'], startTime: '2026-12-01T10:05:00Z', tuningJobState: 'TUNING_JOB_STATE_TUNING' as TuningJob['tuningJobState'], tuningJobMetadata: { completedEpochCount: '1' } },
      {
        state: 'JOB_STATE_SUCCEEDED' as TuningJob['state'],
        startTime: '2026-12-01T10:05:00Z',
        endTime: '2026-12-01T10:20:00Z',
        tuningJobMetadata: { completedEpochCount: '2' },
        tunedModel: { model: 'projects/1/locations/us-central1/models/5@1', endpoint: 'projects/1/locations/us-central1/endpoints/7' },
        tuningDataStats: { supervisedTuningDataStats: { totalTruncatedExampleCount: '2', truncatedExampleIndices: ['0', '41'] } },
      },
    ];
    let ids: string[] = [];
    for (const s of snapshots) {
      const list = events.list(at(s));
      // Everything listed before is listed again: a watch's cursor is never lost.
      expect(list.map((e) => e.id)).toEqual(expect.arrayContaining(ids));
      ids = list.map((e) => e.id);
      seen.push(...[...list].reverse().map((e) => e.message).filter((m) => !seen.includes(m)));
    }
    expect(seen).toEqual([
      'Tuning job created for gemini-2.5-flash.',
      'Vertex is waiting for tuning quota in the region.',
      'Job started.',
      'Vertex is processing the dataset.',
      'Vertex is tuning.',
      'Epoch 1 of 2 completed.',
      'Epoch 2 of 2 completed.',
      'Job succeeded: tuned model projects/1/locations/us-central1/models/5@1, served by projects/1/locations/us-central1/endpoints/7.',
      "Vertex truncated 2 example(s) to the model's token limit: line(s) 1, 42 of the training file.",
    ]);
  });

  it('maps states and sub-states: processing the dataset is validating the files, expired is failed', () => {
    expect(toJob(at({ state: 'JOB_STATE_RUNNING' as TuningJob['state'], tuningJobState: 'TUNING_JOB_STATE_PROCESSING_DATASET' as TuningJob['tuningJobState'] }))).toMatchObject({ status: 'validating_files', providerStatus: 'JOB_STATE_RUNNING (PROCESSING_DATASET)' });
    expect(toJob(at({ state: 'JOB_STATE_EXPIRED' as TuningJob['state'] }))).toMatchObject({ status: 'failed', error: { code: 'JOB_STATE_EXPIRED' } });
    expect(toJob(at({ state: 'JOB_STATE_CANCELLED' as TuningJob['state'], error: { code: 1, message: 'CANCELLED' } }))).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
  });
});
