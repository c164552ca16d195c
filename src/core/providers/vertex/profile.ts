/**
 * `--target vertex`: Vertex AI's documented limits for Gemini tuning data, checked on OpenAI chat
 * examples and preference pairs (what llmgw converts and uploads). Each example goes through the
 * converter: one it cannot represent is an error naming why (an inline image, audio, a prompt
 * that does not end where Vertex needs it…); each field it drops (`weight`, `name`, `audio`…) is
 * a warning, so nothing disappears silently on the way to Gemini. Files: at most 1 GB. Examples:
 * roles become `user`/`model`, and the last turn must be the model's. Lines already in Vertex's
 * shape are read as the OpenAI example they stand for and checked against Vertex's own rules.
 */
import { makeIssue, type Issue, type IssueCode, type Loc, type Severity } from '../../dataset/issues.js';
import type { ValidationProfile } from '../../dataset/profile.js';
import { countExampleTokens } from '../../tokens/count.js';
import { chatToGemini, preferenceToGemini } from './format/index.js';
import { NOTES } from './format/chat.js';
import { checkGeminiLine } from './format/check.js';
import { GEMINI_LINE, readGeminiLine } from './format/reverse.js';

/** How each conversion note is reported: fields dropped are warnings; reshaping is information. */
function noteIssue(note: string, loc: Loc): Issue {
  const reshaped = note === NOTES.merged || note === NOTES.lateSystem || note === NOTES.refusal;
  const code: IssueCode = note.startsWith('tool parameter') || note.includes('"strict"') ? 'invalid_tool_definition' : reshaped ? 'invalid_role' : note === NOTES.emptyTurn ? 'empty_content' : 'unknown_key';
  const severity: Severity = reshaped ? 'info' : 'warning';
  return { ...makeIssue(code, loc, null, `Vertex: ${note}`, reshaped ? 'nothing to do; this is how the example reads in Gemini\'s format' : 'nothing is lost that Vertex could use; remove the field to silence this'), severity };
}

/** Input + output tokens Vertex trains on per example (Gemini 2.5 tables); longer examples are truncated. */
export const MAX_EXAMPLE_TOKENS = 131_072;

/**
 * No Gemini tokenizer ships for offline use, so tokens are counted with o200k_base and scaled by
 * what that undercounts: on 894 examples of six public chat and preference datasets, the gemma3
 * tokenizer (the one Google's SDK counts Gemini 2.x tokens with locally) gave 1.068 times the
 * o200k count overall (per example: median 1.054, 95th percentile 1.165, at most 1.32).
 */
export const GEMINI_PER_O200K = 1.068;

/** UTF-16 code units of every string in the value: a token never covers less than a byte, and a code unit is at most 3 UTF-8 bytes. */
function textUnits(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + textUnits(x), 0);
  if (typeof v === 'object' && v !== null) return Object.values(v).reduce((n: number, x) => n + textUnits(x), 0);
  return 0;
}

function tooLong(value: unknown, kind: 'chat' | 'preference', loc: Loc): Issue[] {
  // Only an example with more bytes than the limit can have more tokens: most are never counted.
  if (textUnits(value) * 3 <= MAX_EXAMPLE_TOKENS) return [];
  const o200k = countExampleTokens(value, kind, 'o200k_base').total;
  const approx = Math.ceil(o200k * GEMINI_PER_O200K);
  if (approx <= MAX_EXAMPLE_TOKENS) return [];
  return [
    makeIssue(
      'example_too_long',
      loc,
      null,
      `Vertex: about ${approx.toLocaleString('en-US')} tokens (approximate: ${o200k.toLocaleString('en-US')} by o200k_base × ${GEMINI_PER_O200K}; no Gemini tokenizer ships for offline use), over the ${MAX_EXAMPLE_TOKENS.toLocaleString('en-US')} Vertex trains on per example; Vertex truncates it and lists it in the job's data statistics`,
    ),
  ];
}

export function checkVertexExample(value: unknown, kind: string, loc: Loc): Issue[] {
  if (kind !== 'chat' && kind !== 'preference') return [];
  // A line that was already Vertex's: its own rules on the line as written, then the token limit.
  const line = (value as { [GEMINI_LINE]?: unknown })[GEMINI_LINE];
  if (line !== undefined) {
    const problems = checkGeminiLine(line).map((p) => makeIssue(p.code, loc, p.field, `Vertex: ${p.message}`));
    return problems.length > 0 ? problems : tooLong(value, kind, loc);
  }
  const r = kind === 'chat' ? chatToGemini(value) : preferenceToGemini(value);
  const issues = r.notes.map((n) => noteIssue(n, loc));
  if ('skip' in r) issues.push(makeIssue(r.code ?? 'invalid_type', loc, null, `Vertex cannot take this example: ${r.skip}`, 'fix the example as the message says, or drop it'));
  else issues.push(...tooLong(value, kind, loc));
  return issues;
}

export const vertexProfile: ValidationProfile = {
  name: 'vertex',
  minExamples: 1,
  // Google suggests starting with about 100 examples for supervised tuning.
  recommendedExamples: 100,
  maxFileBytes: 1024 ** 3,
  kinds: ['chat', 'preference'],
  checkExample: checkVertexExample,
  readExample: readGeminiLine,
};
