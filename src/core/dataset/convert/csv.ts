import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { CheckFailedError } from '../../errors.js';

/** A row longer than this is a quoting problem (an unclosed quote swallowing the file), not data. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface CsvRow {
  cells: string[];
  /** 1-based data row (the header is row 0) and the line the row starts on. */
  row: number;
  line: number;
}

export interface CsvTable {
  header: string[];
  rows: AsyncGenerator<CsvRow>;
}

/**
 * Streams a CSV/TSV through csv-parse: header row first, quoted multi-line fields, BOM
 * stripped, rows of any width (the caller decides what missing or extra cells mean).
 */
export async function readCsv(input: Readable, delimiter: string): Promise<CsvTable> {
  const parser = input.pipe(parse({ bom: true, delimiter, relax_column_count: true, info: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES }));
  input.once('error', (err) => parser.destroy(err));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const first = await next(records);
  if (!first) throw new CheckFailedError('empty_csv', 'the CSV has no header row', { hint: 'the first row must name the columns' });
  return { header: first.record, rows: rowsOf(records) };
}

async function* rowsOf(records: AsyncIterator<{ record: string[]; info: { lines: number } }>): AsyncGenerator<CsvRow> {
  let row = 0;
  for (;;) {
    const r = await next(records);
    if (!r) return;
    row++;
    // info.lines is where the record ends; count the newlines inside quoted cells to find its start.
    let inner = 0;
    for (const cell of r.record) for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) inner++;
    yield { cells: r.record, row, line: r.info.lines - inner };
  }
}

async function next<T>(it: AsyncIterator<T>): Promise<T | undefined> {
  try {
    const r = await it.next();
    return r.done ? undefined : r.value;
  } catch (err) {
    // Every parse error is about the data (a quote, a record too large), never a bug of ours.
    if (err instanceof CsvError) {
      throw new CheckFailedError('invalid_csv', `the CSV cannot be read: ${err.message}`, { hint: 'check the quoting around that line, or pass --delimiter if the file is not comma-separated', cause: err });
    }
    throw err;
  }
}
