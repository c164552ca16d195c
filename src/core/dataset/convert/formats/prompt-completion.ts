import { fail, ok, text, type ChatMessage, type RecordConverter } from '../types.js';

/**
 * Legacy prompt/completion (the old `davinci` format). The completion's leading space, once
 * needed for tokenisation, is trimmed; the prompt becomes the user turn.
 */
export const promptCompletion: RecordConverter = {
  format: 'prompt-completion',
  produces: 'chat',
  matches: (r) => 'prompt' in r && 'completion' in r,
  convert(r) {
    const prompt = text(r.prompt);
    if (!prompt) return fail('"prompt" is empty or not a string');
    const completion = text(r.completion);
    if (!completion) return fail('"completion" is empty or not a string');
    const messages: ChatMessage[] = [];
    const system = text(r.system);
    if (system) messages.push({ role: 'system', content: system });
    messages.push({ role: 'user', content: prompt.trim() }, { role: 'assistant', content: completion.trim() });
    return ok({ kind: 'chat', messages });
  },
};
