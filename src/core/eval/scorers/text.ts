/** Scorers that compare the answer's text with the reference's text. */
import { UsageError } from '../../errors.js';
import type { Scorer } from './types.js';

/** NFKC, lower case, punctuation to spaces, runs of whitespace to one space, trimmed. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

const pass = (ok: boolean, detail?: string) => ({ value: ok ? 1 : 0, detail: ok ? undefined : detail });

export const exact: Scorer = {
  name: 'exact',
  measures: 'the answer is the reference, character for character (leading and trailing whitespace ignored)',
  cannot: 'credit a correct answer worded differently, or differing only in case or punctuation',
  score: (ex, a) => pass(a.text.trim() === ex.reference.text.trim(), 'differs from the reference'),
};

export const normalised: Scorer = {
  name: 'normalized',
  measures: 'the answer equals the reference after Unicode NFKC, lower-casing, and turning punctuation and runs of whitespace into single spaces',
  cannot: 'credit paraphrases, reordered words or extra explanation around a right answer; it can also equate answers whose meaning rests on punctuation or symbols (e.g. "-5" and "5")',
  score: (ex, a) => pass(normalise(a.text) === normalise(ex.reference.text), 'differs after normalising'),
};

export const contains: Scorer = {
  name: 'contains',
  measures: 'the normalised reference appears inside the normalised answer',
  cannot: 'tell a right answer from one that also says wrong things, or that lists several options including the right one',
  score: (ex, a) => pass(normalise(a.text).includes(normalise(ex.reference.text)), 'reference not found in the answer'),
};

/** `--regex PATTERN`: the answer must match it (JavaScript syntax, Unicode mode). */
export function regexScorer(pattern: string): Scorer {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch (err) {
    throw new UsageError('invalid_regex', `--regex "${pattern}" is not a valid regular expression: ${(err as Error).message}.`, { hint: 'write it in JavaScript syntax, e.g. --regex "^(yes|no)$"' });
  }
  return {
    name: 'regex',
    measures: `the answer matches /${pattern}/u`,
    cannot: 'judge anything the pattern does not spell out; the reference is not used',
    score: (_ex, a) => pass(re.test(a.text), `does not match /${pattern}/`),
  };
}

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** The first number written in the text (thousands separators allowed), or null. */
export function firstNumber(text: string): number | null {
  for (const m of text.matchAll(NUMBER)) {
    if (!/\d/.test(m[0])) continue;
    const n = Number(m[0].replace(/,/g, ''));
    if (Number.isFinite(n)) return n;
  }
  return null;
}

/** `--tolerance 0.01` (absolute) or `--tolerance 2%` (relative to the reference). */
export function numericScorer(tolerance = '0'): Scorer {
  const rel = tolerance.trim().endsWith('%');
  const t = Number(rel ? tolerance.trim().slice(0, -1) : tolerance);
  if (!Number.isFinite(t) || t < 0) throw new UsageError('invalid_tolerance', `--tolerance "${tolerance}" is not a non-negative number or percentage.`, { hint: 'e.g. --tolerance 0.01 or --tolerance 2%' });
  return {
    name: 'numeric',
    measures: `the first number in the answer is within ${rel ? `${t}% of` : `±${t} of`} the first number in the reference`,
    cannot: 'check units, which number was meant when several appear, or anything besides that one number',
    score: (ex, a) => {
      const want = firstNumber(ex.reference.text);
      const got = firstNumber(a.text);
      if (want === null) return { value: 0, detail: 'the reference has no number' };
      if (got === null) return { value: 0, detail: 'no number in the answer' };
      const allowed = rel ? (Math.abs(want) * t) / 100 : t;
      return pass(Math.abs(got - want) <= allowed + 1e-12, `${got} vs ${want}`);
    },
  };
}
