/**
 * The common chat example (string contents, roles system/developer/user/assistant, no other keys)
 * written straight to its Vertex JSON line, without building the Gemini object first: the same
 * bytes as `JSON.stringify(chatToGemini(example).line)`. Anything else returns undefined and
 * takes the general path (chat.ts).
 *
 * Two writers share one plan: `fastGeminiLine` makes the line as a string; `writeFastGemini`
 * copies each content's string literal from the line as read (bytes, no re-escaping) wherever
 * those bytes are what JSON.stringify would write, since re-serialising every string costs about
 * as much as parsing the line did. The plan lives in arrays reused from line to line: this runs
 * once per training example, and short-lived objects were a tenth of its time in the collector.
 */
import { isUtf8 } from 'node:buffer';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ROLE_OF: Record<string, 'user' | 'model' | 'system'> = { user: 'user', assistant: 'model', system: 'system', developer: 'system' };

// The last plan: per message, its text, where it goes, and whether `role` came first in the source.
const texts: string[] = [];
const targets: ('user' | 'model' | 'system')[] = [];
const roleFirst: boolean[] = [];

/** Plans a plain example's messages into the arrays above; their count, or -1 for the general path. */
function plan(example: unknown): number {
  if (!isRecord(example)) return -1;
  const messages = example.messages;
  if (!Array.isArray(messages)) return -1;
  for (const key in example) if (key !== 'messages') return -1;
  let role: string | undefined;
  let n = 0;
  for (const m of messages as unknown[]) {
    if (!isRecord(m)) return -1;
    let keys = 0;
    let first = false;
    for (const key in m) {
      if (key !== 'role' && key !== 'content') return -1;
      if (keys === 0) first = key === 'role';
      keys++;
    }
    const to = typeof m.role === 'string' ? ROLE_OF[m.role] : undefined;
    const text = m.content;
    if (keys !== 2 || to === undefined || typeof text !== 'string' || text === '') return -1;
    if (to === 'system') {
      // A system message after the first turn is moved (with a note): the general path says so.
      if (role !== undefined) return -1;
    } else {
      // Turns of the same role in a row merge (with a note): the general path.
      if (to === role) return -1;
      role = to;
    }
    texts[n] = text;
    targets[n] = to;
    roleFirst[n] = first;
    n++;
  }
  return role === 'model' ? n : -1;
}

/** Where a line's bytes go: its fixed ASCII structure, a string as JSON, or a byte range of the source line. */
export interface FastSink {
  ascii(fragment: Buffer): void;
  json(s: string): void;
  copy(source: Buffer, start: number, end: number): void;
}

// The line's fixed structure, encoded once.
const A = (s: string): Buffer => Buffer.from(s, 'latin1');
const OPEN = A('{');
const SYSTEM_OPEN = A('"systemInstruction":{"parts":[');
const PART_FIRST = A('{"text":');
const PART_NEXT = A(',{"text":');
const PART_CLOSE = A('}');
const SYSTEM_CLOSE = A(']},');
const CONTENTS_OPEN = A('"contents":[');
const TURN_OPEN = { user: [A('{"role":"user","parts":[{"text":'), A(',{"role":"user","parts":[{"text":')], model: [A('{"role":"model","parts":[{"text":'), A(',{"role":"model","parts":[{"text":')] } as const;
const TURN_CLOSE = A('}]}');
const CLOSE = A(']}');

/** Writes the planned `n` messages; `spans` (when given) holds each copyable content literal's byte range in `raw`, else -1. */
function write(n: number, sink: FastSink, raw: Buffer | undefined, spans: number[] | undefined): void {
  sink.ascii(OPEN);
  let i = 0;
  if (targets[0] === 'system') {
    sink.ascii(SYSTEM_OPEN);
    for (; i < n && targets[i] === 'system'; i++) {
      sink.ascii(i === 0 ? PART_FIRST : PART_NEXT);
      content(i, sink, raw, spans);
      sink.ascii(PART_CLOSE);
    }
    sink.ascii(SYSTEM_CLOSE);
  }
  sink.ascii(CONTENTS_OPEN);
  for (let first = true; i < n; i++, first = false) {
    sink.ascii(TURN_OPEN[targets[i] === 'user' ? 'user' : 'model'][first ? 0 : 1]);
    content(i, sink, raw, spans);
    sink.ascii(TURN_CLOSE);
  }
  sink.ascii(CLOSE);
}

