import { EMAIL_DOMAIN, EMAIL_KIND, EMAIL_LOCAL, PLACEHOLDER_EMAIL_DOMAIN, SECRET_PATTERNS } from './patterns.js';

export type FindingCode = 'possible_secret' | 'email_address';

export interface Finding {
  code: FindingCode;
  /** `openai_api_key`, `aws_access_key_id`, …, or `email`. */
  kind: string;
  label: string;
  /** JSON path of the string it was found in, e.g. `messages[1].content`. */
  field: string;
  /** A masked form that identifies the value without revealing it. */
  masked: string;
}

interface Match {
  kind: string;
  label: string;
  start: number;
  end: number;
}

// One alternation with a named group per pattern: a single pass over a string.
const SECRETS = new RegExp(SECRET_PATTERNS.map((p, i) => `(?<s${i}>${p.source})`).join('|'), 'g');
// Cheap pre-filter, implied by every secret pattern (a GitHub `gh?_`/`github_pat_` token, a JWT's
// `eyJ…`, `sk-…`, PEM's `-----`, AWS `AKIA`/`ASIA`, Google `AIza`, Slack `xox`), and anchored on
// uncommon characters: `sk-|eyJ`-style prefixes are tried at every `s` and `e` of the text and
// run ~3x slower, and a bare `_` sends all code through the full patterns. E-mail addresses are
// found from their `@` (a fast indexOf), not by a pattern that would start at every letter.
const SECRET_HINT = /[pousrt]_\w{20}|yJ[\w-]{8}|-----|k-[\w-]{16}|[KS]IA[0-9A-Z]{12}|Iza[\w-]{16}|xox/;
const MIN_LENGTH = 6;

// The same triggers, tested once on a line's raw JSON text so lines without any skip the walk
// over their strings. Each trigger has an uncommon character (`-`, `_`, `J`, `A`, `@`, `\`) that
// is searched for with indexOf (a memchr, ~10 GB/s), and its neighbours are checked at each hit:
//
//   sk-  xox[abposr]-  -----BEGIN␠  gh[pousr]_  github_  eyJ  AKIA  ASIA  AIza  [\w.%+-]@[A-Za-z0-9]  \u
//
// (one regular expression of these ran at ~1.4 GB/s, a third of a JSONL convert's extra time).
// A match found in a parsed string implies its trigger in the raw text: these characters are
// only ever escaped as `\uXXXX` (any `\u` takes the full walk), and there is no word boundary
// here since a raw `\n` before `sk-` is a word character.

/**
 * False when the raw JSON text of a line cannot hold anything `scanExample` would find in the
 * value it parses to; true means "maybe" (scan the value).
 */
export function mayHoldFinding(text: string): boolean {
  if (text.indexOf('\\u') !== -1) return true;
  for (let i = text.indexOf('@'); i !== -1; i = text.indexOf('@', i + 1)) {
    if (i > 0 && isEmailLocalChar(text.charCodeAt(i - 1)) && isAlnum(text.charCodeAt(i + 1))) return true;
  }
  for (let i = text.indexOf('-'); i !== -1; i = text.indexOf('-', i + 1)) {
    if ((i >= 2 && text.startsWith('sk', i - 2)) || text.startsWith('----BEGIN ', i + 1)) return true;
    if (i >= 4 && text.startsWith('xox', i - 4) && 'abposr'.includes(text.charAt(i - 1))) return true;
  }
  for (let i = text.indexOf('_'); i !== -1; i = text.indexOf('_', i + 1)) {
    if ((i >= 6 && text.startsWith('github', i - 6)) || (i >= 3 && text.startsWith('gh', i - 3) && 'pousr'.includes(text.charAt(i - 1)))) return true;
  }
  for (let i = text.indexOf('J'); i !== -1; i = text.indexOf('J', i + 1)) if (i >= 2 && text.startsWith('ey', i - 2)) return true;
  for (let i = text.indexOf('A'); i !== -1; i = text.indexOf('A', i + 1)) {
    if (text.startsWith('KIA', i + 1) || text.startsWith('SIA', i + 1) || text.startsWith('Iza', i + 1)) return true;
  }
  return false;
}

/** The characters secretTriggerAt looks around; a byte that is none of them is never a trigger. */
export const SECRET_TRIGGER_CHARS = '-_JA@';

/**
 * mayHoldFinding's check at one trigger character, on UTF-8 bytes: whether the `-`, `_`, `J`, `A`
 * or `@` at `i` stands in one of the triggers. The neighbours it compares are ASCII, which a UTF-8
 * byte only equals when it is that character, so bytes and text give the same answer.
 */
