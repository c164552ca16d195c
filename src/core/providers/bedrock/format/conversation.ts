/**
 * The `bedrock-conversation-2024` format (Nova, Llama 3.2): the Converse API's shape, with
 * `system` and each message's `content` as lists of blocks. Written from neutral turns, and
 * checked as it is when a file already holds it.
 */
import type { BedrockModel } from '../models.js';
import type { ChatExample, LineProblem } from './openai.js';

export const SCHEMA_VERSION = 'bedrock-conversation-2024';

/**
 * Words Nova's data preparation guide reserves: a prompt holding one makes the training job
 * fail, so the line is refused before anything is uploaded.
 */
export const NOVA_RESERVED = ['User:', 'Bot:', 'Assistant:', 'System:', '<image>', '<video>', '[EOS]'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function writeConversation(example: ChatExample): Record<string, unknown> {
  const out: Record<string, unknown> = { schemaVersion: SCHEMA_VERSION };
  const system = example.system.filter((s) => s.trim() !== '');
  if (system.length > 0) out.system = [{ text: system.join('\n\n') }];
  out.messages = example.turns.map((t) => {
    const content: Record<string, unknown>[] = [];
    for (const r of t.toolResults) content.push({ toolResult: { toolUseId: r.id, content: [{ text: r.text }] } });
    if (t.text.trim() !== '') content.push({ text: t.text });
    for (const c of t.toolCalls) content.push({ toolUse: { toolUseId: c.id, name: c.name, input: c.input } });
    return { role: t.role, content };
  });
  if (example.tools.length > 0) {
    out.toolConfig = {
      tools: example.tools.map((tool) => ({
        toolSpec: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), inputSchema: { json: tool.parameters ?? { type: 'object', properties: {} } } },
      })),
    };
  }
  return out;
}

/** Reserved words in any text of the example, each once with where it was found. */
export function reservedWordProblems(texts: { field: string; text: string }[]): LineProblem[] {
  const problems: LineProblem[] = [];
  for (const { field, text } of texts) {
    const word = NOVA_RESERVED.find((w) => text.includes(w));
    if (word) problems.push({ field, message: `contains "${word}", a word Nova reserves (a prompt holding ${NOVA_RESERVED.join(' ')} fails the job); reword it` });
  }
  return problems;
}

/** Every text of a neutral example, with where it came from. */
export function exampleTexts(example: ChatExample): { field: string; text: string }[] {
  const texts = example.system.map((text) => ({ field: 'system', text }));
  for (const t of example.turns) {
    texts.push({ field: `messages[${t.index}].content`, text: t.text });
    for (const r of t.toolResults) texts.push({ field: `messages[${t.index}].content`, text: r.text });
  }
  return texts;
}

/** A line already in the conversation format, checked against the model's rules. */
export function checkConversation(model: BedrockModel, value: Record<string, unknown>): LineProblem[] {
  const problems: LineProblem[] = [];
  const texts: { field: string; text: string }[] = [];
  if (typeof value.schemaVersion !== 'string') problems.push({ field: 'schemaVersion', message: `"schemaVersion" must be a string (e.g. "${SCHEMA_VERSION}")` });
  if (value.system !== undefined) {
    if (!Array.isArray(value.system) || !value.system.every((b) => isObject(b) && typeof b.text === 'string')) problems.push({ field: 'system', message: 'system must be a list of {"text": "…"} blocks' });
    else value.system.forEach((b, i) => texts.push({ field: `system[${i}].text`, text: String((b as { text: string }).text) }));
  }
  if (!model.tools && value.toolConfig !== undefined) problems.push({ field: 'toolConfig', message: `${model.name} fine-tuning takes no tool definitions` });
  const messages = value.messages;
  if (!Array.isArray(messages) || messages.length < 2) return [...problems, { field: 'messages', message: 'messages must list at least a user message and an assistant answer' }];
  let users = 0;
  messages.forEach((m, i) => {
    const field = `messages[${i}]`;
    if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) {
      problems.push({ field: `${field}.role`, message: 'role must be "user" or "assistant"' });
      return;
    }
    if (m.role === 'user') users += 1;
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (m.role !== expected) problems.push({ field: `${field}.role`, message: `expected ${expected === 'assistant' ? 'an' : 'a'} ${expected} message here: the first is from the user and the two alternate` });
    if (!Array.isArray(m.content) || m.content.length === 0) {
      problems.push({ field: `${field}.content`, message: 'content must be a non-empty list of blocks' });
      return;
    }
    m.content.forEach((b, j) => {
      const at = `${field}.content[${j}]`;
      if (!isObject(b)) return problems.push({ field: at, message: 'a content block must be an object' });
      if (typeof b.text === 'string') texts.push({ field: `${at}.text`, text: b.text });
      else if (('toolUse' in b || 'toolResult' in b) && !model.tools) problems.push({ field: at, message: `${model.name} fine-tuning takes no tool blocks` });
      else if (!('toolUse' in b) && !('toolResult' in b) && !('image' in b) && !('video' in b) && !('reasoningContent' in b)) problems.push({ field: at, message: 'unknown content block (expected text, image, video, toolUse or toolResult)' });
    });
  });
  if (isObject(messages.at(-1)) && (messages.at(-1) as Record<string, unknown>).role !== 'assistant') problems.push({ field: `messages[${messages.length - 1}].role`, message: "the last message must be the assistant's answer" });
  if (!model.multiTurn && users > 1) problems.push({ field: 'messages', message: 'this model trains on one question and one answer per example' });
  if (model.family === 'nova' || model.family === 'nova-2') problems.push(...reservedWordProblems(texts));
  return problems;
}
