import { EMAIL_KIND, EMAIL_SOURCE, PLACEHOLDER_EMAIL_DOMAIN, SECRET_PATTERNS } from './patterns.js';

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

// One alternation with a named group per pattern: a single pass over each string.
const COMBINED = new RegExp(
  [...SECRET_PATTERNS.map((p, i) => `(?<s${i}>${p.source})`), `(?<email>${EMAIL_SOURCE})`].join('|'),
  'g',
);
// Cheap pre-filter: a string with none of these cannot match, and most training text has none.
const HINT = /sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox|AIza|PRIVATE KEY|eyJ|@/;

/** Every likely secret and (non-placeholder) e-mail address in one string, left to right. */
export function findInText(value: string): Match[] {
  if (!HINT.test(value)) return [];
  const out: Match[] = [];
  for (const m of value.matchAll(COMBINED)) {
    const groups = m.groups ?? {};
    const start = m.index;
    const end = start + m[0].length;
    if (groups.email !== undefined) {
      const domain = groups.email.slice(groups.email.lastIndexOf('@') + 1);
      if (!PLACEHOLDER_EMAIL_DOMAIN.test(domain)) out.push({ kind: EMAIL_KIND, label: 'e-mail address', start, end });
      continue;
    }
    const i = SECRET_PATTERNS.findIndex((_, k) => groups[`s${k}`] !== undefined);
    const p = SECRET_PATTERNS[i];
    if (p) out.push({ kind: p.kind, label: p.label, start, end });
  }
  return out;
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
  walk(value, '', (s, field) => {
    for (const m of findInText(s)) {
      findings.push({
        code: m.kind === EMAIL_KIND ? 'email_address' : 'possible_secret',
        kind: m.kind,
        label: m.label,
        field,
        masked: mask(s.slice(m.start, m.end), m.kind),
      });
    }
  });
  return findings;
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

function walk(value: unknown, path: string, visit: (s: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v: unknown, i) => walk(v, `${path}[${i}]`, visit));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`, visit);
  }
}