export function secretTriggerAt(b: Uint8Array, i: number): boolean {
  switch (b[i]) {
    case 0x2d: // -
      return bytesAt(b, i - 2, 'sk') || bytesAt(b, i + 1, '----BEGIN ') || (bytesAt(b, i - 4, 'xox') && 'abposr'.includes(String.fromCharCode(b[i - 1] as number)));
    case 0x5f: // _
      return bytesAt(b, i - 6, 'github') || (bytesAt(b, i - 3, 'gh') && 'pousr'.includes(String.fromCharCode(b[i - 1] as number)));
    case 0x4a: // J
      return bytesAt(b, i - 2, 'ey');
    case 0x41: // A
      return bytesAt(b, i + 1, 'KIA') || bytesAt(b, i + 1, 'SIA') || bytesAt(b, i + 1, 'Iza');
    case 0x40: // @
      return i > 0 && isEmailLocalChar(b[i - 1] as number) && isAlnum(b[i + 1] ?? 0);
    default:
      return false;
  }
}

/** Whether the ASCII `text` is at `at` in `b`. */
function bytesAt(b: Uint8Array, at: number, text: string): boolean {
  if (at < 0 || at + text.length > b.length) return false;
  for (let k = 0; k < text.length; k++) if (b[at + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** `[A-Za-z0-9]` */
function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** `[\w.%+-]`: a character an address's local part may end with. */
function isEmailLocalChar(c: number): boolean {
  return isAlnum(c) || c === 0x5f || c === 0x2e || c === 0x25 || c === 0x2b || c === 0x2d;
}

/** Every likely secret and (non-placeholder) e-mail address in one string, left to right, never overlapping. */
export function findInText(value: string): Match[] {
  const found: Match[] = [];
  // Nothing shorter can hold a key or an address (a@b.co); most role names, ids and types are.
  // The line trigger (below) holds for any one string too, and rules most strings out fastest.
  if (value.length < MIN_LENGTH || !mayHoldFinding(value)) return found;
  if (SECRET_HINT.test(value)) {
    // exec with lastIndex, not matchAll: matchAll clones the regex on every call.
    SECRETS.lastIndex = 0;
    for (let m = SECRETS.exec(value); m !== null; m = SECRETS.exec(value)) {
      const groups = m.groups ?? {};
      const p = SECRET_PATTERNS.find((_, k) => groups[`s${k}`] !== undefined);
      if (p) found.push({ kind: p.kind, label: p.label, start: m.index, end: m.index + m[0].length });
    }
  }
  for (let at = value.indexOf('@'); at !== -1; at = value.indexOf('@', at + 1)) {
    const local = EMAIL_LOCAL.exec(value.slice(Math.max(0, at - 64), at));
    const domain = EMAIL_DOMAIN.exec(value.slice(at + 1, at + 256));
    if (!local || !domain || PLACEHOLDER_EMAIL_DOMAIN.test(domain[0])) continue;
    found.push({ kind: EMAIL_KIND, label: 'e-mail address', start: at - local[0].length, end: at + 1 + domain[0].length });
  }
  if (found.length < 2) return found;
  found.sort((a, b) => a.start - b.start);
  return found.filter((m, i) => i === 0 || m.start >= (found[i - 1] as Match).end);
}

/** Shows enough to find the value (its first characters, or the e-mail's domain), never all of it. */
export function mask(value: string, kind: string): string {
  if (kind === EMAIL_KIND) {
    const at = value.lastIndexOf('@');
    return `${value.slice(0, 1)}…${value.slice(at)}`;
  }
  if (kind === 'private_key') return '-----BEGIN … PRIVATE KEY----- (block)';
  const shown = Math.min(6, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}… (${value.length} chars)`;
}

/** Walks every string in an example (content, names, tool arguments…) and reports what it finds. */
export function scanExample(value: unknown): Finding[] {
  const findings: Finding[] = [];
  const keys: (string | number)[] = [];
  // One shared key stack: a field path is only formatted when a string has a finding.
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      const matches = findInText(v);
      if (matches.length === 0) return;
      const field = pathOf(keys);
      for (const m of matches) {
        findings.push({ code: m.kind === EMAIL_KIND ? 'email_address' : 'possible_secret', kind: m.kind, label: m.label, field, masked: mask(v.slice(m.start, m.end), m.kind) });
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        keys.push(i);
        visit(v[i]);
        keys.pop();
      }
    } else if (typeof v === 'object' && v !== null) {
      for (const k in v) {
        keys.push(k);
        visit((v as Record<string, unknown>)[k]);
        keys.pop();
      }
    }
  };
  visit(value);
  return findings;
}

/** `['messages', 1, 'content']` → `messages[1].content`. */
function pathOf(keys: readonly (string | number)[]): string {
  let out = '';
  for (const k of keys) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out;
}

/** Replaces every finding in a string with `[REDACTED <kind>]`. */
export function redactText(value: string): string {
  const matches = findInText(value);
  if (matches.length === 0) return value;
  let out = '';
  let from = 0;
  for (const m of matches) {
    out += `${value.slice(from, m.start)}[REDACTED ${m.kind}]`;
    from = m.end;
  }
  return out + value.slice(from);
}

/** A copy of an example with every string redacted (keys are left alone). */
export function redactExample<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactExample(v)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactExample(v)])) as T;
  }
  return value;
}
