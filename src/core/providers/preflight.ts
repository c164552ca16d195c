/**
 * Pre-flight checks of a job request against a provider's capability table, before anything is
 * sent: the method, the base model, every hyperparameter (name, type, range, `auto`), the suffix
 * and the metadata. Data-driven: nothing here knows a provider by name, so a new adapter only
 * fills in its `capabilities`.
 */
import { UsageError } from '../errors.js';
import { LEDGER_METADATA_KEY } from './lookup.js';
import type { CreateJobRequest, HyperparameterSpec, HyperValue, ProviderCapabilities, TrainingMethod } from './types.js';

export interface PreflightProblem {
  /** Stable code, e.g. `method_not_supported`. */
  code: string;
  /** The request field at fault, e.g. `hyperparameters.epochs`. */
  field: string;
  message: string;
  /** What to do, naming the allowed values. */
  hint: string;
}

const NEUTRAL = ['epochs', 'batchSize', 'learningRateMultiplier', 'beta'] as const;

/** Every problem with `req` for a provider with `caps`; empty when the request can be sent. */
export function checkJobRequest(caps: ProviderCapabilities, req: CreateJobRequest, providerName: string): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const method = req.method;
  if (!caps.methods.includes(method)) {
    problems.push({
      code: 'method_not_supported',
      field: 'method',
      message: `${providerName} does not offer ${method} fine-tuning.`,
      hint: `use --method ${caps.methods.join(' or --method ')}, or a provider that offers ${method}`,
    });
  }
  problems.push(...checkBaseModel(caps, req.baseModel, method, providerName));

  // Hyperparameters are defined per method; under a method the provider lacks, every one would be "unknown".
  if (caps.methods.includes(method)) {
    for (const name of NEUTRAL) {
      const value = req.hyperparameters[name];
      if (value !== undefined) problems.push(...checkHyper(caps, name, value, method, providerName, req.baseModel));
    }
    for (const [name, value] of Object.entries(req.hyperparameters.extra ?? {})) {
      problems.push(...checkHyper(caps, name, value, method, providerName, req.baseModel));
    }
  }

  problems.push(...checkGraderOf(caps, req, providerName));
  if (req.suffix !== undefined) problems.push(...checkSuffix(caps, req.suffix, providerName));
  // Where the provider keeps metadata, the adapter adds llmgw's ledger tag as one more pair.
  const pairs = Object.keys(req.metadata ?? {}).filter((k) => k !== LEDGER_METADATA_KEY).length + (caps.maxMetadataPairs > 0 ? 1 : 0);
  if (pairs > caps.maxMetadataPairs) {
    problems.push({
      code: 'metadata_not_supported',
      field: 'metadata',
      message:
        caps.maxMetadataPairs === 0
          ? `${providerName} does not keep metadata on jobs (${pairs} pair(s) given).`
          : `${providerName} keeps at most ${caps.maxMetadataPairs} metadata pairs on a job, one of them llmgw's ledger tag (${pairs - 1} given).`,
      hint: caps.maxMetadataPairs === 0 ? 'drop --metadata for this provider' : `keep ${caps.maxMetadataPairs - 1} or fewer --metadata pairs`,
    });
  }
  return problems;
}

/** Throws one usage error (exit 2) listing every problem; does nothing when there are none. */
export function assertJobRequest(caps: ProviderCapabilities, req: CreateJobRequest, providerName: string): void {
  const problems = checkJobRequest(caps, req, providerName);
  const first = problems[0];
  if (!first) return;
  if (problems.length === 1) throw new UsageError(first.code, first.message, { hint: first.hint });
  const lines = problems.map((p) => `  - ${p.field}: ${p.message} (${p.hint})`).join('\n');
  throw new UsageError('job_request_invalid', `${providerName} would refuse this job, for ${problems.length} reasons:\n${lines}`, {
    hint: 'fix each field above; nothing was sent',
  });
}

function checkBaseModel(caps: ProviderCapabilities, model: string, method: TrainingMethod, providerName: string): PreflightProblem[] {
  if (!caps.baseModels) return [];
  const spec = caps.baseModels.find((m) => m.id === model);
  if (!spec) {
    return [
      {
        code: 'base_model_not_supported',
        field: 'baseModel',
        message: `${providerName} does not fine-tune ${model}.`,
        hint: `use one of: ${caps.baseModels.map((m) => m.id).join(', ')}`,
      },
    ];
  }
  if (caps.methods.includes(method) && !spec.methods.includes(method)) {
    const others = caps.baseModels.filter((m) => m.methods.includes(method)).map((m) => m.id);
    return [
      {
        code: 'base_model_method_not_supported',
        field: 'baseModel',
        message: `${providerName} does not offer ${method} fine-tuning of ${model} (only ${spec.methods.join(', ')}).`,
        hint: others.length > 0 ? `for ${method}, use one of: ${others.join(', ')}` : `use --method ${spec.methods.join(' or --method ')}`,
      },
    ];
  }
  return [];
}

