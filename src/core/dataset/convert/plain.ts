/**
 * The commonest record `dataset convert` meets: an OpenAI chat example that is already exactly
 * what the output needs. The general path turns it into itself (a copy of every message, the SDK
 * leftovers and empty turns looked for, validate's rules run, its bytes written as they were),
 * which costs about half as much again as parsing it did. A record is plain when it is
 *
 *   {"messages": [{"role": R, "content": S}, …]}      (no other key anywhere)
 *
 * with R "system", "user" or "assistant", at least one message the assistant's, and every S a
 * string with some text. For such a record the general path changes nothing, notes nothing and
 * finds no error, so the line is written as read (the secret scan still runs on its text first,
 * see source.ts). test/core/dataset/convert/plain.test.ts holds both paths to the same output.
 */
import { hasText } from '../rules/content.js';
import { secretTriggerAt } from '../safety/scan.js';
import { BACKSLASH, EF, STRING_BYTE, TRIGGER } from './plain-line.js';

export function isPlainChatRecord(record: unknown): boolean {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  for (const key in record) if (key !== 'messages') return false;
  const messages = (record as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  let assistant = false;
  for (const m of messages as unknown[]) {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
    let keys = 0;
    for (const key in m) {
      if (key !== 'role' && key !== 'content') return false;
      keys++;
    }
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (keys !== 2 || typeof content !== 'string' || !hasText(content)) return false;
    if (role === 'assistant') assistant = true;
    else if (role !== 'user' && role !== 'system') return false;
  }
  return assistant;
}

/**
 * Mapped CSV/TSV rows (`--map`) are the other common case: their chat line is made from the cells'
 * bytes, without decoding them, when the general path (mapValues, the converter, the rules, the
 * secret scan, JSON.stringify) could only have written the same line: every user and assistant
 * cell starts with a printable ASCII character (so it is not blank), a system or developer cell
 * does too or is empty (and left out, as mapValues leaves it), nothing in a cell is the secret
 * scan's trigger, and the columns include an assistant's. A cell that JSON must escape (a quote,
 * a backslash, a control character such as a newline) is escaped by JSON.stringify, as the
 * general path does; any other cell is already its own JSON string body.
 */
export interface PlainRows {
  /** The mapped columns in the order mapValues writes them: system and developer columns first. */
  order: readonly { index: number; role: string }[];
  /** Per column in `order`: what goes before its cell's bytes when it is the line's first message (`{"messages":[{"role":"…","content":"`) and when it follows another (`"},{"role":"…","content":"`). */
  firstOpeners: readonly Buffer[];
  nextOpeners: readonly Buffer[];
  /** Per column in `order`: whether an empty cell is left out (system, developer). */
  optional: readonly boolean[];
  /** Per column in `order`, for the row being built: what scanCell said of its cell. */
  kinds: Uint8Array;
}

const LINE_CLOSE = Buffer.from('"}]}');

/** The plan for plain rows of `columns`, or undefined when no row can be plain (no assistant column). */
export function plainRows(columns: readonly { index: number; role: string }[]): PlainRows | undefined {
  const isSystem = (c: { role: string }): boolean => c.role === 'system' || c.role === 'developer';
  const turns = columns.filter((c) => !isSystem(c));
  if (!turns.some((c) => c.role === 'assistant')) return undefined;
  const order = [...columns.filter(isSystem), ...turns];
  const opener = (c: { role: string }): string => `{"role":${JSON.stringify(c.role)},"content":"`;
  return { order, firstOpeners: order.map((c) => Buffer.from(`{"messages":[${opener(c)}`)), nextOpeners: order.map((c) => Buffer.from(`"},${opener(c)}`)), optional: order.map(isSystem), kinds: new Uint8Array(order.length) };
}

/** Lines built one after another into shared buffers; each line is a view, valid as long as it is held. */
export class LineBytes {
  private buf: Buffer;
  private used = 0;
  private start = 0;

  constructor(private readonly size = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Room for `bytes` more in the line being built (a new buffer takes the line so far). */
  private room(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.size, (this.used - this.start + bytes) * 2));
    this.buf.copy(next, 0, this.start, this.used);
    this.used -= this.start;
    this.start = 0;
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.used);
    this.used += b.length;
  }

  text(s: string): void {
    this.room(s.length * 3);
    this.used += this.buf.write(s, this.used, 'utf8');
  }

  /** Ends the line being built and returns it. */
  line(): Buffer {
    const line = this.buf.subarray(this.start, this.used);
    this.start = this.used;
    return line;
  }

}

/** The chat line of one mapped row, in `out`, or undefined when the row takes the general path. */
export function plainRowLine(cells: readonly Buffer[], rows: PlainRows, out: LineBytes): Buffer | undefined {
  const { order, firstOpeners, nextOpeners, optional, kinds } = rows;
  for (let i = 0; i < order.length; i++) {
    const cell = cells[(order[i] as { index: number }).index];
    const first = cell?.[0];
    if (first === undefined && optional[i] === true) continue; // an empty system cell, left out
    if (cell === undefined || first === undefined || first <= 0x20 || first >= 0x7f) return undefined;
    const kind = scanCell(cell);
    if (kind === MAY_HOLD_FINDING) return undefined;
    kinds[i] = kind;
  }
  let written = 0;
  for (let i = 0; i < order.length; i++) {
    const cell = cells[(order[i] as { index: number }).index];
    if (cell === undefined || cell.length === 0) continue;
    out.bytes((written++ === 0 ? firstOpeners[i] : nextOpeners[i]) as Buffer);
    if (kinds[i] === NEEDS_ESCAPE) {
      const json = JSON.stringify(cell.toString('utf8'));
      out.text(json.slice(1, -1));
    } else out.bytes(cell);
  }
  out.bytes(LINE_CLOSE);
  return out.line();
}

const AS_IS = 0;
const NEEDS_ESCAPE = 1;
const MAY_HOLD_FINDING = 2;

/**
 * One pass over a cell's (valid UTF-8) bytes: MAY_HOLD_FINDING where mayHoldFinding would say so
 * of its text (a trigger, or a `\u`: the pre-scan's patterns are ASCII, and no byte of a
 * multi-byte character is), else NEEDS_ESCAPE when JSON.stringify would escape something in it,
 * else AS_IS: the bytes are already the body of its JSON string.
 */
function scanCell(b: Buffer): number {
  let kind = AS_IS;
  for (let i = 0; i < b.length; i++) {
    const k = STRING_BYTE[b[i] as number];
    if (k === 0 || k === EF) continue;
    if (k === TRIGGER) {
      if (secretTriggerAt(b, i)) return MAY_HOLD_FINDING;
    } else {
      // A quote, a backslash or a control character.
      if (k === BACKSLASH && b[i + 1] === 0x75) return MAY_HOLD_FINDING;
      kind = NEEDS_ESCAPE;
    }
  }
  return kind;
}
