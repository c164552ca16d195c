import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobFingerprint, sha256File, type FingerprintInput } from '../../../src/core/jobs/fingerprint.js';

const base: FingerprintInput = {
  provider: 'openai',
  account: 'https://api.openai.com/v1#org=&project=',
  baseModel: 'gpt-4.1-mini-2025-04-14',
  method: 'supervised',
  hyperparameters: { epochs: 3 },
  suffix: 'support',
  seed: null,
  trainingSha256: 'a'.repeat(64),
  validationSha256: null,
};

describe('jobFingerprint', () => {
  it('is the same for the same request, whatever the key order, and treats auto like unset', () => {
    const fp = jobFingerprint(base);
    expect(jobFingerprint({ ...base, hyperparameters: { batchSize: 'auto', epochs: 3 } })).toBe(fp);
    const reversed = Object.fromEntries(Object.entries(base).reverse()) as unknown as FingerprintInput;
    expect(jobFingerprint(reversed)).toBe(fp);
    expect(jobFingerprint({ ...base, hyperparameters: { learningRateMultiplier: 'auto', epochs: 3 } })).toBe(fp);
    expect(fp).toMatch(/^fp_[0-9a-f]{32}$/);
  });

  it.each<[string, Partial<FingerprintInput>]>([
    ['data', { trainingSha256: 'b'.repeat(64) }],
    ['validation data', { validationSha256: 'c'.repeat(64) }],
    ['base model', { baseModel: 'gpt-4.1-2025-04-14' }],
    ['method', { method: 'dpo' }],
    ['hyperparameters', { hyperparameters: { epochs: 4 } }],
    ['suffix', { suffix: 'sales' }],
    ['seed', { seed: 7 }],
    ['provider', { provider: 'together' }],
    ['account', { account: 'https://proxy.internal/v1#org=&project=' }],
  ])('changes with the %s', (_what, change) => {
    expect(jobFingerprint({ ...base, ...change })).not.toBe(jobFingerprint(base));
  });
});

describe('sha256File', () => {
  it('streams a file into its SHA-256 and size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llmgw-sha-'));
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 'x');
    await writeFile(join(dir, 'f.jsonl'), data);
    const res = await sha256File(join(dir, 'f.jsonl'));
    expect(res).toEqual({ sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length });
    await rm(dir, { recursive: true, force: true });
  });
});
