import { fail, isRecord, ok, text, type ChatMessage, type Converted, type RecordConverter, type SourceRecord } from '../types.js';

/**
 * Preference pairs: the common `prompt`/`chosen`/`rejected` shape (each a string or a message
 * list; a chosen/rejected list may repeat the prompt, as in Anthropic HH-style data, and then
 * its last assistant turn is the answer), and OpenAI's own DPO shape passed through.
 */
export const preference: RecordConverter = {
  format: 'preference',
  produces: 'preference',
  matches: (r) => ('chosen' in r && 'rejected' in r) || (isRecord(r.input) && 'preferred_output' in r),
  convert(r) {
    return isRecord(r.input) ? fromOpenAI(r) : fromPromptChosenRejected(r);
  },
};

function fromPromptChosenRejected(r: SourceRecord): Converted {
  const chosen = answer(r.chosen, 'chosen');
  if (typeof chosen === 'string') return fail(chosen);
  const rejected = answer(r.rejected, 'rejected');
  if (typeof rejected === 'string') return fail(rejected);
  let prompt: ChatMessage[];
  if (r.prompt === undefined) {
    // No prompt: the conversation before the chosen answer is the prompt.
    prompt = chosen.before;
  } else {
    const p = messagesOf(r.prompt, 'user');
    if (typeof p === 'string') return fail(`"prompt" ${p}`);
    prompt = p;
  }
  if (prompt.length === 0) return fail('"prompt" is empty');
  const system = text(r.system);
  if (system && !prompt.some((m) => m.role === 'system')) prompt = [{ role: 'system', content: system }, ...prompt];
  return ok({ kind: 'preference', prompt, chosen: chosen.answer, rejected: rejected.answer });
}

function fromOpenAI(r: SourceRecord): Converted {
  const input = r.input as SourceRecord;
  if (!Array.isArray(input.messages) || !input.messages.every(isRecord)) return fail('"input.messages" is not a list of messages');
  const first = (v: unknown, name: string): ChatMessage | string =>
    Array.isArray(v) && v.length === 1 && isRecord(v[0]) ? (v[0] as ChatMessage) : `"${name}" must hold exactly one assistant message`;
  const chosen = first(r.preferred_output, 'preferred_output');
  if (typeof chosen === 'string') return fail(chosen);
  const rejected = first(r.non_preferred_output, 'non_preferred_output');
  if (typeof rejected === 'string') return fail(rejected);
  return ok({ kind: 'preference', prompt: input.messages as ChatMessage[], chosen, rejected });
}

/** A string (one user/assistant turn) or a list of `{role, content}` messages. */
function messagesOf(v: unknown, role: string): ChatMessage[] | string {
  if (typeof v === 'string') return v.trim() === '' ? 'is empty' : [{ role, content: v }];
  if (!Array.isArray(v)) return 'is neither a string nor a list of messages';
  const out: ChatMessage[] = [];
  for (const [i, m] of v.entries()) {
    if (!isRecord(m) || typeof m.role !== 'string') return `[${i}] is not a {role, content} message`;
    out.push({ role: m.role, content: m.content });
  }
  return out;
}

/** The answer of a chosen/rejected field: the string itself, or the last assistant message of a list. */
function answer(v: unknown, name: string): { answer: ChatMessage; before: ChatMessage[] } | string {
  const msgs = messagesOf(v, 'assistant');
  if (typeof msgs === 'string') return `"${name}" ${msgs}`;
  const last = msgs[msgs.length - 1];
  if (!last || last.role !== 'assistant') return `"${name}" does not end with an assistant message`;
  if (!text(last.content)) return `"${name}" has an empty answer`;
  return { answer: { role: 'assistant', content: last.content }, before: msgs.slice(0, -1) };
}
