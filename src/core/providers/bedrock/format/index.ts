/**
 * One training example made ready for a Bedrock base model: an OpenAI chat example is converted
 * to the model's format; a line already in that format is checked as it is. Pure, so
 * `dataset convert --to bedrock`, `dataset validate --target bedrock` and the streaming upload
 * of `tune start` share the same rules and report the same problems.
 */
import type { BedrockModel } from '../models.js';
import { checkConversation, exampleTexts, reservedWordProblems, writeConversation } from './conversation.js';
import { checkTurns, isOpenAIChat, readOpenAIChat, toolProblems, type ChatExample, type LineProblem } from './openai.js';

export type { LineProblem } from './openai.js';

export type Prepared =
  | { ok: true; value: Record<string, unknown>; /** What was dropped or folded on the way, e.g. `weight`. */ notes: string[]; converted: boolean }
  | { ok: false; problems: LineProblem[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The example in the model's format, or every reason it cannot be. */
export function prepareExample(model: BedrockModel, value: unknown): Prepared {
  if (isOpenAIChat(value)) return convert(model, value);
  if (isObject(value)) {
    const problems = checkNative(model, value);
    if (problems) return problems.length > 0 ? { ok: false, problems } : { ok: true, value, notes: [], converted: false };
  }
  return { ok: false, problems: [{ field: '', message: `not an OpenAI chat example ({"messages": [...]}) nor a ${describeFormat(model)} example` }] };
}

export function describeFormat(model: BedrockModel): string {
  return model.format === 'claude' ? 'Claude ({"system", "messages"})' : model.format === 'conversation' ? 'bedrock-conversation-2024' : 'prompt/completion';
}

function convert(model: BedrockModel, value: unknown): Prepared {
  const read = readOpenAIChat(value);
  if (!read.ok) return read;
  const example = read.value;
  const problems = [...checkTurns(example, { multiTurn: model.multiTurn }), ...(model.tools ? [] : toolProblems(example, model.name))];
  if (model.family === 'nova' || model.family === 'nova-2') problems.push(...reservedWordProblems(exampleTexts(example)));
  if (problems.length > 0) return { ok: false, problems };
  const notes = [...example.notes];
  if (model.format === 'conversation') return { ok: true, value: writeConversation(example), notes, converted: true };
  if (model.format === 'claude') return { ok: true, value: writeClaude(example), notes, converted: true };
  if (example.system.some((s) => s.trim() !== '')) notes.push('system folded into prompt');
  return { ok: true, value: writePromptCompletion(example), notes, converted: true };
}

/** Anthropic's shape: the system prompt as one string, messages with string content. */
function writeClaude(example: ChatExample): Record<string, unknown> {
  const system = example.system.filter((s) => s.trim() !== '').join('\n\n');
  const messages = example.turns.map((t) => ({ role: t.role, content: t.text }));
  return system ? { system, messages } : { messages };
}

/** One question and its answer; a system prompt goes before the question. */
function writePromptCompletion(example: ChatExample): Record<string, unknown> {
  const system = example.system.filter((s) => s.trim() !== '').join('\n\n');
  const user = example.turns[0]?.text ?? '';
  return { prompt: system ? `${system}\n\n${user}` : user, completion: example.turns[1]?.text ?? '' };
}

/** Problems of a line already in the model's format; undefined when it is not that format at all. */
function checkNative(model: BedrockModel, value: Record<string, unknown>): LineProblem[] | undefined {
  if (model.format === 'conversation') return 'schemaVersion' in value || Array.isArray(value.system) ? checkConversation(model, value) : undefined;
  if (model.format === 'prompt-completion') {
    if (!('prompt' in value) && !('completion' in value)) return undefined;
    const problems: LineProblem[] = [];
    for (const key of ['prompt', 'completion']) {
      if (typeof value[key] !== 'string' || (value[key] as string).trim() === '') problems.push({ field: key, message: `"${key}" must be a non-empty string` });
    }
    for (const key of Object.keys(value)) if (key !== 'prompt' && key !== 'completion') problems.push({ field: key, message: `unexpected key "${key}" (only "prompt" and "completion")` });
    return problems;
  }
  if (!('system' in value) || !Array.isArray(value.messages)) return undefined;
  return checkClaude(value);
}

/** Anthropic's rules: optional string system, ≥2 messages, user first, assistant last, alternating, string content, no other keys. */
function checkClaude(value: Record<string, unknown>): LineProblem[] {
  const problems: LineProblem[] = [];
  for (const key of Object.keys(value)) if (key !== 'system' && key !== 'messages') problems.push({ field: key, message: `unexpected key "${key}" (only "system" and "messages")` });
  if (value.system !== undefined && typeof value.system !== 'string') problems.push({ field: 'system', message: 'system must be a string' });
  const messages = value.messages as unknown[];
  if (messages.length < 2) problems.push({ field: 'messages', message: 'there must be at least two messages' });
  messages.forEach((m, i) => {
    const field = `messages[${i}]`;
    if (!isObject(m)) return problems.push({ field, message: 'a message must be an object' });
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (m.role !== expected) problems.push({ field: `${field}.role`, message: `expected "${expected}": the first message is from the user and the two alternate` });
    if (typeof m.content !== 'string' || m.content.trim() === '') problems.push({ field: `${field}.content`, message: 'content must be a non-empty string' });
    for (const key of Object.keys(m)) if (key !== 'role' && key !== 'content') problems.push({ field: `${field}.${key}`, message: `unexpected key "${key}"` });
  });
  const last = messages.at(-1);
  if (isObject(last) && last.role !== 'assistant') problems.push({ field: `messages[${messages.length - 1}].role`, message: "the last message must be the assistant's answer" });
  return problems;
}
