import { fail, isRecord, ok, type ChatMessage, type RecordConverter } from '../types.js';
import { SPEAKER_ROLES } from './sharegpt.js';
/** Top-level keys OpenAI accepts beside `messages`; others (ids, metadata) are dropped. */
const KEPT_KEYS = ['tools', 'functions', 'parallel_tool_calls'] as const;

/**
 * `messages` of role/content: OpenAI chat, or ShareGPT's role/content variant. Messages pass
 * through unchanged except that ShareGPT role names (human, gpt…) become OpenAI's; `tools`,
 * `functions` and `parallel_tool_calls` are kept, other top-level keys (ids, metadata) dropped.
 */
export const chat: RecordConverter = {
  format: 'chat',
  produces: 'chat',
  matches: (r) => Array.isArray(r.messages) && r.messages.length > 0 && r.messages.every((m) => isRecord(m) && typeof m.role === 'string'),
  convert(r) {
    if (!Array.isArray(r.messages)) return fail('"messages" is not a list');
    const messages: unknown[] = r.messages;
    if (!messages.every(isRecord)) return fail('a message in "messages" is not an object');
    const normalised = messages.map((m) => {
      const role = typeof m.role === 'string' ? SPEAKER_ROLES[m.role.toLowerCase()] : undefined;
      return role && role !== m.role && role !== 'function_call' && role !== 'observation' ? { ...m, role } : m;
    });
    const extras: Record<string, unknown> = {};
    for (const key of KEPT_KEYS) if (r[key] !== undefined) extras[key] = r[key];
    return ok({ kind: 'chat', messages: normalised as ChatMessage[], extras });
  },
};
