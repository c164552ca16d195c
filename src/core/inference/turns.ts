/**
 * What the Gemini and Bedrock mappings share: an OpenAI chat request read as system text plus
 * turns of text, tool calls and tool results, with each tool result given the name of the call it
 * answers (both APIs want it), and the arguments parsed to objects.
 */
import { contentText } from '../eval/dataset.js';
import type { ChatMessage } from './types.js';

export type TurnPart = { kind: 'text'; text: string } | { kind: 'call'; id: string; name: string; args: Record<string, unknown> } | { kind: 'result'; id: string; name: string; text: string };

export interface Turn {
  role: 'user' | 'assistant';
  parts: TurnPart[];
}

function parseArgs(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text || '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { arguments: text };
  }
}

/** System and developer messages become the system text; adjacent turns of one role are merged (both APIs want them alternating). */
export function toTurns(messages: readonly ChatMessage[]): { system: string; turns: Turn[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  const names = new Map<string, string>();
  const push = (role: Turn['role'], parts: TurnPart[]): void => {
    if (parts.length === 0) return;
    const last = turns[turns.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else turns.push({ role, parts });
  };
  for (const m of messages) {
    const text = contentText(m.content);
    if (m.role === 'system' || m.role === 'developer') {
      if (text) system.push(text);
    } else if (m.role === 'assistant') {
      const parts: TurnPart[] = text ? [{ kind: 'text', text }] : [];
      (m.tool_calls ?? []).forEach((c, i) => {
        const id = c.id ?? `call_${turns.length}_${i}`;
        names.set(id, c.function.name);
        parts.push({ kind: 'call', id, name: c.function.name, args: parseArgs(c.function.arguments) });
      });
      push('assistant', parts);
    } else if (m.role === 'tool') {
      const id = m.tool_call_id ?? '';
      push('user', [{ kind: 'result', id, name: names.get(id) ?? m.name ?? 'tool', text }]);
    } else {
      push('user', text ? [{ kind: 'text', text }] : []);
    }
  }
  return { system: system.join('\n\n'), turns };
}
