/**
 * `dataset convert --to bedrock --model ID`: each validated OpenAI example written in the base
 * model's Bedrock format, or skipped with every reason the model cannot take it (the same rules
 * the `tune start` upload applies).
 */
import type { FormatWriter, OutputFormat } from '../../dataset/convert/targets.js';
import { UsageError } from '../../errors.js';
import { prepareExample } from './format/index.js';
import { knownModel } from './foundation.js';

export const bedrockFormat: OutputFormat = {
  summary: 'Amazon Bedrock training JSONL for --model ID (Claude, Nova bedrock-conversation-2024, Llama)',
  accepts: ['chat'],
  model: 'required',
  create({ model }): FormatWriter {
    if (!model) throw new UsageError('missing_model', '--to bedrock writes the format of one base model, and none was given.', { hint: 'pass --model, e.g. --model amazon.nova-lite-v1:0:300k' });
    const target = knownModel(model);
    return {
      write(example) {
        const prepared = prepareExample(target, example.value);
        if (!prepared.ok) return { skip: prepared.problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ') };
        return { line: prepared.value, notes: prepared.notes.map((n) => (n === 'weight' ? 'message weight dropped (Bedrock has none)' : n)) };
      },
    };
  },
};
