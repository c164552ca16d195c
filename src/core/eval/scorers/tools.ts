/** `tool-call`: the answer calls the same functions with the same arguments as the reference. */
import { isDeepStrictEqual } from 'node:util';
import type { ToolCall } from '../../inference/types.js';
import type { Scorer } from './types.js';

function args(call: ToolCall): unknown {
  try {
    return JSON.parse(call.arguments || '{}');
  } catch {
    return Symbol('unparsable');
  }
}

/** Each reference call matched by one answer call with the same name and deep-equal arguments, in any order. */
export function toolCallsMatch(reference: readonly ToolCall[], answer: readonly ToolCall[]): { ok: boolean; detail?: string } {
  if (reference.length !== answer.length) return { ok: false, detail: `${answer.length} call(s), expected ${reference.length}` };
  const left = answer.map((c) => ({ name: c.name, args: args(c) }));
  for (const want of reference) {
    const wantArgs = args(want);
    const i = left.findIndex((c) => c.name === want.name && isDeepStrictEqual(c.args, wantArgs));
    if (i === -1) {
      const sameName = left.find((c) => c.name === want.name);
      return { ok: false, detail: sameName ? `${want.name}: arguments differ` : `no call to ${want.name}` };
    }
    left.splice(i, 1);
  }
  return { ok: true };
}

export const toolCall: Scorer = {
  name: 'tool-call',
  measures: 'the answer makes the reference\'s tool calls: same function names, arguments equal as JSON objects (key order and spacing ignored), in any order; an answer with no calls matches a reference with none',
  cannot: 'credit arguments that are equivalent but not equal (e.g. "2" and 2, synonyms), or judge text around the calls',
  score: (ex, a) => {
    const r = toolCallsMatch(ex.reference.toolCalls, a.toolCalls);
    return { value: r.ok ? 1 : 0, detail: r.detail };
  },
};
