import { isUtf8 } from 'node:buffer';
import { UsageError } from '../../errors.js';
import { checkedUtf8, countReplacements, firstInvalidUtf8, notUtf8Error, REPLACEMENT_BYTES, transcode, type Utf8Stats } from '../input/encoding.js';
import type { DatasetInput } from '../input/open.js';
import { decodeLine, lineBytes, readLineSlices } from '../lines.js';
import { mapRow, planMapping, type ColumnMap, type MappingPlan } from './csv-map.js';
import { readCsv, type CsvRow } from './csv.js';
import { splitJsonArray } from './json-array.js';
import { isPlainChatRecord, LineBytes, plainRowLine, plainRows, type PlainRows } from './plain.js';
import { NOT_SURE, scanPlainLine } from './plain-line.js';
import { mayHoldFinding } from '../safety/scan.js';
import type { Container, Converted } from './types.js';

/** Where a source item came from: the line it starts on and, for tables and JSON files, its row or element. */
export interface SourceLoc {
  line: number;
  row?: number;
}

/**
 * One item of the input: a parsed record to convert (with its JSON text, so unchanged OpenAI data
 * can be written as it is), an already mapped CSV row, or why it cannot be read.
 */
export type SourceItem =
  | {
      loc: SourceLoc;
      record: unknown;
      /** The record's JSON text: checked for secrets before walking the record. */
      text?: string;
      /** A JSON line's bytes, valid while its batch is handled: written as they are when nothing changed. */
      raw?: Buffer;
    }
  | { loc: SourceLoc; mapped: Converted }
  | { loc: SourceLoc; unreadable: string }
  /** A plain example's line, ready to write (plain.ts): a JSON line's own bytes (valid while its batch is handled), or the line a mapped row makes. */
  | { loc: SourceLoc; plain: Buffer };

/** An item the converter takes (a plain line never reaches it). */
export type ConvertibleItem = Exclude<SourceItem, { plain: Buffer }>;

export interface Source {
  /** The items, a batch at a time (one await per batch, not per item). */
  items: AsyncGenerator<SourceItem[]>;
  /** Things the user should know before trusting the output (e.g. unmapped columns). */
  notes: string[];
}

export interface SourceOptions {
  /** `--encoding`: decode from this encoding; null reads UTF-8 and stops at the first byte that is not. */
  encoding: string | null;
  delimiter?: string | undefined;
  maps?: readonly ColumnMap[] | undefined;
  signal?: AbortSignal | undefined;
  /** How to re-run with an encoding, for the not-UTF-8 error. */
  fix: (encoding: string) => string;
  /** U+FFFD characters found (text damaged before it reached this file). */
  utf8: Utf8Stats;
  /** Whether a plain chat line may be passed on unparsed (once the run knows it converts chat to chat, unchanged). */
  plain?: (() => boolean) | undefined;
}

/** Opens the items of `input`, whatever its container. */
export async function openSource(input: DatasetInput, container: Container, opts: SourceOptions): Promise<Source> {
  if (container === 'jsonl') return { items: jsonlItems(input, opts), notes: [] };
  const text = opts.encoding === null ? checkedUtf8(input.chunks(), input.name, opts.fix, opts.utf8) : transcode(input.chunks(), opts.encoding, input.name);
  if (container === 'json') return { items: jsonItems(text), notes: [] };
  const delimiter = opts.delimiter ?? (container === 'tsv' ? '\t' : ',');
  const table = await readCsv(text, delimiter);
  const header = table.header;
  const maps = opts.maps ?? [];
  const notes: string[] = [];
  if (maps.length > 0) {
    const plan = planMapping(header, maps);
    for (const u of plan.unmapped) notes.push(`column ${u.index + 1} ${u.name === '(no name)' ? '(no name, e.g. a row index)' : JSON.stringify(u.name)} is not mapped and was left out`);
    return { items: mappedRows(table.rows, plan, header.length, opts.plain), notes };
  }
  if (header.some((h) => h === '')) notes.push('a column with no name (e.g. a row index) was left out');
  if (header.length < 2) throw new UsageError('unmappable_csv', `the table has only ${header.length} column`, { hint: 'check --delimiter' });
  return { items: recordRows(table.rows, header), notes };
}

/**
 * JSON Lines: a local file is read by path (two reused buffers, the fastest way), anything else
 * from its stream. Every line is checked to be UTF-8 (natively) as it is decoded.
 */
