/**
 * The per-line half of `validate`: decode, parse, detect the kind, run the example checks, hash
 * for duplicates and (optionally) count tokens, for a batch of lines at a time. It needs nothing
 * from the lines before, so it runs in worker threads as well as on the calling thread; what does
 * depend on earlier lines (the file's kind, duplicates, totals, `--max-errors`) is decided by
 * `FileCheck.merge` on the calling thread, in line order.
 *
 * A batch's results are columns of typed arrays (cheap to send between threads) plus the issues
 * found, in line order: `lineIssues` about the line itself, `exampleIssues` from the checks
 * (dropped when the line turns out to be of another kind than the file).
 */
import { isUtf8 } from 'node:buffer';
import { countExampleTokens } from '../tokens/count.js';
import type { EncodingName } from '../tokens/encodings.js';
import { DuplicateTracker } from './duplicates.js';
import { formatBytes } from './format.js';
import { type Issue, type Loc, makeIssue } from './issues.js';
import { type DatasetKind, detectKind, type DetectedKind, isObject } from './kinds.js';
import { decodeSlice, DEFAULT_MAX_LINE_BYTES, lineBytes, type LineSlice, type RawLine } from './lines.js';
import { NOT_SURE, scanPlainLine } from './convert/plain-line.js';
import { getProfile } from './profiles/index.js';
import type { ValidationProfile } from './profile.js';
import { hasImagePart } from './rules/chat.js';
import { exampleChecks } from './rules/index.js';

/** What a batch is checked with; plain data, so it can be posted to a worker. */
export interface LineCheckOptions {
  /** The name issues carry as their `file`. */
  file: string;
  /** `--kind`: check every example as this kind. */
  forced: DatasetKind | undefined;
  /** A registered profile's name (see profiles/index.ts) whose per-example rule runs too; undefined for none. */
  profile: string | undefined;
  /** The base model that profile's rules are for (see ValidationProfile.model). */
  profileModel?: string | undefined;
  /** Count tokens in this encoding; null skips counting. */
  encoding: EncodingName | null;
  maxLineBytes: number | undefined;
}

/** Bits of `CheckedBatch.flags`. */
export const LINE = {
  /** The line is a JSON object: an example. */
  object: 1,
  crlf: 2,
  /** A chat example with an image part. */
  image: 4,
  /** The checks ran (the kind was forced or recognised): the file's kind tracker must see `detected`. */
  checked: 8,
} as const;

/** Indexes of `DetectedKind` in `CheckedBatch.detected`. */
export const KIND_CODES: readonly DetectedKind[] = ['unknown', 'chat', 'preference', 'completion'];

/** Token figures per line in `CheckedBatch.tokens`. */
export const TOKEN_FIELDS = 3; // total, trained, longPieces

export interface CheckedBatch {
  count: number;
  /** 1-based line numbers. */
  lines: Uint32Array;
  flags: Uint8Array;
  /** Index into KIND_CODES. */
  detected: Uint8Array;
  /** Two 32-bit lanes of each checked line's hash (DuplicateTracker.hashInto). */
  hashes: Uint32Array;
  /** TOKEN_FIELDS per line, or null when not counting. */
  tokens: Uint32Array | null;
  lineIssues: Issue[];
  exampleIssues: Issue[];
  /** Lines checked from their bytes alone (plainLine). */
  plain: number;
}

/** Lines packed into one buffer to send to a worker (the buffer is transferred, not copied). */
export interface PackedLines {
  data: Uint8Array;
  /** End offset in `data` of each line (its start is the previous end). */
  ends: Uint32Array;
  lines: Uint32Array;
  /** Each line's length in the input; longer than its bytes in `data` when it was skipped. */
  sizes: Float64Array;
}

/** Copies a batch of slices into one buffer that can be transferred to a worker. */
export function packSlices(slices: readonly LineSlice[]): PackedLines {
  let total = 0;
  for (const s of slices) if (s.buf !== null) total += s.buf.length;
  const data = new Uint8Array(total);
  const ends = new Uint32Array(slices.length);
  const lines = new Uint32Array(slices.length);
  const sizes = new Float64Array(slices.length);
  let at = 0;
  for (let i = 0; i < slices.length; i++) {
    const s = slices[i] as LineSlice;
    if (s.buf !== null) {
      data.set(s.buf, at);
      at += s.buf.length;
    }
    ends[i] = at;
    lines[i] = s.line;
    sizes[i] = s.bytes;
  }
  return { data, ends, lines, sizes };
}

/** One pack of several, in order (the same pack when there is one). */
export function joinPacked(parts: readonly PackedLines[]): PackedLines {
  if (parts.length === 1) return parts[0] as PackedLines;
  let bytes = 0;
  let count = 0;
  for (const p of parts) {
    bytes += p.data.length;
    count += p.lines.length;
  }
  const out: PackedLines = { data: new Uint8Array(bytes), ends: new Uint32Array(count), lines: new Uint32Array(count), sizes: new Float64Array(count) };
  let at = 0;
  let n = 0;
  for (const p of parts) {
    out.data.set(p.data, at);
    for (let i = 0; i < p.lines.length; i++) out.ends[n + i] = (p.ends[i] as number) + at;
    out.lines.set(p.lines, n);
    out.sizes.set(p.sizes, n);
    at += p.data.length;
    n += p.lines.length;
  }
  return out;
}

