import { createReadStream } from 'node:fs';
import { UsageError } from '../../errors.js';
import { readLines } from '../lines.js';
import { mapRow, planMapping, type ColumnMap, type MappingPlan } from './csv-map.js';
import { readCsv } from './csv.js';
import { splitJsonArray } from './json-array.js';
import type { Container, Converted } from './types.js';

/** Where a source item came from: the line it starts on and, for tables, its data row. */
export interface SourceLoc {
  line: number;
  row?: number;
}

/** One item of the input: a parsed record to convert, an already mapped CSV row, or why it cannot be read. */
export type SourceItem =
  | { loc: SourceLoc; record: unknown }
  | { loc: SourceLoc; mapped: Converted }
  | { loc: SourceLoc; unreadable: string };

export interface Source {
  items: AsyncGenerator<SourceItem>;
  /** Things the user should know before trusting the output (e.g. unmapped columns). */
  notes: string[];
  /** The CSV header, for tables. */
  header?: string[];
}

const CHUNK = 256 * 1024;

/** Opens `path` as a stream of items, whatever its container. */
export async function openSource(path: string, container: Container, opts: { delimiter?: string; maps?: readonly ColumnMap[]; signal?: AbortSignal }): Promise<Source> {
  if (container === 'jsonl') return { items: jsonlItems(path, opts.signal), notes: [] };
  if (container === 'json') return { items: jsonItems(path, opts.signal), notes: [] };
  const delimiter = opts.delimiter ?? (container === 'tsv' ? '\t' : ',');
  const table = await readCsv(createReadStream(path, { highWaterMark: CHUNK, signal: opts.signal }), delimiter);
  const header = table.header;
  const maps = opts.maps ?? [];
  const notes: string[] = [];
  if (maps.length > 0) {
    const plan = planMapping(header, maps);
    for (const u of plan.unmapped) notes.push(`column ${u.index + 1} ${u.name === '(no name)' ? '(no name, e.g. a row index)' : JSON.stringify(u.name)} is not mapped and was left out`);
    return { items: mappedRows(table.rows, plan, header.length), notes, header };
  }
  if (header.some((h) => h === '')) notes.push('a column with no name (e.g. a row index) was left out');
  if (header.length < 2) throw new UsageError('unmappable_csv', `the table has only ${header.length} column`, { hint: 'check --delimiter' });
  return { items: recordRows(table.rows, header), notes, header };
}

async function* jsonlItems(path: string, signal: AbortSignal | undefined): AsyncGenerator<SourceItem> {
  for await (const l of readLines(path, { signal })) {
    const loc = { line: l.line };
    if (l.text === null) yield { loc, unreadable: `the line is over ${Math.round(l.bytes / 1024 / 1024)} MiB` };
    else if (l.blank) continue;
    else yield parsed(l.text, loc);
  }
}

async function* jsonItems(path: string, signal: AbortSignal | undefined): AsyncGenerator<SourceItem> {
  for await (const el of splitJsonArray(createReadStream(path, { highWaterMark: CHUNK, signal }))) {
    const loc = { line: el.line, row: el.index };
    if (el.text === undefined) yield { loc, unreadable: `array element ${el.index} is too large` };
    else yield parsed(el.text, loc);
  }
}

function parsed(text: string, loc: SourceLoc): SourceItem {
  try {
    return { loc, record: JSON.parse(text) as unknown };
  } catch (err) {
    return { loc, unreadable: `invalid JSON (${(err as Error).message})` };
  }
}

async function* mappedRows(rows: AsyncIterable<{ cells: string[]; row: number; line: number }>, plan: MappingPlan, width: number): AsyncGenerator<SourceItem> {
  for await (const r of rows) {
    const loc = { line: r.line, row: r.row };
    if (r.cells.length > width) yield { loc, unreadable: `the row has ${r.cells.length} cells but the header has ${width} (an unquoted delimiter?)` };
    else yield { loc, mapped: mapRow(r.cells, plan) };
  }
}

/** Without `--map`, a row is an object keyed by the header (unnamed columns left out), converted by its shape. */
async function* recordRows(rows: AsyncIterable<{ cells: string[]; row: number; line: number }>, header: readonly string[]): AsyncGenerator<SourceItem> {
  for await (const r of rows) {
    const loc = { line: r.line, row: r.row };
    if (r.cells.length > header.length) {
      yield { loc, unreadable: `the row has ${r.cells.length} cells but the header has ${header.length} (an unquoted delimiter?)` };
      continue;
    }
    const record: Record<string, string> = {};
    header.forEach((name, i) => {
      if (name !== '' && r.cells[i] !== undefined) record[name] = r.cells[i];
    });
    yield { loc, record };
  }
}
