import { fail, isRecord, ok, text, type ChatMessage, type Converted, type ConvertContext, type RecordConverter, type SourceRecord } from '../types.js';
import { SPEAKER_ROLES } from './sharegpt.js';

/**
 * Preference pairs: the common `prompt`/`chosen`/`rejected` shape (each a string or a message
 * list; a chosen/rejected list may repeat the prompt, and then its last assistant turn is the
 * answer); LLaMA-Factory's ShareGPT shape (`conversations` of `{from, value}`, system turns
 * included, with `chosen`/`rejected` one `{from, value}` turn each) and its role/content twin
 * (`messages`); and OpenAI's own DPO shape passed through.
 */
export const preference: RecordConverter = {
  format: 'preference',
  produces: 'preference',
  uses: ['prompt', 'chosen', 'rejected', 'system', 'conversations', 'messages', 'input', 'preferred_output', 'non_preferred_output'],
  matches: (r) => ('chosen' in r && 'rejected' in r) || (isRecord(r.input) && 'preferred_output' in r),
  convert(r, ctx) {
    return isRecord(r.input) ? fromOpenAI(r) : fromPromptChosenRejected(r, ctx);
  },
};

function fromPromptChosenRejected(r: SourceRecord, ctx: ConvertContext): Converted {
  const chosen = answer(r.chosen, 'chosen');
  if (typeof chosen === 'string') return fail(chosen);
  const rejected = answer(r.rejected, 'rejected');
  if (typeof rejected === 'string') return fail(rejected);
  let prompt: ChatMessage[];
  const turns = r.conversations ?? r.messages;
  if (r.prompt !== undefined) {
    const p = messagesOf(r.prompt, 'user');
    if (typeof p === 'string') return fail(`"prompt" ${p}`);
    prompt = p;
  } else if (turns !== undefined) {
    const key = r.conversations !== undefined ? 'conversations' : 'messages';
    const p = messagesOf(turns, 'user');
    if (typeof p === 'string') return fail(`"${key}" ${p}`);
    prompt = p;
    if (chosen.before.length > 0 || rejected.before.length > 0) return fail(`"chosen" and "rejected" must be single answers when "${key}" holds the prompt`);
  } else {
    // No prompt: the conversation before the chosen answer is the prompt, and must be the one before the rejected answer.
    prompt = chosen.before;
    if (JSON.stringify(rejected.before) !== JSON.stringify(chosen.before)) return fail('"chosen" and "rejected" differ before their last assistant turn, so there is no one prompt for the pair');
  }
  if (prompt.length === 0) return fail('"prompt" is empty');
  const system = text(r.system);
  if (system && !prompt.some((m) => m.role === 'system')) prompt = [{ role: 'system', content: system }, ...prompt];
  if (prompt.some((m, i) => m.role === 'system' && i > 0)) {
    prompt = [...prompt.filter((m) => m.role === 'system'), ...prompt.filter((m) => m.role !== 'system')];
    ctx.note('system turns moved to the front of the prompt');
  }
  if (chosen.renamed || rejected.renamed || prompt.some((m) => m.renamed === true)) ctx.note('speakers renamed to OpenAI roles (human → user, gpt → assistant)');
  for (const key of new Set([...chosen.dropped, ...rejected.dropped, ...droppedKeys(r.prompt), ...droppedKeys(r.conversations ?? r.messages)])) ctx.note(`message key "${key}" dropped (a preference pair keeps role and content)`);
  return ok({ kind: 'preference', prompt: prompt.map(strip), chosen: strip(chosen.answer), rejected: strip(rejected.answer) });
}

/** Drops the internal `renamed` mark. */
function strip(m: ChatMessage): ChatMessage {
  if (m.renamed === undefined) return m;
  const { renamed: _renamed, ...rest } = m;
  return rest as ChatMessage;
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
  const { messages, ...inputExtras } = input;
  return ok({ kind: 'preference', prompt: messages as ChatMessage[], chosen, rejected, extras: inputExtras, same: true });
}

/**
 * A string (one turn of `role`), one message, or a list of messages: `{role, content}` or
 * ShareGPT `{from, value}` (speakers renamed; the message is marked `renamed`).
 */
function messagesOf(v: unknown, role: string): ChatMessage[] | string {
  if (typeof v === 'string') return v.trim() === '' ? 'is empty' : [{ role, content: v }];
  const list = isRecord(v) ? [v] : v;
  if (!Array.isArray(list)) return 'is neither a string nor a list of messages';
  const out: ChatMessage[] = [];
  for (const [i, m] of list.entries()) {
    if (!isRecord(m)) return `[${i}] is not a message object`;
    if (typeof m.role === 'string') {
      out.push({ role: m.role, content: m.content });
      continue;
    }
    const speaker = typeof m.from === 'string' ? SPEAKER_ROLES[m.from.toLowerCase()] : undefined;
    if (speaker === undefined || speaker === 'function_call' || speaker === 'observation') {
      return typeof m.from === 'string' ? `[${i}] has a speaker ${JSON.stringify(m.from)} that a preference pair cannot hold (expected human, gpt or system)` : `[${i}] is not a {role, content} or {from, value} message`;
    }
    out.push({ role: speaker, content: m.value, ...(speaker !== m.from ? { renamed: true } : {}) });
  }
  return out;
}

/** The answer of a chosen/rejected field: the string itself, one message, or the last assistant message of a list. */
function answer(v: unknown, name: string): { answer: ChatMessage; before: ChatMessage[]; renamed: boolean; dropped: string[] } | string {
  const msgs = messagesOf(v, 'assistant');
  if (typeof msgs === 'string') return `"${name}" ${msgs}`;
  const last = msgs[msgs.length - 1];
  if (!last || last.role !== 'assistant') return `"${name}" does not end with an assistant message`;
  if (!text(last.content)) return `"${name}" has an empty answer`;
  return { answer: { role: 'assistant', content: last.content }, before: msgs.slice(0, -1), renamed: last.renamed === true, dropped: droppedKeys(v) };
}

/** Keys of the messages in `v` (one message or a list) beyond role/content and from/value: not carried over. */
function droppedKeys(v: unknown): string[] {
  const list = isRecord(v) ? [v] : Array.isArray(v) ? v : [];
  const keys = new Set<string>();
  for (const m of list) if (isRecord(m)) for (const k of Object.keys(m)) if (k !== 'role' && k !== 'content' && k !== 'from' && k !== 'value') keys.add(k);
  return [...keys];
}
