/**
 * `--target vertex`: Vertex AI's documented limits for Gemini tuning data, checked on OpenAI chat
 * examples and preference pairs (what llmgw converts and uploads). Each example goes through the
 * converter: one it cannot represent is an error naming why (an inline image, audio, a prompt
 * that does not end where Vertex needs it…); each field it drops (`weight`, `name`, `audio`…) is
 * a warning, so nothing disappears silently on the way to Gemini. Files: at most 1 GB. Examples:
 * roles become `user`/`model`, and the last turn must be the model's.
 */
import { makeIssue, type Issue, type IssueCode, type Loc, type Severity } from '../../dataset/issues.js';
import type { ValidationProfile } from '../../dataset/profile.js';
import { chatToGemini, preferenceToGemini } from './format/index.js';
import { NOTES } from './format/chat.js';

/** How each conversion note is reported: fields dropped are warnings; reshaping is information. */
function noteIssue(note: string, loc: Loc): Issue {
  const reshaped = note === NOTES.merged || note === NOTES.lateSystem || note === NOTES.refusal;
  const code: IssueCode = note.startsWith('tool parameter') || note.includes('"strict"') ? 'invalid_tool_definition' : reshaped ? 'invalid_role' : note === NOTES.emptyTurn ? 'empty_content' : 'unknown_key';
  const severity: Severity = reshaped ? 'info' : 'warning';
  return { ...makeIssue(code, loc, null, `Vertex: ${note}`, reshaped ? 'nothing to do; this is how the example reads in Gemini\'s format' : 'nothing is lost that Vertex could use; remove the field to silence this'), severity };
}

export function checkVertexExample(value: unknown, kind: string, loc: Loc): Issue[] {
  if (kind !== 'chat' && kind !== 'preference') return [];
  const r = kind === 'chat' ? chatToGemini(value) : preferenceToGemini(value);
  const issues = r.notes.map((n) => noteIssue(n, loc));
  if ('skip' in r) issues.push(makeIssue(r.code ?? 'invalid_type', loc, null, `Vertex cannot take this example: ${r.skip}`, 'fix the example as the message says, or drop it'));
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
};
