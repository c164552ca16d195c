/**
 * `POST /v1/fine_tuning/jobs` request checks, in the order the API reports them: unknown fields,
 * required fields, model, files, suffix, seed, method and hyperparameters, metadata. Each failure
 * is a 400 in OpenAI's error shape naming the field.
 */
import type { JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import type { HttpError } from '../shared/http.js';
import { invalid, missing, notFound, unknownArgument } from './api-error.js';
import type { FakeContext } from './context.js';

const TOP_LEVEL = ['model', 'training_file', 'validation_file', 'suffix', 'seed', 'method', 'hyperparameters', 'metadata', 'integrations'];

interface Range {
  integer: boolean;
  min: number;
  exclusiveMin?: boolean;
  max?: number;
}

const COMMON: Record<string, Range> = {
  n_epochs: { integer: true, min: 1, max: 50 },
  batch_size: { integer: true, min: 1, max: 256 },
  learning_rate_multiplier: { integer: false, min: 0, exclusiveMin: true },
};
const HYPER: Record<string, Record<string, Range>> = {
  supervised: COMMON,
  dpo: { ...COMMON, beta: { integer: false, min: 0, exclusiveMin: true, max: 2 } },
  reinforcement: {
    ...COMMON,
    compute_multiplier: { integer: false, min: 0.00001, exclusiveMin: true, max: 10 },
    eval_interval: { integer: true, min: 1 },
    eval_samples: { integer: true, min: 1 },
  },
};

/** Returns the request typed, or throws the API's 400/404. */
export function validateCreateJob(body: unknown, fake: FakeContext): JobCreateParams & { method: NonNullable<JobCreateParams['method']> } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw missing('model');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!TOP_LEVEL.includes(key)) throw unknownArgument(key);
  if (b.model === undefined) throw missing('model');
  if (b.training_file === undefined) throw missing('training_file');
  if (typeof b.model !== 'string' || !modelExists(b.model, fake)) {
    throw invalid(`Model ${String(b.model)} is not available for fine-tuning or does not exist.`, 'model', 'model_not_available');
  }
  checkFile(b.training_file, 'training_file', fake);
  if (b.validation_file !== undefined && b.validation_file !== null) checkFile(b.validation_file, 'validation_file', fake);
  if (b.suffix !== undefined && b.suffix !== null) checkSuffix(b.suffix);
  if (b.seed !== undefined && b.seed !== null && (!Number.isInteger(b.seed) || (b.seed as number) < 0 || (b.seed as number) > 2147483647)) {
    throw invalid(`Invalid 'seed': expected an integer between 0 and 2147483647, but got ${JSON.stringify(b.seed)} instead.`, 'seed', 'invalid_value');
  }
  const method = checkMethod(b.method, b.hyperparameters);
  if (b.metadata !== undefined && b.metadata !== null) checkMetadata(b.metadata);
  return { ...(b as unknown as JobCreateParams), method };
}

function modelExists(model: string, fake: FakeContext): boolean {
  return fake.opts.baseModels.includes(model) || (model.startsWith('ft:') && fake.state.models.has(model));
}

function checkFile(id: unknown, param: string, fake: FakeContext): void {
  if (typeof id !== 'string') throw invalid(`Invalid '${param}': expected a file ID string.`, param, 'invalid_type');
  const f = fake.state.files.get(id);
  if (!f) throw notFound(`invalid ${param}: ${id}. No such File object.`, param);
  if (f.object.purpose !== 'fine-tune') {
    throw invalid(`File ${id} has purpose '${f.object.purpose}', but a ${param} must have purpose 'fine-tune'.`, param, 'invalid_file_purpose');
  }
}

function checkSuffix(s: unknown): void {
  if (typeof s !== 'string') throw invalid(`${JSON.stringify(s)} is not of type 'string' - 'suffix'`, 'suffix', 'invalid_type');
  if (s.length < 1) throw invalid(`Invalid 'suffix': string too short. Expected a string with minimum length 1, but got an empty string instead.`, 'suffix', 'string_below_min_length');
  if (s.length > 64) throw invalid(`Invalid 'suffix': string too long. Expected a string with maximum length 64, but got a string with length ${s.length} instead.`, 'suffix', 'string_above_max_length');
  if (!/^[A-Za-z0-9_-]+$/.test(s)) throw invalid(`Invalid 'suffix': '${s}'. A suffix may contain only letters, digits, '-' and '_'.`, 'suffix', 'invalid_value');
}

