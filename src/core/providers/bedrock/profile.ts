/**
 * Bedrock's validation profile (`dataset validate --target bedrock`, `tune start --provider
 * bedrock`). Without a model it reports what no Bedrock model can take (images, legacy
 * functions, a system message mid-conversation); for a model (`bedrockProfile(id)`) it applies
 * that model's whole format, the same rules the upload converts with.
 */
import { makeIssue, type Issue, type IssueCode, type Loc } from '../../dataset/issues.js';
import type { ValidationProfile } from '../../dataset/profile.js';
import { describeFormat, prepareExample, type LineProblem } from './format/index.js';
import { isOpenAIChat, readOpenAIChat } from './format/openai.js';
import { BEDROCK_LINE, nativeFormatOf, readBedrockLine } from './format/reverse.js';
import { UsageError } from '../../errors.js';
import { BEDROCK_MODELS, findBedrockModel, similarModels } from './models.js';

/** The catalogue code closest to a Bedrock problem (the message says the Bedrock rule). */
function codeOf(p: LineProblem): IssueCode {
  if (/\.role$/.test(p.field) || /alternate|first message|last message/.test(p.message)) return 'invalid_role';
  if (/tool/i.test(p.message) || p.field === 'functions') return 'unknown_key';
  if (/content|part|reserved|contains "/.test(p.field + p.message)) return 'invalid_content_type';
  return 'model_cannot_train';
}

const FIX = 'change the example as the message says (Bedrock checks its training files before the job runs)';

const toIssues = (problems: LineProblem[], loc: Loc, model: string): Issue[] =>
  problems.map((p) => makeIssue(codeOf(p), loc, p.field || null, p.message.startsWith(model) ? p.message : `${model}: ${p.message}`, FIX));

const FORMAT_NAMES = { conversation: 'bedrock-conversation-2024', claude: 'Claude ({"system", "messages"})', 'prompt-completion': 'prompt/completion' } as const;

export function bedrockProfile(modelId?: string): ValidationProfile {
  const model = modelId === undefined ? undefined : findBedrockModel(modelId);
  return {
    name: 'bedrock',
    ...(model ? { model: model.id } : {}),
    minExamples: 1,
    recommendedExamples: 100,
    kinds: ['chat'],
    // A line already in a Bedrock format is checked as written, against the model's format (or,
    // without a model, against the format it is in); the base rules see the example it stands for.
    readExample: readBedrockLine,
    checkExample(value, kind, loc) {
      const line = (value as { [BEDROCK_LINE]?: unknown })[BEDROCK_LINE];
      if (line !== undefined) {
        const format = nativeFormatOf(line);
        if (model && format !== undefined && format !== model.format) {
          return [makeIssue('model_cannot_train', loc, null, `${model.name}: the line is in the ${FORMAT_NAMES[format]} format, but ${model.name} trains on ${describeFormat(model)}`, `write the data as OpenAI chat JSONL and let llmgw convert it (\`llmgw dataset convert --to bedrock --model ${model.id}\`, or tune start does it on the upload), or pick a model of this format with --model`)];
        }
        const target = model ?? BEDROCK_MODELS.find((m) => m.format === format && m.tools && m.multiTurn) ?? BEDROCK_MODELS.find((m) => m.format === format);
        if (!target) return [];
        const prepared = prepareExample(target, line);
        return prepared.ok ? [] : toIssues(prepared.problems, loc, model ? target.name : 'Bedrock');
      }
      if (kind !== 'chat' || !isOpenAIChat(value)) return [];
      if (model) {
        const prepared = prepareExample(model, value);
        return prepared.ok ? [] : toIssues(prepared.problems, loc, model.name);
      }
      const read = readOpenAIChat(value);
      return read.ok ? [] : toIssues(read.problems, loc, 'Bedrock');
    },
  };
}

/** The profile of one Bedrock model from the table; any other id is a usage error naming the models it can be. */
export function bedrockModelProfile(modelId: string): ValidationProfile {
  const model = findBedrockModel(modelId);
  if (!model) {
    const near = similarModels(modelId);
    throw new UsageError('unknown_model', `"${modelId}" is not a Bedrock base model llmgw can fine-tune.`, {
      hint: `${near.length > 0 ? `did you mean ${near.map((m) => m.id).join(' or ')}? ` : ''}use one of ${BEDROCK_MODELS.map((m) => m.id).join(', ')} (the context suffix such as :128k is part of the id)`,
    });
  }
  return bedrockProfile(model.id);
}
