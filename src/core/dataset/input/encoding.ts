/**
 * Text encodings of dataset inputs. Data is read as UTF-8 and never decoded lossily: bytes that
 * are not UTF-8 stop the run with their byte offset and the fix (`--encoding windows-1252`…),
 * UTF-16 and binary files are named for what they are, and `--encoding` decodes other encodings
 * properly (WHATWG labels, via TextDecoder) into UTF-8 before anything else reads the data.
 */
import { isUtf8 } from 'node:buffer';
import { CheckFailedError, UsageError } from '../../errors.js';

/** Encodings named in messages; `--encoding` takes any label TextDecoder knows. */
export const COMMON_ENCODINGS = ['utf-8', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be', 'shift_jis', 'gb18030', 'big5', 'euc-kr'] as const;

/** The canonical name of an encoding label, or a usage error listing common ones. */
export function encodingName(label: string): string {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new UsageError('unknown_encoding', `unknown encoding ${JSON.stringify(label)}`, { hint: `use one of ${COMMON_ENCODINGS.join(', ')} (any WHATWG encoding label works)` });
  }
}

/** What the first bytes say the data is, when that is not plain UTF-8 text. */
export type Sniffed = { kind: 'text' } | { kind: 'utf16'; encoding: 'utf-16le' | 'utf-16be'; bom: boolean } | { kind: 'binary'; what: string };

const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an Excel .xlsx, a .docx or a .zip)'],
  [[0x50, 0x41, 0x52, 0x31], 'a Parquet file'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 'an SQLite database'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed data'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed data'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], 'an Arrow file'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Office document (.xls, .doc)'],
];

/** Looks at the head for UTF-16 (a BOM, or a zero in every other byte) and binary formats. */
export function sniff(head: Uint8Array): Sniffed {
  if (head[0] === 0xff && head[1] === 0xfe && !(head[2] === 0 && head[3] === 0)) return { kind: 'utf16', encoding: 'utf-16le', bom: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { kind: 'utf16', encoding: 'utf-16be', bom: true };
  for (const [magic, what] of MAGIC) if (magic.every((b, i) => head[i] === b)) return { kind: 'binary', what };
  const n = Math.min(head.length, 4096);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  if (even + odd === 0) return { kind: 'text' };
  // ASCII text in UTF-16 has a zero in every other byte: odd positions for LE, even for BE.
  if (odd > n * 0.3 && even < odd / 10) return { kind: 'utf16', encoding: 'utf-16le', bom: false };
  if (even > n * 0.3 && odd < even / 10) return { kind: 'utf16', encoding: 'utf-16be', bom: false };
  return { kind: 'binary', what: 'binary data (it holds zero bytes)' };
}

/** Stops on UTF-16 or binary data with what it is and the fix; `fix` says how to re-run. */
export function refuseNonText(head: Uint8Array, name: string, fix: (encoding: string) => string): void {
  const s = sniff(head);
  if (s.kind === 'utf16') {
    throw new CheckFailedError('not_utf8', `${name} is UTF-16 text (${s.encoding}${s.bom ? ', it starts with a byte order mark' : ', every other byte is zero'}), not UTF-8`, { hint: fix(s.encoding) });
  }
  if (s.kind === 'binary') throw new CheckFailedError('not_text', `${name} is not text: it looks like ${s.what}`, { hint: 'export the data as CSV, JSON or JSONL first' });
}

/** Index of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    // isUtf8 on the one sequence also rejects overlong forms and surrogates.
    if (len === 0 || i + len > buf.length || !isUtf8(buf.subarray(i, i + len))) return i;
    i += len;
  }
  return -1;
}

/** The error for bytes that are not UTF-8 at `offset` (byte offset in the data, 0-based), with a guess. */
export function notUtf8Error(name: string, offset: number, line: number | null, bytes: Uint8Array, fix: (encoding: string) => string): CheckFailedError {
  const hex = [...bytes.subarray(0, 4)].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
  const guess = new TextDecoder('windows-1252').decode(bytes.subarray(0, 1));
  const where = `the byte at offset ${offset.toLocaleString('en-US')}${line === null ? '' : ` (line ${line})`}`;
  return new CheckFailedError('not_utf8', `${name} is not UTF-8: ${where} starts ${hex}, which UTF-8 cannot decode (in Windows-1252 it would be ${JSON.stringify(guess)})`, {
    hint: `${fix('windows-1252')}; nothing was decoded with replacement characters`,
  });
}

/** U+FFFD in UTF-8: text that was already mis-decoded before it reached this file. */
export const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

/** How many U+FFFD replacement characters `buf` holds. */
export function countReplacements(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(REPLACEMENT_BYTES); i !== -1; i = buf.indexOf(REPLACEMENT_BYTES, i + 3)) n++;
  return n;
}