async function* jsonlItems(input: DatasetInput, opts: SourceOptions): AsyncGenerator<SourceItem[]> {
  const source = opts.encoding !== null ? transcode(input.chunks(), opts.encoding, input.name) : input.path !== null && !input.gzip ? input.path : input.chunks();
  for await (const batch of readLineSlices(source, { signal: opts.signal })) {
    const items: SourceItem[] = [];
    for (const slice of batch.lines) {
      const loc = { line: slice.line };
      if (slice.buf === null) {
        items.push({ loc, unreadable: `the line is over ${Math.round(slice.bytes / 1024 / 1024)} MiB` });
        continue;
      }
      // Once plain lines may pass, most are recognised from their bytes alone (plain-line.ts).
      if (opts.plain?.() === true) {
        const { raw, bom } = lineBytes(slice.buf, slice.line);
        const replacements = isUtf8(raw) ? scanPlainLine(raw) : NOT_SURE;
        if (replacements !== NOT_SURE) {
          if (replacements > 0) addReplacements(opts.utf8, slice.offset + (bom ? 3 : 0) + raw.indexOf(REPLACEMENT_BYTES), replacements);
          items.push({ loc, plain: raw });
          continue;
        }
      }
      const l = decodeLine(slice.buf, slice.line, slice.offset);
      if (l.invalidUtf8 && l.raw !== null) {
        const at = Math.max(0, firstInvalidUtf8(l.raw));
        throw notUtf8Error(input.name, slice.offset + (l.bom ? 3 : 0) + at, slice.line, l.raw.subarray(at), opts.fix);
      }
      if (l.blank) continue;
      const first = l.raw === null ? -1 : l.raw.indexOf(REPLACEMENT_BYTES);
      if (first !== -1) addReplacements(opts.utf8, slice.offset + (l.bom ? 3 : 0) + first, countReplacements(l.raw as Buffer));
      const item = parsed(l.text as string, loc, l.raw ?? undefined);
      // A plain chat line with nothing the secret scan could find is written as read (plain.ts).
      if (opts.plain?.() === true && 'record' in item && l.raw !== null && isPlainChatRecord(item.record) && !mayHoldFinding(l.text as string)) items.push({ loc, plain: l.raw });
      else items.push(item);
    }
    if (items.length > 0) yield items;
  }
}

/** `n` U+FFFD in a line, the first at byte `offset` of the input. */
function addReplacements(utf8: Utf8Stats, offset: number, n: number): void {
  if (utf8.replacements === 0) utf8.firstReplacementAt = offset;
  utf8.replacements += n;
}

async function* jsonItems(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceItem[]> {
  for await (const el of splitJsonArray(chunks)) {
    const loc = { line: el.line, row: el.index };
    // An element may span lines: its text is scanned, never written as it is.
    yield [el.text === undefined ? { loc, unreadable: `element ${el.index} is too large` } : parsed(el.text, loc, undefined)];
  }
}

function parsed(text: string, loc: SourceLoc, raw: Buffer | undefined): SourceItem {
  try {
    const record = JSON.parse(text) as unknown;
    return raw === undefined ? { loc, record, text } : { loc, record, text, raw };
  } catch (err) {
    return { loc, unreadable: `invalid JSON (${(err as Error).message})` };
  }
}

async function* mappedRows(batches: AsyncIterable<CsvRow[]>, plan: MappingPlan, width: number, plain: (() => boolean) | undefined): AsyncGenerator<SourceItem[]> {
  const shortcut = plainRows(plan.columns);
  for await (const rows of batches) {
    // A plain row's line is made from its bytes (plain.ts); the others are decoded and mapped.
    const out = shortcut !== undefined && plain?.() === true ? new LineBytes() : undefined;
    yield rows.map((r): SourceItem => {
      const loc = { line: r.line, row: r.row };
      if (r.cells.length > width) return { loc, unreadable: `the row has ${r.cells.length} cells but the header has ${width} (an unquoted delimiter?)` };
      const line = out && plainRowLine(r.cells, shortcut as PlainRows, out);
      if (line) return { loc, plain: line };
      return { loc, mapped: mapRow(r.cells.map(text), plan) };
    });
  }
}

const text = (cell: Buffer): string => cell.toString('utf8');

/** Without `--map`, a row is an object keyed by the header (unnamed columns left out), converted by its shape. */
async function* recordRows(batches: AsyncIterable<CsvRow[]>, header: readonly string[]): AsyncGenerator<SourceItem[]> {
  for await (const rows of batches) {
    yield rows.map((r): SourceItem => {
      const loc = { line: r.line, row: r.row };
      if (r.cells.length > header.length) return { loc, unreadable: `the row has ${r.cells.length} cells but the header has ${header.length} (an unquoted delimiter?)` };
      const record: Record<string, string> = {};
      header.forEach((name, i) => {
        const cell = r.cells[i];
        if (name !== '' && cell !== undefined) record[name] = text(cell);
      });
      return { loc, record };
    });
  }
}