/** This thread's copy of the batch it is checking (grown as needed, reused). */
let scratch = Buffer.alloc(0);
const EMPTY = new Uint8Array(0);

/**
 * Decodes packed lines and checks them (the worker side). Byte offsets are not carried: `offset` is 0.
 *
 * The lines are copied out of `packed.data` at once and `packed.data` is released (replaced by an
 * empty array): a posted buffer kept for the whole batch outlived the thread's young-generation
 * collections while tokens were counted, and such buffers then waited for a full collection (on
 * 100 MB with two workers, ~25 MB of them at the end).
 */
export function checkPackedLines(packed: PackedLines, options: LineCheckOptions): CheckedBatch {
  const size = packed.data.byteLength;
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, 2 * scratch.length));
  scratch.set(packed.data);
  packed.data = EMPTY;
  const bytes = scratch.subarray(0, size);
  const { ends, lines, sizes } = packed;
  return checkBatch(lines.length, options, profileOf(options.profile, options.profileModel), (i) => {
    const start = i === 0 ? 0 : (ends[i - 1] as number);
    const end = ends[i] as number;
    const size = sizes[i] as number;
    return { line: lines[i] as number, offset: 0, bytes: size, buf: end - start === size ? bytes.subarray(start, end) : null };
  });
}

/** Decodes and checks the lines of one read, on the calling thread, with the profile's own rule. */
export function checkSlices(slices: readonly LineSlice[], options: LineCheckOptions, profile: ProfileHooks | undefined): CheckedBatch {
  return checkBatch(slices.length, options, profile, (i) => slices[i] as LineSlice);
}

/**
 * Checks `n` lines in order. Each line is decoded just before it is checked, so its text and
 * parsed value die young: decoding a whole batch first kept them alive across collections, and
 * the promoted garbage grew the heap by tens of MB per thread. Never throws for bad data.
 */
function checkBatch(n: number, options: LineCheckOptions, profile: ProfileHooks | undefined, sliceAt: (i: number) => LineSlice): CheckedBatch {
  const out: CheckedBatch = {
    count: n,
    lines: new Uint32Array(n),
    flags: new Uint8Array(n),
    detected: new Uint8Array(n),
    hashes: new Uint32Array(n * 2),
    tokens: options.encoding === null ? null : new Uint32Array(n * TOKEN_FIELDS),
    lineIssues: [],
    exampleIssues: [],
    plain: 0,
  };
  const context: Context = { options, out, hasher: hasher(), profileCheck: profile?.checkExample, readExample: profile?.readExample };
  const plain = checksPlainLines(options.encoding !== null, profile, options.forced);
  for (let i = 0; i < n; i++) {
    const slice = sliceAt(i);
    if (plain && slice.buf !== null && plainLine(context, slice.buf, slice.line, i)) continue;
    checkLine(context, decodeSlice(slice), i);
  }
  return out;
}

/**
 * Whether plain chat lines are checked from their bytes (plainLine): when nothing but their
 * structure is asked of them, no tokens to count, no profile rule, no other kind forced.
 */
export function checksPlainLines(countTokens: boolean, profile: ProfileHooks | undefined, forced: DatasetKind | undefined): boolean {
  return !countTokens && profile?.checkExample === undefined && profile?.readExample === undefined && (forced === undefined || forced === 'chat');
}

const CHAT = KIND_CODES.indexOf('chat');

/**
 * A plain chat line (convert/plain-line.ts: only `messages`, each with a system, user or
 * assistant role and text, one of them the assistant's, nothing the secret pre-scan could find)
 * passes every check: checkLine would parse it, find a chat example, no issue, and hash its
 * bytes. That is done here from its bytes, without decoding or parsing it. False for any other
 * line, which checkLine takes. plain-validate.test.ts holds both to the same results.
 */
function plainLine(context: Context, buf: Buffer, line: number, i: number): boolean {
  const { raw, crlf, bom } = lineBytes(buf, line);
  if (!isUtf8(raw) || scanPlainLine(raw) === NOT_SURE) return false;
  const { out } = context;
  out.lines[i] = line;
  out.flags[i] = (crlf ? LINE.crlf : 0) | LINE.object | LINE.checked;
  out.detected[i] = CHAT;
  if (bom) out.lineIssues.push(bomIssue({ file: context.options.file, line }));
  context.hasher.hashInto(raw, out.hashes, i * 2);
  out.plain++;
  return true;
}

function bomIssue(loc: Loc): Issue {
  return makeIssue('bom', loc, null, 'the file starts with a UTF-8 byte order mark (EF BB BF)');
}

interface Context {
  options: LineCheckOptions;
  out: CheckedBatch;
  hasher: DuplicateTracker;
  profileCheck: ValidationProfile['checkExample'];
  readExample: ValidationProfile['readExample'];
}

