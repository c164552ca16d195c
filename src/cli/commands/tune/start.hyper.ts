/**
 * `--hyperparameter NAME=VALUE` and `--hyperparameters FILE.json`: any setting of the provider's
 * hyperparameter table, by llmgw's name (`epochs`) or the provider's (`n_epochs`, `lora_r`), and
 * `--grader FILE.json` for reinforcement. Names are checked here against the table (ranges and
 * types by the pre-flight), so an unknown name is refused with the names this provider takes.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../../core/errors.js';
import type { Hyperparameters, ProviderCapabilities, TrainingMethod } from '../../../core/providers/types.js';
import { dataFile, parseHyperPairs, type RawHyperValue } from './start.request.js';

/** The settings that have a flag of their own, by llmgw's name. */
const DEDICATED_FLAGS: Record<string, string> = { epochs: '--epochs', batchSize: '--batch-size', learningRateMultiplier: '--learning-rate-multiplier', beta: '--beta' };

/**
 * The hyperparameters of a start: the JSON file, then `--hyperparameter` pairs, then the
 * dedicated flags (each later source wins for the same setting).
 */
export async function resolveHyperparameters(cwd: string, opts: { hyperparameters?: string | undefined; hyperparameter?: string[] | undefined }, fromFlags: Hyperparameters, caps: ProviderCapabilities, method: TrainingMethod, providerName: string): Promise<Hyperparameters> {
  const named: [string, RawHyperValue, string][] = [];
  if (opts.hyperparameters !== undefined) {
    const doc = await readJsonFile(cwd, opts.hyperparameters, '--hyperparameters');
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError('invalid_hyperparameters_file', `--hyperparameters ${opts.hyperparameters} must hold a JSON object of NAME: VALUE.`, { hint: 'e.g. {"n_epochs": 3, "learning_rate_multiplier": 0.5}' });
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') throw new UsageError('invalid_hyperparameters_file', `--hyperparameters ${opts.hyperparameters}: ${k} must be a number, text, true or false.`, { hint: 'fix the value in the file' });
      named.push([k, v, `--hyperparameters ${opts.hyperparameters}`]);
    }
  }
  for (const [k, v] of parseHyperPairs(opts.hyperparameter ?? [])) named.push([k, v, `--hyperparameter ${k}`]);
  const out: Hyperparameters = {};
  const extra: Record<string, string | number | boolean> = {};
  for (const [name, value, where] of named) {
    const spec = caps.hyperparameters.find((h) => h.name === name || h.providerName === name);
    if (!spec || !spec.methods.includes(method)) throw unknownName(name, where, caps, method, providerName);
    if (DEDICATED_FLAGS[spec.name]) (out as Record<string, unknown>)[spec.name] = value;
    else extra[spec.name] = value;
  }
  for (const [k, v] of Object.entries(fromFlags)) if (v !== undefined && k !== 'extra') (out as Record<string, unknown>)[k] = v;
  return Object.keys(extra).length > 0 ? { ...out, extra } : out;
}

function unknownName(name: string, where: string, caps: ProviderCapabilities, method: TrainingMethod, providerName: string): UsageError {
  const specs = caps.hyperparameters.filter((h) => h.methods.includes(method));
  const names = specs.map((h) => (DEDICATED_FLAGS[h.name] ? `${h.providerName} (or ${DEDICATED_FLAGS[h.name]})` : h.providerName));
  return new UsageError('hyperparameter_not_supported', `${where}: ${providerName} has no ${name} hyperparameter for ${method} jobs.`, {
    hint: names.length > 0 ? `${providerName} takes, as --hyperparameter NAME=VALUE: ${names.join(', ')}` : `${providerName} takes no hyperparameters for ${method} jobs`,
  });
}

/** A JSON document named by a flag; a missing file or bad JSON is a usage error saying which. */
export async function readJsonFile(cwd: string, path: string, flag: string): Promise<unknown> {
  const full = await dataFile(cwd, path, flag);
  try {
    return JSON.parse(await readFile(full, 'utf8')) as unknown;
  } catch (err) {
    throw new UsageError('invalid_json_file', `${flag} ${path} is not valid JSON (${err instanceof Error ? err.message : String(err)}).`, { hint: `fix ${path}; nothing was sent` });
  }
}
