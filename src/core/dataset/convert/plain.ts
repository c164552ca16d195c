/**
 * The commonest record `dataset convert` meets: an OpenAI chat example that is already exactly
 * what the output needs. The general path turns it into itself (a copy of every message, the SDK
 * leftovers and empty turns looked for, validate's rules run, its bytes written as they were),
 * which costs about half as much again as parsing it did. A record is plain when it is
 *
 *   {"messages": [{"role": R, "content": S}, …]}      (no other key anywhere)
 *
 * with R "system", "user" or "assistant", at least one message the assistant's, and every S a
 * string with some text. For such a record the general path changes nothing, notes nothing and
 * finds no error, so the line is written as read (the secret scan still runs on its text first,
 * see source.ts). test/core/dataset/convert/plain.test.ts holds both paths to the same output.
 */
import { hasText } from '../rules/content.js';

export function isPlainChatRecord(record: unknown): boolean {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  for (const key in record) if (key !== 'messages') return false;
  const messages = (record as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  let assistant = false;
  for (const m of messages as unknown[]) {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
    let keys = 0;
    for (const key in m) {
      if (key !== 'role' && key !== 'content') return false;
      keys++;
    }
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (keys !== 2 || typeof content !== 'string' || !hasText(content)) return false;
    if (role === 'assistant') assistant = true;
    else if (role !== 'user' && role !== 'system') return false;
  }
  return assistant;
}