function checkLine(context: Context, raw: RawLine, i: number): void {
  const { options, out } = context;
  const loc: Loc = { file: options.file, line: raw.line };
  const lineIssue = (issue: Issue): void => void out.lineIssues.push(issue);
  out.lines[i] = raw.line;
  let flags = raw.crlf ? LINE.crlf : 0;
  out.flags[i] = flags;
  if (raw.bom) lineIssue(bomIssue(loc));
  if (raw.tooLong || raw.text === null) {
    const limit = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    lineIssue(makeIssue('line_too_long', loc, null, `the line is ${formatBytes(raw.bytes)}, over the ${formatBytes(limit)} limit; it was skipped`));
    return;
  }
  if (raw.invalidUtf8) {
    const utf16 = raw.line === 1 && raw.raw !== null && raw.raw.length >= 2 && ((raw.raw[0] === 0xff && raw.raw[1] === 0xfe) || (raw.raw[0] === 0xfe && raw.raw[1] === 0xff));
    if (utf16) lineIssue(makeIssue('invalid_utf8', loc, null, 'the file is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8', 're-encode it as UTF-8 (e.g. `iconv -f utf-16 -t utf-8`); PowerShell redirection writes UTF-16'));
    else lineIssue(makeIssue('invalid_utf8', loc, null, 'the line has bytes that are not valid UTF-8'));
  }
  if (raw.blank) {
    lineIssue(makeIssue('blank_line', loc, null, 'the line is empty'));
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch (err) {
    lineIssue(makeIssue('invalid_json', loc, null, `the line is not valid JSON: ${(err as Error).message}`, prettyPrintedHint(raw.text)));
    return;
  }
  // A provider's own format (e.g. Vertex's `contents`) is checked as the OpenAI example it reads as.
  if (context.readExample) value = context.readExample(value) ?? value;
  if (!isObject(value)) {
    lineIssue(makeIssue('not_an_object', loc, null, `the line is a JSON ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}, not an object`));
    return;
  }
  flags |= LINE.object;
  out.flags[i] = flags;
  const detected = detectKind(value);
  out.detected[i] = KIND_CODES.indexOf(detected);
  if (detected === 'unknown' && options.forced === undefined) {
    const keys = Object.keys(value).slice(0, 6).map((k) => JSON.stringify(k));
    lineIssue(makeIssue('unknown_format', loc, null, `the example has none of the keys of a chat, preference or prompt/completion example (it has ${keys.length > 0 ? keys.join(', ') : 'no keys'})`));
    return;
  }
  // Checked as the forced kind, else as what it looks like; if that is not the file's kind, the
  // merge reports mixed_kinds and drops what was found here.
  const checkAs = options.forced ?? (detected as DatasetKind);
  flags |= LINE.checked;
  for (const check of exampleChecks) for (const issue of check(value, checkAs, loc, raw.text)) out.exampleIssues.push(issue);
  if (context.profileCheck) for (const issue of context.profileCheck(value, checkAs, loc)) out.exampleIssues.push(issue);
  // The walk over the messages first: it is far cheaper than a substring search of the line.
  if (checkAs === 'chat' && hasImagePart(value) && raw.text.includes('image_url')) flags |= LINE.image;
  out.flags[i] = flags;
  if (raw.raw) context.hasher.hashInto(raw.raw, out.hashes, i * 2);
  if (out.tokens !== null && options.encoding !== null) {
    const counts = countExampleTokens(value, checkAs, options.encoding);
    const at = i * TOKEN_FIELDS;
    out.tokens[at] = counts.total;
    out.tokens[at + 1] = counts.trained;
    out.tokens[at + 2] = counts.longPieces;
  }
}

/** What a profile adds per example: its own rule, and how it reads its provider's own format. */
export type ProfileHooks = Pick<ValidationProfile, 'checkExample' | 'readExample'>;

/** The per-example hooks of a registered profile, by name. */
function profileOf(name: string | undefined, model: string | undefined): ProfileHooks | undefined {
  return name === undefined ? undefined : getProfile(name, model);
}

/** Whether `profile`'s per-example rule is the registered one of its name, so a worker can run it by name. */
export function isRegisteredProfile(profile: ValidationProfile): boolean {
  try {
    const registered = getProfile(profile.name, profile.model);
    return registered.checkExample === profile.checkExample && registered.readExample === profile.readExample;
  } catch {
    return false;
  }
}

// One hasher per thread is enough: hashInto keeps no state between calls except scratch space.
let sharedHasher: DuplicateTracker | undefined;
function hasher(): DuplicateTracker {
  sharedHasher ??= new DuplicateTracker(16);
  return sharedHasher;
}

/** A line holding only `{` or `[` means pretty-printed JSON rather than JSONL. */
function prettyPrintedHint(text: string): string | undefined {
  const t = text.trim();
  if (t === '{' || t === '[') return `the file looks like pretty-printed JSON; write one compact object per line (e.g. \`jq -c ${t === '[' ? "'.[]'" : '.'} file.json > file.jsonl\`)`;
  return undefined;
}
