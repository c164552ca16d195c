import { CsvError, parse, type Parser } from 'csv-parse';
import { CheckFailedError } from '../../errors.js';

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

interface Parsed {
  record: Buffer[];
  info: { lines: number };
}

/**
 * Streams a CSV/TSV (UTF-8 chunks) through csv-parse: header row first, quoted multi-line
 * fields, BOM stripped, rows of any width (the caller decides what missing or extra cells mean).
 * Cells stay bytes (`encoding: null`): a row written as it is needs no string of them.
 */
export async function readCsv(chunks: AsyncIterable<Buffer>, delimiter: string): Promise<CsvTable> {
  // The BOM is stripped here, not by csv-parse, which would switch to strings on finding one.
  const parser = parse({ bom: false, encoding: null, delimiter, relax_column_count: true, info: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES });
  const batches = recordBatches(withoutBom(chunks), parser);
  let first: Parsed[] | undefined;
  while (first === undefined) {
    const r = await next(batches);
    if (r === undefined) throw new CheckFailedError('empty_csv', 'the table has no header row (no rows at all)', { hint: 'the first row must name the columns' });
    if (r.length > 0) first = r;
  }
  return { header: (first[0] as Parsed).record.map((cell) => cell.toString('utf8')), rows: rowsOf(first.slice(1), batches) };
}

async function* withoutBom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) yield chunk.subarray(3);
    else yield chunk;
    first = false;
  }
}

async function* rowsOf(rest: Parsed[], batches: AsyncGenerator<Parsed[]>): AsyncGenerator<CsvRow[]> {
  let row = 0;
  const rows = (records: Parsed[]): CsvRow[] =>
    records.map((r) => {
      row++;
      // info.lines is where the record ends; count the newlines inside quoted cells to find its start.
      let inner = 0;
      for (const cell of r.record) for (let i = cell.indexOf(0x0a); i !== -1; i = cell.indexOf(0x0a, i + 1)) inner++;
      return { cells: r.record, row, line: r.info.lines - inner };
    });
  if (rest.length > 0) yield rows(rest);
  for (;;) {
    const r = await next(batches);
    if (r === undefined) return;
    yield rows(r);
  }
}

/**
 * The records of each chunk, a batch per chunk. The chunk is written to the parser, which parses
 * it as it is written, and its records are read back at once: no stream between reader and
 * parser, and no promise per record (piping, and an async iterator over the parser, cost a
 * quarter of the parse on a 58 MB file). The records of the last line come with the end.
 */
async function* recordBatches(chunks: AsyncIterable<Buffer>, parser: Parser): AsyncGenerator<Parsed[]> {
  // A parse error also comes as an 'error' event; parser.errored has it at once.
  const ignore = (): void => undefined;
  parser.on('error', ignore);
  const ready = (): Parsed[] => {
    const batch: Parsed[] = [];
    for (let r = parser.read() as Parsed | null; r !== null; r = parser.read() as Parsed | null) batch.push(r);
    return batch;
  };
  try {
    for await (const chunk of chunks) {
      parser.write(chunk);
      const batch = ready();
      if (parser.errored) throw parser.errored;
      if (batch.length > 0) yield batch;
    }
    parser.end();
    const rest: Parsed[] = [];
    for await (const r of parser) rest.push(r as Parsed);
    if (rest.length > 0) yield rest;
  } finally {
    parser.off('error', ignore);
    parser.destroy();
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
