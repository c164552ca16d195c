/** Ready-made faults and job plans for the situations llmgw must handle. */
import type { FaultSpec } from '../shared/faults.js';
import type { JobPlan } from './state.js';

/**
 * Job creation refused because fine-tuning is closed to the account. OpenAI does not document the
 * exact answer (reference §0); this follows its wind-down wording.
 */
export function fineTuningClosed(match = 'POST /v1/fine_tuning/jobs'): FaultSpec {
  return {
    match,
    status: 403,
    error: {
      message:
        'Fine-tuning is not available for your organization. OpenAI is winding down the fine-tuning platform and it is no longer accessible to new users.',
      type: 'invalid_request_error',
      code: 'fine_tuning_unavailable',
    },
  };
}

/** A 429 that waiting will not fix. */
export function insufficientQuota(match: string): FaultSpec {
  return {
    match,
    status: 429,
    headers: { 'x-should-retry': 'false' },
    error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' },
  };
}

/** A job that fails while its files are validated, the way OpenAI reports a bad training file. */
export const failsValidation: Partial<JobPlan> = {
  outcome: {
    failAt: 'validating_files',
    error: {
      code: 'invalid_training_file',
      message: 'The job failed due to an invalid training file. Expected file to have JSONL format, where every line is a valid JSON dictionary. Line 3 is not a dictionary.',
      param: 'training_file',
    },
  },
};

/** A job that fails half-way through training. */
export const failsWhileRunning: Partial<JobPlan> = {
  outcome: { failAt: 'running', error: { code: 'server_error', message: 'The job failed due to an internal error.', param: null } },
};
