import { fail, ok, type ChatMessage, type RecordConverter } from '../types.js';

const MARKER = /(?:^|\n\n)(Human|Assistant):[ ]?/g;

/**
 * Anthropic HH-RLHF: `chosen` and `rejected` are whole transcripts (`\n\nHuman: …\n\nAssistant: …`)
 * that share every turn but the last. The shared turns become the prompt, the two final assistant
 * turns the preferred and non-preferred outputs. A pair whose transcripts differ before the last
 * turn, or whose final answer is empty, is skipped with the reason.
 */
export const hhRlhf: RecordConverter = {
  format: 'hh-rlhf',
  produces: 'preference',
  uses: ['chosen', 'rejected'],
  matches: (r) => typeof r.chosen === 'string' && typeof r.rejected === 'string' && r.prompt === undefined && /^\s*Human:/.test(r.chosen),
  convert(r, ctx) {
    const chosen = transcript(r.chosen as string);
    if (typeof chosen === 'string') return fail(`"chosen" ${chosen}`);
    const rejected = transcript(r.rejected as string);
    if (typeof rejected === 'string') return fail(`"rejected" ${rejected}`);
    const lastChosen = chosen[chosen.length - 1] as ChatMessage;
    const lastRejected = rejected[rejected.length - 1] as ChatMessage;
    if (lastChosen.role !== 'assistant') return fail('"chosen" does not end with an Assistant turn');
    if (lastRejected.role !== 'assistant') return fail('"rejected" does not end with an Assistant turn');
    if (chosen.length !== rejected.length) return fail(`the transcripts diverge before the last turn ("chosen" has ${chosen.length} turns, "rejected" ${rejected.length})`);
    for (let i = 0; i < chosen.length - 1; i++) {
      const a = chosen[i] as ChatMessage;
      const b = rejected[i] as ChatMessage;
      if (a.role !== b.role || a.content !== b.content) return fail(`the transcripts diverge before the last turn (at turn ${i + 1}, ${a.role === 'user' ? 'Human' : 'Assistant'})`);
    }
    if ((lastChosen.content as string).trim() === '') return fail('the chosen (final Assistant) answer is empty');
    if ((lastRejected.content as string).trim() === '') return fail('the rejected (final Assistant) answer is empty');
    ctx.note('HH-RLHF transcripts split into turns (Human → user, Assistant → assistant); the shared turns became the prompt');
    return ok({ kind: 'preference', prompt: chosen.slice(0, -1), chosen: lastChosen, rejected: lastRejected });
  },
};

/** `\n\nHuman: a\n\nAssistant: b` → [{user, a}, {assistant, b}]. */
function transcript(t: string): ChatMessage[] | string {
  const marks = [...t.matchAll(MARKER)];
  if (marks.length === 0 || t.slice(0, marks[0]?.index).trim() !== '') return 'is not a Human:/Assistant: transcript';
  const turns: ChatMessage[] = [];
  for (const [i, m] of marks.entries()) {
    const start = (m.index ?? 0) + m[0].length;
    const end = marks[i + 1]?.index ?? t.length;
    turns.push({ role: m[1] === 'Human' ? 'user' : 'assistant', content: t.slice(start, end) });
  }
  return turns;
}
