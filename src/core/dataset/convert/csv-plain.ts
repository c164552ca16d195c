/**
 * CSV records read from their bytes while that is certain to give what csv-parse gives, as
 * plain-line.ts does for JSON Lines. csv-parse copies every cell and walks the file a byte at a
 * time in JavaScript; most files are rows of simple cells, which native searches (`indexOf`) split
 * at several times its speed, the cells left as views of the read.
 *
 * The scanner takes a record only when it matches, with csv-parse's options of csv.ts (one-byte
 * delimiter, `"` as quote and escape, no trimming, empty lines skipped):
 *
 *   record := field (DELIMITER field)* (EOL | end of input)
 *   field  := bytes with no DELIMITER, CR, LF or `"`  |  `"` (bytes but `"` | `""`)* `"`
 *
 * EOL is the file's line ending, found as csv-parse finds it: the first CR or LF outside quotes
 * decides between LF and CRLF (a lone CR, old Mac files, is left to csv-parse). A line with
 * nothing on it is skipped; a quoted cell's `""` is one `"`. Anything else (a CR or LF that is not
 * the file's line ending outside quotes, a quote inside an unquoted cell, bytes after a closing
 * quote, an unclosed quote at the end) stops it at the start of that record, and csv.ts hands the
 * rest of the input to csv-parse, which reads it, or rejects it, with its own words. A record is
 * also left to csv-parse when it is still incomplete after MAX_CARRY bytes.
 * test/core/dataset/convert/csv-plain.test.ts holds the two readers to the same records, lines and
 * errors.
 */

/** A record: its cells (views of the input, or copies where a `""` was unescaped) and the line it starts on. */
export interface CsvRecord {
  cells: Buffer[];
  line: number;
}

/** Where a scan of one buffer stopped: every record before `pos` was taken (the scan's state has the line `pos` is on). */
export interface ScanStop {
  pos: number;
  /** `more`: the record at `pos` continues in the next read; `parser`: csv-parse must read on from `pos`; `end`: all taken. */
  why: 'more' | 'parser' | 'end';
}

/** The file's line ending, once the scan has met it (csv-parse's record delimiter). */
export type LineEnding = 'lf' | 'crlf' | undefined;

/** What a scan carries from one read to the next. */
export interface ScanState {
  /** The line the next read starts on (1-based, a line ends at the line ending or at an LF inside a cell). */
  line: number;
  ending: LineEnding;
}

/** A record still incomplete after this many bytes (several reads) is left to csv-parse. */
export const MAX_CARRY = 4 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

// What endAt says of a CR or LF outside quotes, besides a line ending's length (1 or 2).
const MORE = -1;
const PARSER = -2;

/** The delimiter's byte when the scanner can use it, else -1 (csv-parse reads the whole file). */
export function scannerDelimiter(delimiter: string): number {
  if (delimiter.length !== 1) return -1;
  const code = delimiter.charCodeAt(0);
  return code < 0x80 && code !== LF && code !== CR && code !== QUOTE ? code : -1;
}

/**
 * Takes the records of `b` (the input from a record's start) into `out`. `state` says where `b`
 * starts and is moved on to where the scan stopped; `final` says no input follows `b`.
 */
export function scanRecords(b: Buffer, delimiter: number, state: ScanState, final: boolean, out: CsvRecord[]): ScanStop {
  const n = b.length;
  let line = state.line;
  // The next delimiter, LF, quote and CR at or after where the scan stands (n: none): each is
  // searched for again only once the scan has passed it, so the input is searched a few times
  // over natively, however many cells it holds.
  let nextDelimiter = -1;
  let nextLf = -1;
  let nextQuote = -1;
  let nextCr = -1;
  const find = (byte: number, from: number): number => {
    const i = b.indexOf(byte, from);
    return i === -1 ? n : i;
  };
  /** The length of the line ending at `i` (a CR or LF outside quotes), MORE or PARSER; the first one met sets the file's. */
  const endAt = (i: number): number => {
    if (b[i] === LF) {
      if (state.ending === 'crlf') return PARSER;
      state.ending = 'lf';
      return 1;
    }
    if (state.ending === 'lf') return PARSER;
    if (i + 1 === n) return final ? PARSER : MORE;
    if (b[i + 1] !== LF) return PARSER;
    state.ending = 'crlf';
    return 2;
  };
  const stop = (pos: number, why: ScanStop['why']): ScanStop => {
    state.line = line;
    return { pos, why };
  };
  let pos = 0;
  while (pos < n) {
    const first = b[pos];
    if (first === LF || first === CR) {
      const skip = endAt(pos);
      if (skip < 0) return stop(pos, skip === MORE ? 'more' : 'parser');
      pos += skip;
      line++;
      continue;
    }
    const cells: Buffer[] = [];
    let p = pos; // where the cell being read starts
    let inner = 0; // LFs inside the record's quoted cells
    let end: number; // where the next record starts
    for (;;) {
      let after: number; // the byte after the cell
      if (b[p] === QUOTE) {
        let q = p + 1;
        let escaped = false;
        for (;;) {
          if (nextQuote < q) nextQuote = find(QUOTE, q);
          if (nextQuote >= n) return stop(pos, final ? 'parser' : 'more');
          if (nextQuote + 1 < n && b[nextQuote + 1] === QUOTE) {
            escaped = true;
            q = nextQuote + 2;
            continue;
          }
          if (nextQuote + 1 === n && !final) return stop(pos, 'more');
          break;
        }
        const close = nextQuote;
        if (nextLf < p) nextLf = find(LF, p);
        while (nextLf < close) {
          inner++;
          nextLf = find(LF, nextLf + 1);
        }
        cells.push(escaped ? unescapeQuotes(b, p + 1, close) : b.subarray(p + 1, close));
        after = close + 1;
        if (after < n && b[after] !== delimiter && b[after] !== LF && b[after] !== CR) return stop(pos, 'parser');
      } else {
        if (nextDelimiter < p) nextDelimiter = find(delimiter, p);
        if (nextLf < p) nextLf = find(LF, p);
        if (nextCr < p) nextCr = find(CR, p);
        if (nextQuote < p) nextQuote = find(QUOTE, p);
        after = nextDelimiter < nextLf ? nextDelimiter : nextLf;
        if (nextCr < after) after = nextCr;
        if (nextQuote < after) return stop(pos, 'parser');
        if (after === n && !final) return stop(pos, 'more');
        cells.push(b.subarray(p, after));
      }
      if (after === n) {
        end = n;
        break;
      }
      if (b[after] === delimiter) {
        p = after + 1;
        continue;
      }
      const eol = endAt(after);
      if (eol < 0) return stop(pos, eol === MORE ? 'more' : 'parser');
      end = after + eol;
      inner++;
      break;
    }
    out.push({ cells, line });
    line += inner;
    pos = end;
  }
  return stop(pos, 'end');
}

/** The bytes of a quoted cell from `from` to `to` with each `""` made one `"`. */
function unescapeQuotes(b: Buffer, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe(to - from);
  let w = 0;
  let i = from;
  while (i < to) {
    const q = b.indexOf(QUOTE, i);
    const stop = q === -1 || q >= to ? to : q + 1; // keeps the first quote of the pair
    w += b.copy(out, w, i, stop);
    i = stop === to ? to : stop + 1; // skips the second
  }
  return out.subarray(0, w);
}
