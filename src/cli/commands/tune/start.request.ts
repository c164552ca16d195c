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
  hyperparameter?: string[];
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
}

export interface StartRequest {
  baseModel: string;
  method: TrainingMethod;
  hyperparameters: Hyperparameters;
  suffix: string | undefined;
  seed: number | undefined;
  metadata: Record<string, string>;
}

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
  const extra = parseExtraHyperparameters(opts.hyperparameter ?? []);
  if (extra) hyperparameters.extra = extra;
  return {
    baseModel,
    method: opts.method as TrainingMethod,
    hyperparameters,
    suffix: opts.suffix,
    seed: opts.seed,
    metadata: parseMetadata(opts.metadata ?? []),
  };
}

function hyperValue(raw: string | undefined, flag: string): HyperValue | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'auto') return 'auto';
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError('invalid_hyperparameter', `${flag} "${raw}" is not a number.`, { hint: `pass ${flag} with a number, or auto` });
  return n;
}

/** `--hyperparameter name=value`: a provider's own hyperparameter (e.g. Vertex `adapterSize=4`), checked against its capabilities. */
function parseExtraHyperparameters(pairs: string[]): Hyperparameters['extra'] {
  if (pairs.length === 0) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const raw = pair.slice(eq + 1).trim();
    if (eq <= 0 || raw === '') throw new UsageError('invalid_hyperparameter', `--hyperparameter "${pair}" is not name=value.`, { hint: 'write it as --hyperparameter adapterSize=4' });
    out[pair.slice(0, eq).trim()] = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
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
