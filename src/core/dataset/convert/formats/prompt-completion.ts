import { stripEnd } from '../legacy.js';
import { fail, ok, text, type ChatMessage, type RecordConverter } from '../types.js';

const show = (s: string): string => JSON.stringify(s);

/**
 * Legacy prompt/completion (the old `davinci` format): the prompt becomes the user turn, the
 * completion the assistant's. The file's separator (at the end of every prompt) and stop sequence
 * (at the end of every completion), when legacy.ts found them, are stripped, and so is the
 * whitespace around both (legacy completions start with a space); each change is noted.
 */
export const promptCompletion: RecordConverter = {
  format: 'prompt-completion',
  produces: 'chat',
  uses: ['prompt', 'completion', 'system'],
  matches: (r) => 'prompt' in r && 'completion' in r,
  convert(r, ctx) {
    const rawPrompt = text(r.prompt);
    if (!rawPrompt) return fail('"prompt" is empty or not a string');
    const rawCompletion = text(r.completion);
    if (!rawCompletion) return fail('"completion" is empty or not a string');
    const separator = ctx.legacy?.separator ?? null;
    const stop = ctx.legacy?.stop ?? null;
    const p = stripEnd(rawPrompt, separator);
    if (p.stripped) ctx.note(`separator ${show(separator ?? '')} removed from the end of the prompt`);
    else if (separator !== null) ctx.note(`the prompt does not end with the file's separator ${show(separator)}; kept as it is`);
    const c = stripEnd(rawCompletion, stop);
    if (c.stripped) ctx.note(`stop sequence ${show(stop ?? '')} removed from the end of the completion`);
    else if (stop !== null) ctx.note(`the completion does not end with the file's stop sequence ${show(stop)}; kept as it is`);
    const prompt = p.value.trim();
    const completion = c.value.trim();
    if (prompt !== p.value) ctx.note('whitespace trimmed from the ends of the prompt');
    if (completion !== c.value) ctx.note('whitespace trimmed from the ends of the completion (legacy completions start with a space)');
    if (prompt === '') return fail('"prompt" is empty once its separator is removed');
    if (completion === '') return fail('"completion" is empty once its stop sequence is removed');
    const messages: ChatMessage[] = [];
    const system = text(r.system);
    if (system) messages.push({ role: 'system', content: system });
    messages.push({ role: 'user', content: prompt }, { role: 'assistant', content: completion });
    return ok({ kind: 'chat', messages });
  },
};