/** Bytes at the end of `buf` that start a UTF-8 sequence the buffer does not finish (0-3). */
function incompleteTail(buf: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back] as number;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return len > back ? back : 0;
    }
  }
  return 0;
}

export interface Utf8Stats {
  /** U+FFFD characters seen, and the byte offset of the first. */
  replacements: number;
  firstReplacementAt: number;
}

/**
 * Passes UTF-8 chunks through, checking every byte (native isUtf8, with sequences split across
 * chunks carried over); stops at the first invalid byte with notUtf8Error. Counts U+FFFD in `stats`.
 */
export async function* checkedUtf8(chunks: AsyncIterable<Buffer>, name: string, fix: (encoding: string) => string, stats: Utf8Stats): AsyncGenerator<Buffer> {
  let carry: Buffer | null = null;
  let offset = 0;
  let line = 1;
  for await (const piece of chunks) {
    const chunk: Buffer = carry === null ? piece : Buffer.concat([carry, piece]);
    const cut = incompleteTail(chunk);
    const body = cut === 0 ? chunk : chunk.subarray(0, chunk.length - cut);
    if (!isUtf8(body)) {
      const at = firstInvalidUtf8(body);
      const bad = at === -1 ? 0 : at;
      let lines = line;
      for (let i = body.indexOf(0x0a); i !== -1 && i < bad; i = body.indexOf(0x0a, i + 1)) lines++;
      throw notUtf8Error(name, offset + bad, lines, body.subarray(bad), fix);
    }
    if (body.indexOf(REPLACEMENT_BYTES) !== -1) {
      if (stats.replacements === 0) stats.firstReplacementAt = offset + body.indexOf(REPLACEMENT_BYTES);
      stats.replacements += countReplacements(body);
    }
    for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, i + 1)) line++;
    offset += body.length;
    carry = cut === 0 ? null : Buffer.from(chunk.subarray(chunk.length - cut));
    if (body.length > 0) yield body;
  }
  if (carry !== null) throw notUtf8Error(name, offset, line, carry, fix);
}

/** Decodes `chunks` from `encoding` (fatal on bytes the encoding cannot map) into UTF-8 chunks. */
export async function* transcode(chunks: AsyncIterable<Buffer>, encoding: string, name: string): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  try {
    for await (const chunk of chunks) {
      const text = decoder.decode(chunk, { stream: true });
      offset += chunk.length;
      if (text.length > 0) yield Buffer.from(text, 'utf8');
    }
    const last = decoder.decode();
    if (last.length > 0) yield Buffer.from(last, 'utf8');
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new CheckFailedError('invalid_encoding', `${name} is not valid ${encoding}: bytes before offset ${offset.toLocaleString('en-US')} cannot be decoded`, {
      hint: 'check the --encoding (e.g. utf-8, windows-1252, utf-16le)',
      cause: err,
    });
  }
}

/** The head decoded for detection (lenient: a character cut at the end of the head is harmless here). */
export function decodeHead(head: Buffer, encoding: string | null): string {
  return encoding === null ? head.toString('utf8') : new TextDecoder(encoding).decode(head);
}
