/** Turning `tune start` flags into a provider-neutral job request (parsing only; checks come after). */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import type { Hyperparameters, HyperValue, TrainingMethod } from '../../../core/providers/types.js';
import type { ProviderOpts } from './context.js';

export interface StartOpts extends ProviderOpts {
  model?: string;
  train: string;
  validation?: string;
  method: string;
  epochs?: string;
  batchSize?: string;
  learningRateMultiplier?: string;
  beta?: string;
  suffix?: string;
  seed?: number;
  metadata?: string[];
  /** `NAME=VALUE`, repeatable: any hyperparameter of the provider's table, by its name. */
  hyperparameter?: string[];
  /** A JSON object of hyperparameters, by name. */
  hyperparameters?: string;
  /** Reinforcement fine-tuning: the grader configuration (JSON). */
  grader?: string;
  dryRun?: boolean;
  maxCost?: number;
  yes?: boolean;
  force?: boolean;
  wait?: boolean;
  interval?: number;
  waitTimeout?: string;
  /** Deprecated spelling of `--request-timeout` (seconds per request). */
  timeout?: number;
  register?: string;
  /** With --register, where the provider deploys (Bedrock): Provisioned Throughput of this many model units. */
  provisioned?: boolean;
  modelUnits?: number;
}

export interface StartRequest {
  baseModel: string;
  method: TrainingMethod;
  /** From the dedicated flags (`--epochs` …); `--hyperparameter(s)` are merged in once the provider is known. */
  hyperparameters: Hyperparameters;
  suffix: string | undefined;
  seed: number | undefined;
  metadata: Record<string, string>;
  /** Reinforcement: the grader configuration read from `--grader`. */
  grader?: Record<string, unknown> | undefined;
}

/** A value from `--hyperparameter NAME=VALUE` or the JSON file: a number, `auto`, true/false, or text. */
export type RawHyperValue = number | string | boolean;

export function parseStartRequest(opts: StartOpts, baseModel: string): StartRequest {
  const hyperparameters: Hyperparameters = {};
  const set = (key: keyof Omit<Hyperparameters, 'extra'>, raw: string | undefined, flag: string): void => {
    const v = hyperValue(raw, flag);
    if (v !== undefined) hyperparameters[key] = v;
  };
  set('epochs', opts.epochs, '--epochs');
  set('batchSize', opts.batchSize, '--batch-size');
  set('learningRateMultiplier', opts.learningRateMultiplier, '--learning-rate-multiplier');
  set('beta', opts.beta, '--beta');
  return {
    baseModel,
    method: opts.method as TrainingMethod,
    hyperparameters,
    suffix: opts.suffix,
    seed: opts.seed,
    metadata: parseMetadata(opts.metadata ?? []),
  };
}

/** `--hyperparameter NAME=VALUE` pairs, in order (a later pair wins). */
export function parseHyperPairs(pairs: string[]): [string, RawHyperValue][] {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError('invalid_hyperparameter', `--hyperparameter "${pair}" is not NAME=VALUE.`, { hint: 'write it as --hyperparameter lora_r=16' });
    const raw = pair.slice(eq + 1).trim();
    const n = Number(raw);
    const value: RawHyperValue = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(n) ? n : raw;
    return [pair.slice(0, eq).trim(), value];
  });
}

function hyperValue(raw: string | undefined, flag: string): HyperValue | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'auto') return 'auto';
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError('invalid_hyperparameter', `${flag} "${raw}" is not a number.`, { hint: `pass ${flag} with a number, or auto` });
  return n;
}

function parseMetadata(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError('invalid_metadata', `--metadata "${pair}" is not key=value.`, { hint: 'write it as --metadata team=support' });
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Resolves a data file's path and checks it is a readable file (a missing file is a usage error). */
export async function dataFile(cwd: string, path: string, flag: string): Promise<string> {
  const full = resolve(cwd, path);
  try {
    const s = await stat(full);
    if (s.isFile()) return full;
  } catch {
    // reported below
  }
  throw new UsageError('file_not_found', `${flag} ${path}: no such file.`, { hint: `check the path given to ${flag}` });
}
