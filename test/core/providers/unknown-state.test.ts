/**
 * Every adapter reads a job state its provider's documents do not list as `unknown`, keeping the
 * provider's word: never as running (a watch would wait on it to its deadline) and never as a
 * failure (the ledger would call a live job failed, and a re-run would start a second one).
 */
import { describe, expect, it } from 'vitest';
import { toAzureJob } from '../../../src/core/providers/azure/mapping.js';
import { toJob as bedrockJob } from '../../../src/core/providers/bedrock/mapping.js';
import { toJob as fireworksJob } from '../../../src/core/providers/fireworks/mapping.js';
import { toJob as openaiJob } from '../../../src/core/providers/openai/mapping.js';
import { toJob as togetherJob } from '../../../src/core/providers/together/mapping.js';
import { toJob as vertexJob } from '../../../src/core/providers/vertex/mapping.js';
import type { Job } from '../../../src/core/providers/types.js';

const openaiWire = (status: string) => ({ id: 'ftjob-1', object: 'fine_tuning.job', status, model: 'gpt-4.1-mini-2025-04-14', created_at: 1, fine_tuned_model: null, training_file: 'file-1', validation_file: null, error: null }) as never;

const cases: [string, (raw: string) => Job, string, Job['status']][] = [
  ['openai', (s) => openaiJob(openaiWire(s), 'openai'), 'running', 'running'],
  ['azure', (s) => toAzureJob(openaiWire(s), 'azure'), 'pending', 'queued'],
  ['together', (s) => togetherJob({ id: 'ft-1', status: s } as never), 'running', 'running'],
  ['fireworks', (s) => fireworksJob({ name: 'accounts/a/supervisedFineTuningJobs/j', state: s }), 'JOB_STATE_RUNNING', 'running'],
  ['vertex', (s) => vertexJob({ name: 'projects/p/locations/l/tuningJobs/1', state: s } as never), 'JOB_STATE_RUNNING', 'running'],
  ['bedrock', (s) => bedrockJob({ jobArn: 'arn:aws:bedrock:us-east-1:1:model-customization-job/x', status: s } as never), 'Stopping', 'running'],
];

describe('a job state the provider does not document', () => {
  for (const [provider, toJob, known, mapped] of cases) {
    it(`${provider}: reads as unknown with the raw state; a documented one as before`, () => {
      expect(toJob('TELEPORTING')).toMatchObject({ status: 'unknown', providerStatus: expect.stringContaining('TELEPORTING'), fineTunedModel: null, error: null });
      expect(toJob(known).status).toBe(mapped);
    });
  }
});
