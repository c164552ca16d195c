/**
 * CSV records read from their bytes while that is certain to give what csv-parse gives, as
 * plain-line.ts does for JSON Lines. csv-parse copies every cell and walks the file a byte at a
 * time in JavaScript; most files are LF-terminated rows of simple cells, which native searches
 * (`indexOf`) split at several times its speed, the cells left as views of the read.
 *
 * The scanner takes a record only when it matches, with csv-parse's options of csv.ts (one-byte
 * delimiter, `"` as quote and escape, no trimming, empty lines skipped):
 *
 *   record := field (DELIMITER field)* (LF | end of input)
 *   field  := bytes with no DELIMITER, LF, CR or `"`  |  `"` (bytes but `"` or CR | `""`)* `"`
 *
 * A line with nothing on it is skipped; a quoted cell's `""` is one `"`. Anything else (a CR
 * anywhere, so CRLF files; a quote inside an unquoted cell; bytes after a closing quote; an
 * unclosed quote at the end) stops it at the start of that record, and csv.ts hands the rest of
 * the input to csv-parse, which reads it, or rejects it, with its own words. A record is also left
 * to csv-parse when it is still incomplete after MAX_CARRY bytes. test/core/dataset/convert/
 * csv-plain.test.ts holds the two readers to the same records, lines and errors.
 */

/** A record: its cells (views of the input, or copies where a `""` was unescaped) and the line it starts on. */
export interface CsvRecord {
  cells: Buffer[];
  line: number;
}

/** Where a scan of one buffer stopped: every record before `pos` was taken; `line` is the line `pos` is on. */
export interface ScanStop {
  pos: number;
  line: number;
  /** `more`: the record at `pos` continues in the next read; `parser`: csv-parse must read on from `pos`; `end`: all taken. */
  why: 'more' | 'parser' | 'end';
}

/** A record still incomplete after this many bytes (several reads) is left to csv-parse. */
export const MAX_CARRY = 4 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** The delimiter's byte when the scanner can use it, else -1 (csv-parse reads the whole file). */
export function scannerDelimiter(delimiter: string): number {
  if (delimiter.length !== 1) return -1;
  const code = delimiter.charCodeAt(0);
  return code < 0x80 && code !== LF && code !== CR && code !== QUOTE ? code : -1;
}

/**
 * Takes the records of `b` (the input from a record's start) into `out`. `line` is the line `b`
 * starts on; `final` says no input follows `b`.
 */
export function scanRecords(b: Buffer, delimiter: number, line: number, final: boolean, out: CsvRecord[]): ScanStop {
  const n = b.length;
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
  let pos = 0;
  while (pos < n) {
    if (b[pos] === LF) {
      pos++;
      line++;
      continue;
    }
    const cells: Buffer[] = [];
    let p = pos; // where the cell being read starts
    let inner = 0; // LFs inside the record's quoted cells
    let end: number; // where the next record starts
    for (;;) {
      if (b[p] === QUOTE) {
        let q = p + 1;
        let escaped = false;
        let close: number;
        for (;;) {
          if (nextQuote < q) nextQuote = find(QUOTE, q);
          if (nextQuote >= n) return { pos, line, why: final ? 'parser' : 'more' };
          if (nextQuote + 1 < n && b[nextQuote + 1] === QUOTE) {
            escaped = true;
            q = nextQuote + 2;
            continue;
          }
          if (nextQuote + 1 === n && !final) return { pos, line, why: 'more' };
          close = nextQuote;
          break;
        }
        if (nextCr < p) nextCr = find(CR, p);
        if (nextCr < close) return { pos, line, why: 'parser' };
        if (nextLf < p) nextLf = find(LF, p);
        while (nextLf < close) {
          inner++;
          nextLf = find(LF, nextLf + 1);
        }
        cells.push(escaped ? unescapeQuotes(b, p + 1, close) : b.subarray(p + 1, close));
        const after = close + 1;
        if (after === n) {
          end = n;
          break;
        }
        const c = b[after];
        if (c === delimiter) {
          p = after + 1;
          continue;
        }
        if (c !== LF) return { pos, line, why: 'parser' };
        end = after + 1;
        break;
      }
      if (nextDelimiter < p) nextDelimiter = find(delimiter, p);
      if (nextLf < p) nextLf = find(LF, p);
      const e = nextDelimiter < nextLf ? nextDelimiter : nextLf;
      if (nextQuote < p) nextQuote = find(QUOTE, p);
      if (nextCr < p) nextCr = find(CR, p);
      if (nextQuote < e || nextCr < e) return { pos, line, why: 'parser' };
      if (e === n && !final) return { pos, line, why: 'more' };
      cells.push(b.subarray(p, e));
      if (e === n) {
        end = n;
        break;
      }
      if (e === nextDelimiter) {
        p = e + 1;
        continue;
      }
      end = e + 1;
      break;
    }
    out.push({ cells, line });
    line += inner + (b[end - 1] === LF ? 1 : 0);
    pos = end;
  }
  return { pos, line, why: 'end' };
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
