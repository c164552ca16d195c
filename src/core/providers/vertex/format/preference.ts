/**
 * One OpenAI preference pair (`input`, `preferred_output`, `non_preferred_output`) → one Vertex
 * preference tuning example: the prompt's `contents` end with a user turn, and `completions` hold
 * the preferred answer with score 1 and the other with score 0. Vertex preference data is text
 * only and has no tools, so an example with images, tool calls or tools cannot be converted.
 */
import { convertConversation, turnOf } from './chat.js';
import { Unconvertible } from './parts.js';
import type { GeminiContent, GeminiConversion, GeminiPreferenceExample } from './types.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function textOnly(content: GeminiContent, at: string): GeminiContent {
  if (!content.parts.every((p) => typeof p.text === 'string' && Object.keys(p).length === 1)) {
    throw new Unconvertible(`${at} holds more than text; Vertex preference tuning data is text only`, 'preference_not_text');
  }
  return content;
}

function completionOf(output: unknown, at: string, notes: Set<string>): GeminiContent {
  if (!Array.isArray(output) || output.length !== 1 || !isRecord(output[0])) throw new Unconvertible(`${at} must hold exactly one assistant message`, 'preference_output_count');
  const message = output[0];
  if (message.role !== 'assistant') throw new Unconvertible(`${at}[0] is not an assistant message`, 'preference_output_role');
  const turn = textOnly(turnOf(message, `${at}[0]`, new Map(), notes), `${at}[0]`);
  if (turn.parts.length === 0) throw new Unconvertible(`${at}[0] has no text`, 'empty_content');
  return turn;
}

export function preferenceToGemini(example: unknown): GeminiConversion {
  const notes = new Set<string>();
  try {
    if (!isRecord(example) || !isRecord(example.input)) throw new Unconvertible('the pair has no `input`', 'missing_field');
    if (example.input.tools !== undefined || example.input.functions !== undefined) throw new Unconvertible('the pair declares tools; Vertex preference tuning data has no tools', 'preference_not_text');
    for (const key of Object.keys(example)) {
      if (!['input', 'preferred_output', 'non_preferred_output'].includes(key)) notes.add(`the top-level key \`${key}\` has no Gemini equivalent (dropped)`);
    }
    const prompt = convertConversation(example.input, 'user', notes);
    prompt.contents.forEach((c, i) => textOnly(c, `input turn ${i + 1}`));
    const line: GeminiPreferenceExample = {
      ...(prompt.systemInstruction ? { systemInstruction: prompt.systemInstruction } : {}),
      contents: prompt.contents,
      completions: [
        { score: 1, completion: completionOf(example.preferred_output, 'preferred_output', notes) },
        { score: 0, completion: completionOf(example.non_preferred_output, 'non_preferred_output', notes) },
      ],
    };
    return { line, notes: [...notes] };
  } catch (err) {
    if (err instanceof Unconvertible) return { skip: err.message, code: err.code, notes: [...notes] };
    throw err;
  }
}
