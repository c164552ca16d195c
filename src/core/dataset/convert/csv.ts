import { CsvError, parse, type Parser } from 'csv-parse';
import { CheckFailedError } from '../../errors.js';
import { MAX_CARRY, scanRecords, scannerDelimiter, type CsvRecord, type ScanState } from './csv-plain.js';

/** A row longer than this is a quoting problem (an unclosed quote swallowing the file), not data. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface CsvRow {
  /** The cells as UTF-8 bytes (decoded only where a row takes the general path). */
  cells: Buffer[];
  /** 1-based data row (the header is row 0) and the line the row starts on. */
  row: number;
  line: number;
}

export interface CsvTable {
  header: string[];
  /** The data rows, as many at a time as the parser has ready. */
  rows: AsyncGenerator<CsvRow[]>;
}

/** How many records (the header included) each reader took: for tests and benchmarks. */
export interface CsvReadStats {
  scanned: number;
  parsed: number;
}

interface Parsed {
  record: Buffer[];
  info: { lines: number };
}

/**
 * Streams a CSV/TSV (UTF-8 chunks): header row first, quoted multi-line fields, BOM stripped, rows
 * of any width (the caller decides what missing or extra cells mean). Records are split from
 * their bytes (csv-plain.ts) until one is not certain to read as csv-parse reads it; from there on
 * csv-parse reads the rest. Cells stay bytes: a row written as it is needs no string of them.
 */
export async function readCsv(chunks: AsyncIterable<Buffer>, delimiter: string, stats: CsvReadStats = { scanned: 0, parsed: 0 }): Promise<CsvTable> {
  const batches = recordBatches(withoutBom(chunks), delimiter, stats);
  let first: CsvRecord[] | undefined;
  while (first === undefined) {
    const r = await next(batches);
    if (r === undefined) throw new CheckFailedError('empty_csv', 'the table has no header row (no rows at all)', { hint: 'the first row must name the columns' });
    if (r.length > 0) first = r;
  }
  return { header: (first[0] as CsvRecord).cells.map((cell) => cell.toString('utf8')), rows: rowsOf(first.slice(1), batches) };
}

function newParser(delimiter: string): Parser {
  // The BOM is stripped before (withoutBom), not by csv-parse, which would switch to strings on finding one.
  return parse({ bom: false, encoding: null, delimiter, relax_column_count: true, info: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES });
}

async function* withoutBom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) yield chunk.subarray(3);
    else yield chunk;
    first = false;
  }
}

async function* rowsOf(rest: CsvRecord[], batches: AsyncGenerator<CsvRecord[]>): AsyncGenerator<CsvRow[]> {
  let row = 0;
  const rows = (records: CsvRecord[]): CsvRow[] => records.map((r) => ({ cells: r.cells, row: ++row, line: r.line }));
  if (rest.length > 0) yield rows(rest);
  for (;;) {
    const r = await next(batches);
    if (r === undefined) return;
    yield rows(r);
  }
}

/**
 * The records of each read, a batch per read: split by the scanner while it can, then by
 * csv-parse. A read is written to the parser, which parses it as it is written, and its records
 * are read back at once: no stream between reader and parser, and no promise per record. The
 * records of the last line come with the end.
 */
