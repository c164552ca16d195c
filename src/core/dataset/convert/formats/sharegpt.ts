import { fail, isRecord, ok, text, type ChatMessage, type Converted, type RecordConverter, type SourceRecord } from '../types.js';

/** ShareGPT speaker names (and the role names of the `messages` variant) → OpenAI roles. */
export const SPEAKER_ROLES: Record<string, string> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bing: 'assistant',
  bard: 'assistant',
  system: 'system',
  function_call: 'function_call',
  observation: 'observation',
  tool: 'observation',
};

/**
 * ShareGPT: `conversations` (or `messages`) of `{from, value}` (human/gpt/system/function_call/
 * observation), with an optional top-level `system` and
 * LLaMA-Factory's `tools` (a JSON string or a list of function definitions).
 * A `function_call` turn becomes an assistant tool call and the `observation` after it the
 * tool message answering that call. (The `messages` of `{role, content}` variant is read by
 * the chat converter, which maps these speaker names too.)
 */
export const sharegpt: RecordConverter = {
  format: 'sharegpt',
  produces: 'chat',
  uses: ['conversations', 'messages', 'system', 'tools'],
  matches: (r) => Array.isArray(r.conversations) || (Array.isArray(r.messages) && r.messages.some((m) => isRecord(m) && 'from' in m)),
  convert(r, ctx) {
    const turns = Array.isArray(r.conversations) ? r.conversations : r.messages;
    const key = Array.isArray(r.conversations) ? 'conversations' : 'messages';
    if (!Array.isArray(turns) || turns.length === 0) return fail(`"${key}" is missing or empty`);
    const messages: ChatMessage[] = [];
    const system = text(r.system);
    if (system) messages.push({ role: 'system', content: system });
    let callCount = 0;
    const renamed = new Set<string>();
    for (const [i, turn] of turns.entries()) {
      if (!isRecord(turn)) return fail(`"${key}[${i}]" is not an object`);
      const speaker = turn.from ?? turn.role;
      const value = turn.value ?? turn.content;
      const role = typeof speaker === 'string' ? SPEAKER_ROLES[speaker.toLowerCase()] : undefined;
      if (!role) return fail(`"${key}[${i}]" has an unknown speaker ${JSON.stringify(speaker)} (expected human, gpt, system, function_call or observation)`);
      if (typeof value !== 'string') return fail(`"${key}[${i}]" has no text value`);
      if (typeof speaker === 'string' && speaker !== role && role !== 'function_call' && role !== 'observation') renamed.add(`${speaker} → ${role}`);
      if (role === 'function_call') {
        const call = toolCall(value, `call_${++callCount}`);
        if (typeof call === 'string') return fail(`"${key}[${i}]": ${call}`);
        messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      } else if (role === 'observation') {
        if (callCount === 0) return fail(`"${key}[${i}]" is an observation with no function call before it`);
        messages.push({ role: 'tool', tool_call_id: `call_${callCount}`, content: value });
      } else {
        messages.push({ role, content: value });
      }
    }
    if (renamed.size > 0) ctx.note(`speakers renamed to OpenAI roles (${[...renamed].sort().join(', ')})`);
    if (callCount > 0) ctx.note('function_call/observation turns became tool calls with made-up ids (call_1, call_2, …) linking each call to its result');
    return withTools(messages, r);
  },
};

/** A function_call value is JSON `{name, arguments}`; OpenAI wants arguments as a JSON string. */
function toolCall(value: string, id: string): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return 'function_call value is not JSON {"name", "arguments"}';
  }
  if (!isRecord(parsed) || typeof parsed.name !== 'string') return 'function_call value has no "name"';
  const args = typeof parsed.arguments === 'string' ? parsed.arguments : JSON.stringify(parsed.arguments ?? {});
  return { id, type: 'function', function: { name: parsed.name, arguments: args } };
}

function withTools(messages: ChatMessage[], r: SourceRecord): Converted {
  if (r.tools === undefined || r.tools === '') return ok({ kind: 'chat', messages });
  let tools: unknown = r.tools;
  if (typeof tools === 'string') {
    try {
      tools = JSON.parse(tools);
    } catch {
      return fail('"tools" is a string but not JSON');
    }
  }
  if (!Array.isArray(tools)) return fail('"tools" is not a list of function definitions');
  const defs = tools.map((t: unknown) => (isRecord(t) && t.type === 'function' ? t : { type: 'function', function: t }));
  return ok({ kind: 'chat', messages, extras: { tools: defs } });
}
