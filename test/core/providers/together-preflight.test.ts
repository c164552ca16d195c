import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../../src/core/errors.js';
import { LEDGER_METADATA_KEY } from '../../../src/core/jobs/preflight.js';
import { assertJobRequest, checkJobRequest } from '../../../src/core/providers/preflight.js';
import { togetherCapabilities } from '../../../src/core/providers/together/capabilities.js';
import type { CreateJobRequest } from '../../../src/core/providers/types.js';

const base: CreateJobRequest = { ledgerId: 'lj_00000000000000000001', baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', trainingFileId: 'file-1', method: 'supervised', hyperparameters: {} };
const check = (over: Partial<CreateJobRequest>) => checkJobRequest(togetherCapabilities, { ...base, ...over }, 'Together AI');

describe('pre-flight from the capability table (Together)', () => {
  it('accepts what Together takes, by llmgw name or the provider name', () => {
    expect(check({ hyperparameters: { epochs: 3, batchSize: 'auto', extra: { learning_rate: 1e-5, lora_r: 16, lora: true } } })).toEqual([]);
    expect(check({ method: 'dpo', hyperparameters: { beta: 0.1 } })).toEqual([]);
    expect(check({ hyperparameters: { extra: { train_on_inputs: 'auto' } } })).toEqual([]);
    expect(check({ hyperparameters: { extra: { train_on_inputs: false } } })).toEqual([]);
    expect(check({ method: 'dpo', hyperparameters: { extra: { train_on_inputs: true } } })[0]?.code).toBe('hyperparameter_not_supported');
  });

  it('names the allowed range of a value out of range', () => {
    const [p] = check({ hyperparameters: { epochs: 0 } });
    expect(p).toMatchObject({ code: 'hyperparameter_out_of_range', field: 'hyperparameters.epochs' });
    expect(p?.hint).toBe('set epochs to a whole number from 1 to 20');
    expect(check({ hyperparameters: { epochs: 'auto' } })[0]?.message).toContain('cannot be auto');
    expect(check({ hyperparameters: { extra: { lora_r: 2.5 } } })[0]?.message).toContain('must be a whole number');
    expect(check({ hyperparameters: { extra: { lora: 'yes' } } })[0]?.hint).toBe('set lora to true or false');
  });

  it('an unsupported method is one problem, not one per hyperparameter', () => {
    expect(check({ method: 'reinforcement', hyperparameters: { epochs: 2 } }).map((p) => p.code)).toEqual(['method_not_supported']);
  });

  it('names the hyperparameters Together has for the method', () => {
    const [p] = check({ hyperparameters: { learningRateMultiplier: 2 } });
    expect(p?.code).toBe('hyperparameter_not_supported');
    expect(p?.hint).toMatch(/takes, as --hyperparameter NAME=VALUE: n_epochs, batch_size, learning_rate/);
    expect(check({ hyperparameters: { beta: 0.1 } })[0]?.code).toBe('hyperparameter_not_supported');
  });

  it('checks the suffix and metadata, but not llmgw’s own ledger tag, which the adapter drops', () => {
    expect(check({ suffix: 'x'.repeat(65) })[0]?.code).toBe('suffix_invalid');
    // Together takes 40 characters; llmgw keeps 24 of them for its ledger mark.
    expect(check({ suffix: 'x'.repeat(16) })).toEqual([]);
    expect(check({ suffix: 'x'.repeat(17) })[0]?.code).toBe('suffix_invalid');
    expect(check({ suffix: 'has space' })[0]?.code).toBe('suffix_invalid');
    expect(check({ metadata: { [LEDGER_METADATA_KEY]: 'lj_1' } })).toEqual([]);
    expect(check({ metadata: { team: 'support', [LEDGER_METADATA_KEY]: 'lj_1' } })[0]).toMatchObject({ code: 'metadata_not_supported', message: 'Together AI does not keep metadata on jobs (1 pair(s) given).' });
  });

  it('throws one usage error (exit 2) listing every problem', () => {
    let err: unknown;
    try {
      assertJobRequest(togetherCapabilities, { ...base, hyperparameters: { epochs: 99, beta: 0.1 }, suffix: 'bad/suffix' }, 'Together AI');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(ExitCode.usage);
    expect((err as UsageError).code).toBe('job_request_invalid');
    expect((err as UsageError).message).toMatch(/3 reasons[\s\S]*epochs is too large[\s\S]*no beta hyperparameter for supervised[\s\S]*suffix/);
  });
});
