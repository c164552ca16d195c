import type { ColumnMap } from './csv-map.js';
import { mapValues } from './csv-map.js';
import { fail, isRecord, type Converted, type ConvertContext, type SourceRecord } from './types.js';

/**
 * `--map` on JSON and JSONL: each field is a key or a dotted path into the record (`meta.answer`;
 * a number indexes a list: `instances.0.output`). A key that itself holds dots is found first.
 */
export function valueAt(record: unknown, path: string): unknown {
  if (isRecord(record) && Object.hasOwn(record, path)) return record[path];
  let at: unknown = record;
  for (const part of path.split('.')) {
    if (Array.isArray(at) && /^\d+$/.test(part)) at = at[Number(part)];
    else if (isRecord(at) && Object.hasOwn(at, part)) at = at[part];
    else return undefined;
  }
  return at;
}

/**
 * One record → a chat example by `--map`. Missing values count as empty; numbers and booleans
 * become text (noted); an object or list cannot be a turn and skips the record. Top-level keys
 * no map reads are left out, and noted.
 */
export function mapRecord(record: SourceRecord, maps: readonly ColumnMap[], ctx: ConvertContext): Converted {
  const values: string[] = [];
  for (const m of maps) {
    const v = valueAt(record, m.column);
    if (v === undefined || v === null) values.push('');
    else if (typeof v === 'string') values.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') {
      ctx.note(`${typeof v} in ${JSON.stringify(m.column)} written as text`);
      values.push(String(v));
    } else return fail(`${JSON.stringify(m.column)} holds ${Array.isArray(v) ? 'a list' : 'an object'}, not text; map a path inside it (e.g. ${m.column}.0 or ${m.column}.<key>)`);
  }
  const roots = new Set(maps.map((m) => (Object.hasOwn(record, m.column) ? m.column : (m.column.split('.')[0] ?? ''))));
  for (const key of Object.keys(record)) if (!roots.has(key)) ctx.note(`key ${JSON.stringify(key)} is not mapped and was left out`);
  const converted = mapValues(values, maps, 'field');
  if (!converted.ok && values.every((v) => v === '')) {
    const keys = Object.keys(record).slice(0, 8).join(', ') || 'none';
    return fail(`no mapped field has a value (the record's keys: ${keys})`);
  }
  return converted;
}
