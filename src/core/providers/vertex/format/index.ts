/**
 * Vertex tuning data from whatever llmgw is given: OpenAI chat examples and preference pairs are
 * converted (chat.ts, preference.ts); lines already in Vertex's shape pass through unchanged.
 * `geminiShape` tells which is which from a line's top-level keys.
 */
import { chatToGemini } from './chat.js';
import { preferenceToGemini } from './preference.js';
import type { GeminiConversion } from './types.js';

export type { GeminiChatExample, GeminiContent, GeminiConversion, GeminiPart, GeminiPreferenceExample } from './types.js';
export { chatToGemini } from './chat.js';
export { preferenceToGemini } from './preference.js';

/** What one parsed line is: OpenAI chat, OpenAI preference, Vertex supervised, Vertex preference, or neither. */
export type LineShape = 'openai-chat' | 'openai-preference' | 'gemini-chat' | 'gemini-preference' | 'unknown';

export function geminiShape(value: unknown): LineShape {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'unknown';
  if ('messages' in value) return 'openai-chat';
  if ('input' in value || 'preferred_output' in value) return 'openai-preference';
  if ('completions' in value) return 'gemini-preference';
  if ('contents' in value) return 'gemini-chat';
  return 'unknown';
}

/** Converts an OpenAI example to Vertex's shape; a Vertex line is returned as it is. */
export function toGemini(value: unknown): GeminiConversion {
  switch (geminiShape(value)) {
    case 'openai-chat':
      return chatToGemini(value);
    case 'openai-preference':
      return preferenceToGemini(value);
    case 'gemini-chat':
    case 'gemini-preference':
      return { line: value as GeminiConversion extends { line: infer L } ? L : never, notes: [] };
    default:
      return { skip: 'the line is neither an OpenAI chat example, an OpenAI preference pair nor a Vertex tuning example', notes: [] };
  }
}
