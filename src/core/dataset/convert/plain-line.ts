/**
 * A JSON line recognised as plain (plain.ts) from its bytes, without decoding or parsing it. In a
 * typical chat file almost every line is plain, and turning each into a string and an object only
 * to find that out cost more than everything else `convert` does to it (100 MB: ~260 ms of
 * toString + JSON.parse against ~135 ms for this one pass over the bytes).
 *
 * The grammar is the plain record's, in JSON with any whitespace between tokens:
 *
 *   {"messages":[{"role":"system|user|assistant","content":"…"}, …]}   (role and content in either order)
 *
 * and `scanPlainLine` calls a line plain only when JSON.parse would succeed, isPlainChatRecord
 * would hold and mayHoldFinding would be false for the line's text, so the line is written exactly
 * as the parsing path would have written it; it also counts the U+FFFD in the line, as that path
 * does. Anything it is not sure of (an unusual escape, a key twice, content that starts with
 * whitespace) is NOT_SURE: that line takes the parsing path, which decides. The caller checks the
 * bytes are UTF-8 first. plain-line.test.ts holds the scanner to the parser; validate uses it
 * too (line-check.ts plainLine).
 */
import { SECRET_TRIGGER_CHARS, secretTriggerAt } from '../safety/scan.js';

/** The scanner cannot tell: parse the line. */
export const NOT_SURE = -1;

// What a byte of text means to a scan that writes it into a JSON string (here, and the mapped
// CSV cells of plain.ts): nothing (0), the string ends (QUOTE), a control character JSON forbids
// there (CONTROL), an escape (BACKSLASH), a character the secret pre-scan looks around (TRIGGER:
// - _ J A @), or the first byte of U+FFFD perhaps (EF).
export const CONTROL = 1;
export const QUOTE = 2;
export const BACKSLASH = 3;
export const TRIGGER = 4;
export const EF = 5;
export const STRING_BYTE = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_BYTE[c] = CONTROL;
STRING_BYTE[0x22] = QUOTE;
STRING_BYTE[0x5c] = BACKSLASH;
for (const ch of SECRET_TRIGGER_CHARS) STRING_BYTE[ch.charCodeAt(0)] = TRIGGER;
STRING_BYTE[0xef] = EF;

/** JSON's whitespace between tokens. */
const SPACE = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) SPACE[c] = 1;

// Escapes that stand for one character with nothing to hide; `\u` (which can spell any
// character, the secret pre-scan's triggers too) is never sure.
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const ch of '"\\/bfnrt') SIMPLE_ESCAPE[ch.charCodeAt(0)] = 1;

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const MESSAGES = bytes('"messages"');
const ROLE = bytes('"role"');
const CONTENT = bytes('"content"');
/** The roles a plain record has; the index of "assistant" is ASSISTANT. */
const ROLES = [bytes('"system"'), bytes('"user"'), bytes('"assistant"')] as const;
const ASSISTANT = 2;

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const DOUBLE_QUOTE = 0x22;

/** For a plain chat line (UTF-8, without its newline), how many U+FFFD it holds; else NOT_SURE. */
export function scanPlainLine(line: Uint8Array): number {
  const scan = new Scan(line);
  return scan.line() ? scan.replacements : NOT_SURE;
}

class Scan {
  at = 0;
  replacements = 0;

  constructor(private readonly b: Uint8Array) {}

  line(): boolean {
    if (!this.token(OPEN_OBJECT) || !this.literal(MESSAGES) || !this.token(COLON) || !this.token(OPEN_ARRAY)) return false;
    let assistant = false;
    do {
      const role = this.message();
      if (role < 0) return false;
      if (role === ASSISTANT) assistant = true;
    } while (this.token(COMMA));
    if (!this.token(CLOSE_ARRAY) || !this.token(CLOSE_OBJECT)) return false;
    this.space();
    return this.at === this.b.length && assistant;
  }

