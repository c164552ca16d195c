import { fail, ok, text, type ChatMessage, type RecordConverter } from '../types.js';

/**
 * Alpaca: `instruction`, optional `input` (appended to the user turn after a blank line, noted),
 * `output`, optional `system`, and LLaMA-Factory's optional `history` of [user, assistant] pairs.
 */
export const alpaca: RecordConverter = {
  format: 'alpaca',
  produces: 'chat',
  uses: ['instruction', 'input', 'output', 'system', 'history'],
  matches: (r) => typeof r.instruction === 'string' && 'output' in r,
  convert(r, ctx) {
    const instruction = text(r.instruction);
    if (!instruction) return fail('"instruction" is empty');
    const output = text(r.output);
    if (!output) return fail('"output" is empty');
    const messages: ChatMessage[] = [];
    const system = text(r.system);
    if (system) messages.push({ role: 'system', content: system });
    if (r.history !== undefined) {
      if (!Array.isArray(r.history)) return fail('"history" is not a list of [user, assistant] pairs');
      for (const [i, pair] of r.history.entries()) {
        if (!Array.isArray(pair) || !text(pair[0]) || !text(pair[1])) return fail(`"history[${i}]" is not a [user, assistant] pair of non-empty strings`);
        messages.push({ role: 'user', content: pair[0] as string }, { role: 'assistant', content: pair[1] as string });
      }
    }
    const input = text(r.input);
    if (input) ctx.note('"input" appended to the instruction after a blank line (one user turn)');
    messages.push({ role: 'user', content: input ? `${instruction}\n\n${input}` : instruction }, { role: 'assistant', content: output });
    return ok({ kind: 'chat', messages });
  },
};
