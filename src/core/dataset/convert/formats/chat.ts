import { fail, isRecord, ok, type ChatMessage, type ConvertContext, type RecordConverter } from '../types.js';
import { SPEAKER_ROLES } from './sharegpt.js';

/** Top-level keys OpenAI accepts beside `messages`. */
const KEPT_KEYS = ['tools', 'functions', 'parallel_tool_calls'] as const;

/**
 * `messages` of role/content: OpenAI chat, or ShareGPT's role/content variant. Messages pass
 * through unchanged except that ShareGPT role names (human, gpt…) become OpenAI's (noted);
 * `tools`, `functions` and `parallel_tool_calls` are kept. Other top-level keys (ids, metadata)
 * are dropped by the driver, which counts them.
 */
export const chat: RecordConverter = {
  format: 'chat',
  produces: 'chat',
  uses: ['messages', ...KEPT_KEYS],
  matches: (r) => Array.isArray(r.messages) && r.messages.length > 0 && r.messages.every((m) => isRecord(m) && typeof m.role === 'string'),
  convert(r, ctx) {
    if (!Array.isArray(r.messages)) return fail('"messages" is not a list');
    const messages: unknown[] = r.messages;
    if (!messages.every(isRecord)) return fail('a message in "messages" is not an object');
    let changed = false;
    const normalised: ChatMessage[] = [];
    for (const [i, message] of messages.entries()) {
      let m = message;
      const role = typeof m.role === 'string' ? SPEAKER_ROLES[m.role.toLowerCase()] : undefined;
      if (role && role !== m.role && role !== 'function_call' && role !== 'observation') {
        ctx.note(`role "${String(m.role)}" renamed to "${role}"`);
        m = { ...m, role };
      }
      const v1 = fromLlamaFactoryV1(m, ctx);
      if (typeof v1 === 'string') return fail(`messages[${i}]: ${v1}`);
      changed ||= v1 !== message;
      normalised.push(v1);
    }
    const extras: Record<string, unknown> = {};
    for (const key of KEPT_KEYS) if (r[key] !== undefined) extras[key] = r[key];
    return ok({ kind: 'chat', messages: normalised, extras, same: !changed });
  },
};

/**
 * LLaMA-Factory's v1 messages: text parts written `{type: "text", value}` and a `loss_weight` on
 * every turn. The parts become OpenAI's `{type: "text", text}`; an assistant's loss_weight 0 or 1
 * becomes `weight`, and the loss_weight of other turns (never trained) is dropped; all noted.
 */
function fromLlamaFactoryV1(m: Record<string, unknown>, ctx: ConvertContext): ChatMessage | string {
  let out = m;
  if (Array.isArray(m.content) && m.content.some((p) => isRecord(p) && p.type === 'text' && typeof p.value === 'string' && p.text === undefined)) {
    ctx.note('text parts written {"type": "text", "value"} renamed to {"type": "text", "text"}');
    out = { ...out, content: m.content.map((p: unknown) => (isRecord(p) && p.type === 'text' && typeof p.value === 'string' && p.text === undefined ? { type: 'text', text: p.value } : p)) };
  }
  if ('loss_weight' in m) {
    const { loss_weight: weight, ...rest } = out;
    if (m.role === 'assistant') {
      if (weight !== 0 && weight !== 1) return `"loss_weight" is ${JSON.stringify(weight)}; OpenAI's weight can only be 0 or 1`;
      ctx.note('"loss_weight" of assistant turns became "weight"');
      out = { ...rest, weight };
    } else {
      ctx.note(`"loss_weight" dropped from ${String(m.role)} turns (only assistant turns are trained)`);
      out = rest;
    }
  }
  return out as ChatMessage;
}