  /** One `{"role": …, "content": …}`: the role's index, or -1. */
  private message(): number {
    if (!this.token(OPEN_OBJECT)) return -1;
    let role = -1;
    let content = false;
    do {
      if (role < 0 && this.literal(ROLE)) {
        if (!this.token(COLON)) return -1;
        role = this.role();
        if (role < 0) return -1;
      } else if (!content && this.literal(CONTENT)) {
        if (!this.token(COLON) || !this.content()) return -1;
        content = true;
      } else return -1;
    } while (this.token(COMMA));
    return content && this.token(CLOSE_OBJECT) ? role : -1;
  }

  private role(): number {
    this.space();
    for (let r = 0; r < ROLES.length; r++) {
      if (this.matches(ROLES[r] as Uint8Array)) {
        this.at += (ROLES[r] as Uint8Array).length;
        return r;
      }
    }
    return -1;
  }

  /** A content string with some text, every escape simple, and nothing for the secret pre-scan. */
  private content(): boolean {
    this.space();
    const b = this.b;
    if (b[this.at] !== DOUBLE_QUOTE || !startsWithText(b, this.at + 1)) return false;
    for (let i = this.at + 1; i < b.length; i++) {
      const kind = STRING_BYTE[b[i] as number];
      if (kind === 0) continue;
      if (kind === QUOTE) {
        this.at = i + 1;
        return true;
      }
      if (kind === CONTROL) return false;
      if (kind === BACKSLASH) {
        const escaped = b[i + 1] as number;
        // `\\u` is text, but the pre-scan's `\u` search finds it in the line: stay with it.
        if (SIMPLE_ESCAPE[escaped] !== 1 || (escaped === 0x5c && b[i + 2] === 0x75)) return false;
        i++;
      } else if (kind === TRIGGER) {
        if (secretTriggerAt(b, i)) return false;
      } else if (b[i + 1] === 0xbf && b[i + 2] === 0xbd) this.replacements++;
    }
    return false;
  }

  /** Skips whitespace, then takes `byte` if it is next. */
  private token(byte: number): boolean {
    this.space();
    if (this.b[this.at] !== byte) return false;
    this.at++;
    return true;
  }

  private literal(text: Uint8Array): boolean {
    this.space();
    if (!this.matches(text)) return false;
    this.at += text.length;
    return true;
  }

  private matches(text: Uint8Array): boolean {
    const b = this.b;
    if (this.at + text.length > b.length) return false;
    for (let k = 0; k < text.length; k++) if (b[this.at + k] !== text[k]) return false;
    return true;
  }

  private space(): void {
    while (this.at < this.b.length && SPACE[this.b[this.at] as number] === 1) this.at++;
  }
}

/**
 * What hasText says of a string whose JSON body starts at `i`, where the first character is
 * enough to tell: printable ASCII, one of the escapes for `"`, `\` and `/`, or any character from
 * U+0080 up that String.prototype.trim keeps. Anything else is left to the parsing path.
 */
function startsWithText(b: Uint8Array, i: number): boolean {
  const c = b[i] as number;
  if (c > 0x20 && c < 0x7f && c !== 0x22) return c !== 0x5c || b[i + 1] === 0x22 || b[i + 1] === 0x5c || b[i + 1] === 0x2f;
  if (c < 0xc2) return false;
  // The first code point (the caller checked the bytes are UTF-8).
  const cp = c < 0xe0 ? ((c & 0x1f) << 6) | ((b[i + 1] as number) & 0x3f) : c < 0xf0 ? ((c & 0x0f) << 12) | (((b[i + 1] as number) & 0x3f) << 6) | ((b[i + 2] as number) & 0x3f) : 0x10000;
  return !isTrimmedSpace(cp);
}

/** The characters from U+0080 up that String.prototype.trim removes. */
function isTrimmedSpace(cp: number): boolean {
  return cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000 || cp === 0xfeff;
}
