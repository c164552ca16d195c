/** Scorers about the answer's JSON: that it parses, and that it fits a JSON Schema. */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { UsageError } from '../../errors.js';
import type { EvalExample } from '../dataset.js';
import type { Scorer } from './types.js';

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export const validJson: Scorer = {
  name: 'json',
  measures: 'the whole answer parses as JSON (no code fences, no text around it)',
  cannot: 'say whether the JSON holds the right fields or values',
  score: (_ex, a) => (parse(a.text.trim()).ok ? { value: 1 } : { value: 0, detail: 'not valid JSON' }),
};

/**
 * `json-schema`: the answer validates against `--schema FILE`, or else the schema in the
 * example's `response_format.json_schema.schema` (draft 2020-12, as structured outputs use).
 */
export function jsonSchemaScorer(schemaFromFile?: Record<string, unknown>): Scorer {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (schema: Record<string, unknown>, where: string): ValidateFunction => {
    const key = JSON.stringify(schema);
    let fn = compiled.get(key);
    if (!fn) {
      try {
        fn = ajv.compile(schema);
      } catch (err) {
        throw new UsageError('invalid_json_schema', `The JSON Schema in ${where} is not valid: ${(err as Error).message}.`, { hint: 'fix the schema (draft 2020-12), or pass another with --schema FILE' });
      }
      compiled.set(key, fn);
    }
    return fn;
  };
  const fileFn = schemaFromFile ? compile(schemaFromFile, '--schema') : undefined;
  const schemaOf = (ex: EvalExample): ValidateFunction | undefined => {
    if (fileFn) return fileFn;
    const s = ex.request.responseFormat?.json_schema?.schema;
    return s ? compile(s, `line ${ex.line}'s response_format`) : undefined;
  };
  return {
    name: 'json-schema',
    measures: 'the answer is JSON that validates against the JSON Schema (--schema, else the example\'s response_format)',
    cannot: 'check values the schema leaves open, or compare them with the reference',
    score: (ex, a) => {
      const fn = schemaOf(ex);
      if (!fn) return { value: 0, detail: 'no schema for this example' };
      const parsed = parse(a.text.trim());
      if (!parsed.ok) return { value: 0, detail: 'not valid JSON' };
      if (fn(parsed.value)) return { value: 1 };
      const e = fn.errors?.[0];
      return { value: 0, detail: e ? `${e.instancePath || '/'} ${e.message ?? 'invalid'}` : 'does not match the schema' };
    },
  };
}
