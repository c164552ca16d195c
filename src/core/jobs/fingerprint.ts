/**
 * Content hashes and the request fingerprint behind `tune start`'s idempotency: the same data,
 * base model, method, hyperparameters, suffix, seed, provider and account make the same job.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Hyperparameters, TrainingMethod } from '../providers/types.js';

/** SHA-256 of a file, streamed (datasets are never read whole). */
export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    hash.update(buf);
  }
  return { sha256: hash.digest('hex'), bytes };
}

export interface FingerprintInput {
  provider: string;
  account: string;
  baseModel: string;
  method: TrainingMethod;
  hyperparameters: Hyperparameters;
  suffix: string | null;
  seed: number | null;
  trainingSha256: string;
  validationSha256: string | null;
  /** Reinforcement: the grader configuration's hash (left out of the fingerprint when there is none). */
  graderSha256?: string | undefined;
}

/** A stable hash of the request: keys sorted, unset hyperparameters and `auto` treated alike. */
export function jobFingerprint(input: FingerprintInput): string {
  const hp = normalizeHyperparameters(input.hyperparameters);
  const canonical = stableStringify({ ...input, hyperparameters: hp });
  return `fp_${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

function normalizeHyperparameters(h: Hyperparameters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || v === 'auto') continue;
    if (k === 'extra' && typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
