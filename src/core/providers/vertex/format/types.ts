/**
 * Vertex AI's tuning data shapes (one JSON object per line of a JSONL file in Cloud Storage), as
 * the "prepare supervised tuning data" and "prepare preference tuning data" pages show them.
 * Field names are the proto3 JSON (lowerCamelCase) names, which the service also reads for the
 * snake_case spellings some examples use (`system_instruction`).
 */
import type { IssueCode } from '../../../dataset/issues.js';

export interface GeminiPart {
  text?: string;
  fileData?: { mimeType: string; fileUri: string };
  functionCall?: { name: string; args: Record<string, unknown> };
  functionResponse?: { name: string; response: Record<string, unknown> };
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

/** A supervised tuning example: the conversation ends with a `model` turn. */
export interface GeminiChatExample {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
  tools?: { functionDeclarations: GeminiFunctionDeclaration[] }[];
}

/** A preference tuning example: text contents ending with a `user` turn, and two scored completions. */
export interface GeminiPreferenceExample {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
  completions: [{ score: 1; completion: GeminiContent }, { score: 0; completion: GeminiContent }];
}

/**
 * What converting one example gives: the line to write, or why it cannot be written. `notes` say
 * what changed on the way (a field without a Gemini equivalent, merged turns), so a caller can
 * report every one of them: nothing is dropped silently.
 */
export type GeminiConversion = { line: GeminiChatExample | GeminiPreferenceExample; notes: string[] } | { skip: string; code?: IssueCode; notes: string[] };