function checkHyper(caps: ProviderCapabilities, name: string, value: HyperValue | string | boolean, method: TrainingMethod, providerName: string, baseModel: string): PreflightProblem[] {
  const field = `hyperparameters.${name}`;
  // A model with its own list (Bedrock) is checked against it; others against the provider's.
  const specs = caps.baseModels?.find((m) => m.id === baseModel)?.hyperparameters ?? caps.hyperparameters;
  const spec = specs.find((h) => h.name === name || h.providerName === name);
  if (!spec || !spec.methods.includes(method)) {
    // The provider's own names: `--hyperparameter NAME=VALUE` takes every one of them.
    const allowed = specs.filter((h) => h.methods.includes(method)).map((h) => h.providerName);
    return [
      {
        code: 'hyperparameter_not_supported',
        field,
        message: `${providerName} has no ${name} hyperparameter for ${method} jobs.`,
        hint: allowed.length > 0 ? `${providerName} takes, as --hyperparameter NAME=VALUE: ${allowed.join(', ')}` : `${providerName} takes no hyperparameters for ${method} jobs`,
      },
    ];
  }
  const problem = valueProblem(spec, value);
  if (!problem) return [];
  return [{ code: 'hyperparameter_out_of_range', field, message: `${name} ${problem} for ${providerName} (got ${String(value)}).`, hint: `set ${name} to ${allowedValues(spec)}` }];
}

/** Why `value` is not acceptable, or undefined when it is. */
function valueProblem(spec: HyperparameterSpec, value: HyperValue | string | boolean): string | undefined {
  if (value === 'auto') return spec.allowsAuto ? undefined : 'cannot be auto';
  if (spec.type === 'boolean') return typeof value === 'boolean' ? undefined : 'must be true or false';
  if (spec.type === 'string') {
    if (typeof value !== 'string') return 'must be text';
    return spec.values && !spec.values.includes(value) ? `must be one of ${spec.values.join(', ')}` : undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  if (spec.type === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
  if (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min)) return 'is too small';
  if (spec.max !== undefined && value > spec.max) return 'is too large';
  return spec.values && !spec.values.includes(value) ? `must be one of ${spec.values.join(', ')}` : undefined;
}

function allowedValues(spec: HyperparameterSpec): string {
  if (spec.type === 'boolean') return 'true or false';
  if (spec.values) return `one of ${spec.values.join(', ')}`;
  if (spec.type === 'string') return 'a text value';
  const kind = spec.type === 'integer' ? 'a whole number' : 'a number';
  const low = spec.min === undefined ? '' : spec.exclusiveMin ? ` above ${spec.min}` : ` from ${spec.min}`;
  const high = spec.max === undefined ? '' : `${low ? '' : ' up'} to ${spec.max}`;
  return `${kind}${low}${high}${spec.allowsAuto ? ', or auto' : ''}`;
}

/** Reinforcement needs a grader the provider accepts; other methods take none. */
function checkGraderOf(caps: ProviderCapabilities, req: CreateJobRequest, providerName: string): PreflightProblem[] {
  if (req.method !== 'reinforcement') {
    return req.grader === undefined ? [] : [{ code: 'grader_not_used', field: 'grader', message: `A grader only applies to reinforcement jobs, not ${req.method}.`, hint: 'drop --grader, or use --method reinforcement' }];
  }
  if (!caps.methods.includes('reinforcement')) return [];
  if (req.grader === undefined) {
    return [{ code: 'grader_missing', field: 'grader', message: 'Reinforcement fine-tuning needs a grader, and none was given.', hint: 'pass --grader FILE with the grader configuration as JSON' }];
  }
  return (caps.checkGrader?.(req.grader) ?? []).map((message) => ({ code: 'grader_invalid', field: 'grader', message: `${providerName} would refuse the grader: ${message}.`, hint: 'fix grader.json as the message says' }));
}

function checkSuffix(caps: ProviderCapabilities, suffix: string, providerName: string): PreflightProblem[] {
  if (!caps.suffix) {
    return [{ code: 'suffix_not_supported', field: 'suffix', message: `${providerName} does not take a model name suffix.`, hint: 'drop --suffix for this provider' }];
  }
  const { maxLength, pattern } = caps.suffix;
  if (suffix.length > maxLength || !new RegExp(pattern).test(suffix)) {
    return [
      {
        code: 'suffix_invalid',
        field: 'suffix',
        message: `${providerName} does not accept the suffix "${suffix}".`,
        hint: `use at most ${maxLength} characters matching ${pattern}`,
      },
    ];
  }
  return [];
}
