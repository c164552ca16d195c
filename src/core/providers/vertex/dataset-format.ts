/**
 * `dataset convert --to gemini`: validated OpenAI chat examples and preference pairs as Vertex AI
 * tuning JSONL (format/), one line each. An example Vertex cannot represent is skipped with the
 * reason; every field dropped on the way comes back as a note, which the convert report counts.
 */
import type { FormatResult, OutputFormat } from '../../dataset/convert/targets.js';
import { chatToGemini, preferenceToGemini } from './format/index.js';

export const geminiFormat: OutputFormat = {
  summary: 'Vertex AI Gemini tuning JSONL ({"systemInstruction", "contents"}; preference pairs as {"contents", "completions"})',
  accepts: ['chat', 'preference'],
  create: () => ({
    write(example): FormatResult {
      const r = example.kind === 'chat' ? chatToGemini(example.value) : preferenceToGemini(example.value);
      return 'line' in r ? { line: r.line, notes: r.notes } : { skip: r.skip, notes: r.notes };
    },
  }),
};