function checkMethod(method: unknown, legacy: unknown): NonNullable<JobCreateParams['method']> {
  if (method === undefined || method === null) {
    const hyper = checkHyper(legacy, 'supervised', 'hyperparameters');
    return { type: 'supervised', supervised: { hyperparameters: hyper } };
  }
  if (typeof method !== 'object' || Array.isArray(method)) throw invalid(`Invalid 'method': expected an object.`, 'method', 'invalid_type');
  const m = method as Record<string, unknown>;
  const type = m.type;
  if (type !== 'supervised' && type !== 'dpo' && type !== 'reinforcement') {
    throw invalid(`Invalid 'method.type': expected one of 'supervised', 'dpo', 'reinforcement', but got ${JSON.stringify(type)} instead.`, 'method.type', 'invalid_value');
  }
  for (const key of Object.keys(m)) if (key !== 'type' && key !== type) throw unknownArgument(`method.${key}`);
  if (legacy !== undefined && legacy !== null) {
    throw invalid("Do not set both 'hyperparameters' and 'method'; put hyperparameters in 'method'.", 'hyperparameters', 'invalid_value');
  }
  const config = (m[type] ?? {}) as Record<string, unknown>;
  if (type === 'reinforcement') checkGrader(config.grader);
  for (const key of Object.keys(config)) if (!['hyperparameters', 'grader', 'response_format'].includes(key)) throw unknownArgument(`method.${type}.${key}`);
  const hyper = checkHyper(config.hyperparameters, type, `method.${type}.hyperparameters`);
  return { type, [type]: { ...config, hyperparameters: hyper } } as NonNullable<JobCreateParams['method']>;
}

const GRADERS = ['string_check', 'text_similarity', 'python', 'score_model', 'multi'];

/** The grader's `type` and `name` (FineTuneReinforcementMethod.grader); the rest is the grader's business. */
function checkGrader(g: unknown): void {
  if (g === undefined || g === null) throw missing('method.reinforcement.grader');
  const grader = g as Record<string, unknown>;
  if (typeof g !== 'object' || !GRADERS.includes(String(grader.type))) {
    throw invalid(`Invalid 'method.reinforcement.grader.type': expected one of ${GRADERS.map((t) => `'${t}'`).join(', ')}.`, 'method.reinforcement.grader.type', 'invalid_value');
  }
  if (typeof grader.name !== 'string') throw missing('method.reinforcement.grader.name');
}

function checkHyper(h: unknown, type: string, at: string): Record<string, number | string> {
  if (h === undefined || h === null) return {};
  if (typeof h !== 'object' || Array.isArray(h)) throw invalid(`Invalid '${at}': expected an object.`, at, 'invalid_type');
  const ranges = HYPER[type] ?? {};
  const out: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(h as Record<string, unknown>)) {
    const param = `${at}.${key}`;
    if (type === 'reinforcement' && key === 'reasoning_effort') {
      if (!['default', 'low', 'medium', 'high'].includes(String(value))) throw invalid(`Invalid '${param}': expected one of 'default', 'low', 'medium', 'high'.`, param, 'invalid_value');
      out[key] = String(value);
      continue;
    }
    const range = ranges[key];
    if (!range) throw unknownArgument(param);
    if (value === 'auto') {
      out[key] = 'auto';
      continue;
    }
    out[key] = checkNumber(value, range, param);
  }
  return out;
}

function checkNumber(value: unknown, r: Range, param: string): number {
  const kind = r.integer ? 'an integer' : 'a number';
  const bad = (why: string): HttpError => invalid(`Invalid '${param}': ${why}`, param, 'invalid_value');
  if (typeof value !== 'number' || !Number.isFinite(value) || (r.integer && !Number.isInteger(value))) throw bad(`expected 'auto' or ${kind}, but got ${JSON.stringify(value)} instead.`);
  if (r.exclusiveMin ? value <= r.min : value < r.min) throw bad(`expected ${kind} ${r.exclusiveMin ? 'greater than' : 'of at least'} ${r.min}, but got ${value} instead.`);
  if (r.max !== undefined && value > r.max) throw bad(`expected ${kind} of at most ${r.max}, but got ${value} instead.`);
  return value;
}

function checkMetadata(md: unknown): void {
  if (typeof md !== 'object' || md === null || Array.isArray(md)) throw invalid(`Invalid 'metadata': expected an object.`, 'metadata', 'invalid_type');
  const entries = Object.entries(md);
  if (entries.length > 16) throw invalid(`Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with ${entries.length} properties instead.`, 'metadata', 'object_above_max_properties');
  for (const [k, v] of entries) {
    if (k.length > 64) throw invalid(`Invalid 'metadata': key '${k.slice(0, 20)}…' is too long. Keys can be at most 64 characters.`, 'metadata', 'string_above_max_length');
    if (typeof v !== 'string') throw invalid(`Invalid 'metadata.${k}': expected a string, but got ${JSON.stringify(v)} instead.`, `metadata.${k}`, 'invalid_type');
    if (v.length > 512) throw invalid(`Invalid 'metadata.${k}': string too long. Values can be at most 512 characters.`, `metadata.${k}`, 'string_above_max_length');
  }
}
