/**
 * A line already in one of Bedrock's formats (bedrock-conversation-2024, Claude's
 * `{system, messages}`, prompt/completion) read as the OpenAI chat example it stands for, so
 * `dataset validate --target bedrock` runs every base rule and counts its tokens, while the
 * Bedrock profile checks the line itself (kept under BEDROCK_LINE) against the model's format.
 */
import { SCHEMA_VERSION } from './conversation.js';

/** The line as written, on the example read from it (not enumerable: never serialised). */
export const BEDROCK_LINE = Symbol('llmgw.bedrockLine');

/** Which of Bedrock's formats a line is written in. */
export type NativeFormat = 'conversation' | 'claude' | 'prompt-completion';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The Bedrock format `value` is written in, or undefined for OpenAI's (or anything else). */
export function nativeFormatOf(value: unknown): NativeFormat | undefined {
  if (!isObject(value)) return undefined;
  if ('input' in value || 'preferred_output' in value) return undefined;
  if (value.schemaVersion === SCHEMA_VERSION || Array.isArray(value.system)) return 'conversation';
  if (Array.isArray(value.messages) && value.messages.some((m) => isObject(m) && Array.isArray(m.content) && m.content.some((b) => isObject(b) && !('type' in b)))) return 'conversation';
  if (typeof value.system === 'string' && Array.isArray(value.messages)) return 'claude';
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => k === 'prompt' || k === 'completion')) return 'prompt-completion';
  return undefined;
}

/** The OpenAI example a Bedrock line stands for, tagged with the line; undefined for other lines. */
export function readBedrockLine(value: unknown): unknown {
  const format = nativeFormatOf(value);
  if (format === undefined || !isObject(value)) return undefined;
  let example: Record<string, unknown>;
  if (format === 'prompt-completion') {
    example = { messages: [{ role: 'user', content: value.prompt }, { role: 'assistant', content: value.completion }] };
  } else if (format === 'claude') {
    example = { messages: [{ role: 'system', content: value.system }, ...(value.messages as unknown[])] };
  } else {
    example = { messages: conversationMessages(value) };
  }
  Object.defineProperty(example, BEDROCK_LINE, { value, enumerable: false });
  return example;
}

/** bedrock-conversation-2024 messages as OpenAI messages: text joined, tool use as calls and results. */
function conversationMessages(value: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  const system = Array.isArray(value.system) ? value.system.map((b) => (isObject(b) && typeof b.text === 'string' ? b.text : '')).join('\n\n') : '';
  if (system !== '') out.push({ role: 'system', content: system });
  for (const m of Array.isArray(value.messages) ? value.messages : []) {
    if (!isObject(m) || !Array.isArray(m.content)) {
      out.push(m);
      continue;
    }
    const texts: string[] = [];
    const calls: unknown[] = [];
    for (const b of m.content) {
      if (!isObject(b)) continue;
      if (typeof b.text === 'string') texts.push(b.text);
      else if (isObject(b.toolUse)) calls.push({ id: String(b.toolUse.toolUseId ?? ''), type: 'function', function: { name: String(b.toolUse.name ?? ''), arguments: JSON.stringify(b.toolUse.input ?? {}) } });
      else if (isObject(b.toolResult)) {
        const content = Array.isArray(b.toolResult.content) ? b.toolResult.content.map((c) => (isObject(c) && typeof c.text === 'string' ? c.text : JSON.stringify(c))).join('') : '';
        out.push({ role: 'tool', tool_call_id: String(b.toolResult.toolUseId ?? ''), content });
      } else texts.push(''); // an image, video or reasoning block: the Bedrock profile checks it on the line
    }
    const text = texts.join('');
    if (calls.length > 0) out.push({ role: m.role, content: text === '' ? null : text, tool_calls: calls });
    else if (m.role !== 'user' || text !== '' || !m.content.every((b) => isObject(b) && 'toolResult' in b)) out.push({ role: m.role, content: text });
  }
  return out;
}
