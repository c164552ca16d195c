import { isRecord, type ChatMessage } from './types.js';

/**
 * Keys that SDK responses add to messages and that carry nothing for training: `null` values of
 * `function_call`, `tool_calls`, `refusal` and `audio`, and `name` on a tool message (the
 * function's name, which the tool_call_id already links). Removed from converted messages, each
 * removal noted; `dataset validate` accepts them with a warning.
 */
export function removeSdkFields(messages: readonly ChatMessage[], note: (m: string) => void): ChatMessage[] {
  let out: ChatMessage[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as ChatMessage;
    let copy: ChatMessage | undefined;
    for (const key of ['function_call', 'tool_calls', 'refusal', 'audio'] as const) {
      if (key in m && m[key] === null) {
        copy ??= { ...m };
        delete copy[key];
        note(`"${key}": null removed from ${m.role} messages (an SDK default; it means nothing in training data)`);
      }
    }
    if (m.role === 'tool' && 'name' in m) {
      copy ??= { ...m };
      delete copy.name;
      note('"name" removed from tool messages (the tool_call_id links the result to its call)');
    }
    if (copy) {
      out ??= messages.slice(0, i);
      out.push(copy);
    } else out?.push(m);
  }
  return out ?? (messages as ChatMessage[]);
}

/** The first turn with nothing in it (no text, no image, no tool call), as `messages[i] (role)`, or undefined. */
export function emptyTurn(messages: readonly ChatMessage[], path = 'messages'): string | undefined {
  for (const [i, m] of messages.entries()) {
    if (m.tool_calls != null || m.function_call != null) continue;
    const c = m.content;
    // Only text known to be blank counts; a malformed part is left for validate's rules to name.
    const blankPart = (p: unknown): boolean => isRecord(p) && p.type === 'text' && typeof p.text === 'string' && p.text.trim() === '';
    const empty = (typeof c === 'string' && c.trim() === '') || (Array.isArray(c) && c.every(blankPart));
    if (empty) return `${path}[${i}] (${m.role})`;
  }
  return undefined;
}