function content(i: number, sink: FastSink, raw: Buffer | undefined, spans: number[] | undefined): void {
  const start = spans?.[2 * i] ?? -1;
  if (raw !== undefined && start !== -1) sink.copy(raw, start, spans?.[2 * i + 1] as number);
  else sink.json(texts[i] as string);
}

export function fastGeminiLine(example: unknown): string | undefined {
  const n = plan(example);
  if (n < 0) return undefined;
  let out = '';
  write(n, { ascii: (f) => (out += f.toString('latin1')), json: (s) => (out += JSON.stringify(s)), copy: (b, s, e) => (out += b.toString('utf8', s, e)) }, undefined, undefined);
  return out;
}

// Byte ranges of the line's string literals, and of each message's copyable content literal.
const literals: number[] = [];
const copies: number[] = [];

/**
 * Writes `example`'s Vertex line to `sink`, copying each content literal from `raw` (the line's
 * bytes, from which `example` was parsed) where its bytes are what JSON.stringify would write.
 * False (nothing written) when the example takes the general path.
 */
export function writeFastGemini(example: unknown, raw: Buffer, sink: FastSink): boolean {
  const n = plan(example);
  if (n < 0) return false;
  // The line's string literals in order: "messages", then key, value, key, value per message.
  // Any other count (a duplicate key) and the literals are not where the plan says: no copying.
  // Invalid UTF-8 would be copied as it is, where decoding makes it U+FFFD: never copy such a line.
  const expected = 1 + 4 * n;
  const copyable = literalSpans(raw, expected) === expected && isUtf8(raw);
  for (let i = 0; i < n; i++) {
    const at = 2 * (1 + 4 * i + (roleFirst[i] === true ? 3 : 1));
    const start = literals[at] as number;
    const end = literals[at + 1] as number;
    const ok = copyable && sameAsStringify(raw, start, end);
    copies[2 * i] = ok ? start : -1;
    copies[2 * i + 1] = ok ? end : -1;
  }
  write(n, sink, raw, copies);
  return true;
}

/** Escapes JSON.stringify writes the same way: \" \\ \b \f \n \r \t (it writes \u only for other control characters and lone surrogates). */
const SHORT_ESCAPES = new Uint8Array(128);
for (const c of '"\\bfnrt') SHORT_ESCAPES[c.charCodeAt(0)] = 1;

/**
 * Whether the literal's bytes are what JSON.stringify writes for its value: every escape in it is
 * one JSON.stringify writes the same way. A `\u…` or `\/` escape sends the string through
 * JSON.stringify.
 */
function sameAsStringify(raw: Buffer, start: number, end: number): boolean {
  for (let b = raw.indexOf(0x5c, start); b !== -1 && b < end; b = raw.indexOf(0x5c, b + 2)) {
    if (SHORT_ESCAPES[raw[b + 1] as number] !== 1) return false;
  }
  return true;
}

/** Fills `literals` with the start and end (exclusive, quotes included) of each JSON string literal in `raw`; their count, or -1 past `max` or unclosed. */
function literalSpans(raw: Buffer, max: number): number {
  let count = 0;
  for (let p = raw.indexOf(0x22); p !== -1; p = raw.indexOf(0x22, p)) {
    let q = raw.indexOf(0x22, p + 1);
    while (q !== -1 && escaped(raw, q)) q = raw.indexOf(0x22, q + 1);
    if (q === -1 || count >= max) return -1;
    literals[2 * count] = p;
    literals[2 * count + 1] = q + 1;
    count++;
    p = q + 1;
  }
  return count;
}

/** Whether the quote at `q` is escaped (an odd run of backslashes before it). */
function escaped(raw: Buffer, q: number): boolean {
  let n = 0;
  for (let i = q - 1; i >= 0 && raw[i] === 0x5c; i--) n++;
  return n % 2 === 1;
}
