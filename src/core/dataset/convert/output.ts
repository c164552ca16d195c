import type { ChatMessage, Conversation, OutputKind } from './types.js';

/** `--system TEXT`: replaces the first system message, or adds one in front. */
export function withSystem(messages: ChatMessage[], system: string | undefined): ChatMessage[] {
  if (system === undefined) return messages;
  const at = messages.findIndex((m) => m.role === 'system');
  if (at === -1) return [{ role: 'system', content: system }, ...messages];
  return messages.map((m, i) => (i === at ? { ...m, content: system } : m));
}

/**
 * A conversation as one line of OpenAI's format: chat (`{messages}`) or DPO preference
 * (`{input: {messages}, preferred_output, non_preferred_output}`). A preference pair written as
 * chat keeps the chosen answer (supervised training on the preferred outputs).
 */
export function toOpenAI(conv: Conversation, to: OutputKind, system?: string): Record<string, unknown> | string {
  if (conv.kind === 'chat') {
    if (to === 'preference') return 'a chat example has no rejected answer, so it cannot become a preference pair';
    return { messages: withSystem(conv.messages, system), ...conv.extras };
  }
  const prompt = withSystem(conv.prompt, system);
  if (to === 'chat') return { messages: [...prompt, conv.chosen] };
  return { input: { messages: prompt }, preferred_output: [conv.chosen], non_preferred_output: [conv.rejected] };
}
