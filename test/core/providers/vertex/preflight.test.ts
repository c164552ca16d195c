import { describe, expect, it } from 'vitest';
import { checkJobRequest } from '../../../../src/core/providers/preflight.js';
import type { CreateJobRequest } from '../../../../src/core/providers/types.js';
import { vertexCapabilities } from '../../../../src/core/providers/vertex/capabilities.js';

const base: CreateJobRequest = { ledgerId: 'lj_00000000000000000001', baseModel: 'gemini-2.5-flash', trainingFileId: 'gs://b/train.jsonl', method: 'supervised', hyperparameters: {} };
const check = (adapterSize: number) => checkJobRequest(vertexCapabilities, { ...base, hyperparameters: { extra: { adapterSize } } }, 'Google Vertex AI');

describe('pre-flight of Vertex hyperparameters', () => {
  it('takes only the adapter sizes Gemini tuning has, before anything is uploaded', () => {
    for (const size of [1, 2, 4, 8, 16]) expect(check(size), String(size)).toEqual([]);
    const [p] = check(3);
    expect(p).toMatchObject({ code: 'hyperparameter_out_of_range', field: 'hyperparameters.adapterSize', hint: 'set adapterSize to one of 1, 2, 4, 8, 16' });
    expect(p?.message).toContain('must be one of 1, 2, 4, 8, 16');
  });
});