async function* recordBatches(chunks: AsyncIterable<Buffer>, delimiter: string, stats: CsvReadStats): AsyncGenerator<CsvRecord[]> {
  const byte = scannerDelimiter(delimiter);
  let parser: Parser | undefined;
  // A parse error also comes as an 'error' event; parser.errored has it at once.
  const ignore = (): void => undefined;
  const handOver = (state: ScanState, rest: Buffer | null): Parser => {
    const p = newParser(delimiter);
    p.on('error', ignore);
    // csv-parse numbers lines as it reads them: those the scanner read are given to it as empty
    // lines (which it skips) ending as the file's do, so the lines it reports, in records and in
    // errors, are the file's, and it finds the same line ending.
    const eol = state.ending === 'crlf' ? '\r\n' : '\n';
    for (let lines = state.line - 1; lines > 0; lines -= PAD_LINES) p.write(Buffer.from(eol.repeat(Math.min(lines, PAD_LINES))));
    if (rest !== null && rest.length > 0) p.write(rest);
    return p;
  };
  const lines = new ParserLines();
  const parsed = (p: Parser, into: CsvRecord[]): void => {
    for (let r = p.read() as Parsed | null; r !== null; r = p.read() as Parsed | null) into.push(lines.record(r));
    if (p.errored) throw p.errored;
  };
  let carry: Buffer | null = null;
  const state: ScanState = { line: 1, ending: undefined };
  try {
    if (byte === -1) parser = handOver(state, null);
    for await (const chunk of chunks) {
      const batch: CsvRecord[] = [];
      if (parser === undefined) {
        const buf: Buffer = carry === null ? chunk : Buffer.concat([carry, chunk]);
        carry = null;
        const stop = scanRecords(buf, byte, state, false, batch);
        stats.scanned += batch.length;
        if (stop.why === 'more' && buf.length - stop.pos <= MAX_CARRY) carry = Buffer.from(buf.subarray(stop.pos));
        else if (stop.why !== 'end') parser = handOver(state, buf.subarray(stop.pos));
      } else parser.write(chunk);
      if (parser !== undefined) {
        const before = batch.length;
        parsed(parser, batch);
        stats.parsed += batch.length - before;
      }
      if (batch.length > 0) yield batch;
    }
    const rest: CsvRecord[] = [];
    if (parser === undefined && carry !== null) {
      const stop = scanRecords(carry, byte, state, true, rest);
      stats.scanned += rest.length;
      if (stop.why !== 'end') parser = handOver(state, carry.subarray(stop.pos));
    }
    if (parser !== undefined) {
      const before = rest.length;
      parser.end();
      for await (const r of parser) rest.push(lines.record(r as Parsed));
      stats.parsed += rest.length - before;
    }
    if (rest.length > 0) yield rest;
  } finally {
    parser?.off('error', ignore);
    parser?.destroy();
  }
}

/** The empty lines written to csv-parse at a time when it takes over. */
const PAD_LINES = 512 * 1024;

/**
 * csv-parse's records with the line each starts on. Its `info.lines` (where a record ends) counts
 * every CR and every LF it reads, but a record delimiter once: a CR inside a cell (a CRLF in a
 * quoted cell, a stray CR in an LF file) counts as a line of its own, and the count stays that
 * far ahead for the rest of the file. A line here ends at a record delimiter or at an LF inside a
 * cell, so the cells' CRs, of this record and of those before it, are taken off again.
 */
class ParserLines {
  /** CRs seen in the cells of earlier records. */
  private crs = 0;

  record(r: Parsed): CsvRecord {
    let breaks = 0;
    let crs = 0;
    for (const cell of r.record) {
      for (let i = cell.indexOf(0x0a); i !== -1; i = cell.indexOf(0x0a, i + 1)) breaks++;
      for (let i = cell.indexOf(0x0d); i !== -1; i = cell.indexOf(0x0d, i + 1)) crs++;
    }
    const line = r.info.lines - breaks - crs - this.crs;
    this.crs += crs;
    return { cells: r.record, line };
  }
}

async function next<T>(it: AsyncIterator<T>): Promise<T | undefined> {
  try {
    const r = await it.next();
    return r.done ? undefined : r.value;
  } catch (err) {
    // Every parse error is about the data (a quote, a record too large), never a bug of ours.
    if (err instanceof CsvError) {
      throw new CheckFailedError('invalid_csv', `the CSV cannot be read: ${readableBytes(err.message)}`, { hint: 'check the quoting around that line, or pass --delimiter if the file is not comma-separated', cause: err });
    }
    throw err;
  }
}

/** csv-parse quotes a field's value into some messages; with bytes for cells that is a JSON Buffer: shown as its text. */
function readableBytes(message: string): string {
  return message.replace(/\{"type":"Buffer","data":\[([\d,]*)\]\}/g, (_, data: string) => JSON.stringify(Buffer.from(data === '' ? [] : data.split(',').map(Number)).toString('utf8')));
}
