import type { OpenAIExample } from './targets.js';
import type { ChatMessage, Conversation, OutputKind } from './types.js';

/** `--system TEXT`: replaces the first system message, or adds one in front. */
export function withSystem(messages: ChatMessage[], system: string | undefined): ChatMessage[] {
  if (system === undefined) return messages;
  const at = messages.findIndex((m) => m.role === 'system');
  if (at === -1) return [{ role: 'system', content: system }, ...messages];
  return messages.map((m, i) => (i === at ? { ...m, content: system } : m));
}

/**
 * A conversation as an OpenAI example of `kind`: chat (`{messages}`) or DPO preference
 * (`{input: {messages}, preferred_output, non_preferred_output}`). A preference pair written as
 * chat keeps the chosen answer (supervised training on the preferred outputs); a chat example
 * cannot become a pair (the reason is returned).
 */
export function toOpenAI(conv: Conversation, kind: OutputKind, system?: string): OpenAIExample | string {
  if (conv.kind === 'chat') {
    if (kind === 'preference') return 'a chat example has no rejected answer, so it cannot become a preference pair';
    return { kind: 'chat', value: { messages: withSystem(conv.messages, system), ...conv.extras } };
  }
  const prompt = withSystem(conv.prompt, system);
  if (kind === 'chat') return { kind: 'chat', value: { messages: [...prompt, conv.chosen], ...conv.extras } };
  return { kind: 'preference', value: { input: { messages: prompt, ...conv.extras }, preferred_output: [conv.chosen], non_preferred_output: [conv.rejected] } };
}
