/**
 * Reading one OpenAI chat example (`{"messages": [...], "tools"?: [...]}`) into the neutral turns
 * the Bedrock writers share: the system texts, then user and assistant turns with their text,
 * tool calls and tool results. What no Bedrock format can carry is a problem on the example.
 */

export interface LineProblem {
  /** Where in the example, e.g. `messages[2].content`. */
  field: string;
  message: string;
}

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface Turn {
  role: 'user' | 'assistant';
  /** The message's text; empty for a turn that only calls tools or only answers them. */
  text: string;
  toolCalls: ToolCall[];
  toolResults: { id: string; text: string }[];
  /** Index of the source message, for problems. */
  index: number;
}

export interface ToolDefinition {
  name: string;
  description: string | undefined;
  parameters: unknown;
}

export interface ChatExample {
  system: string[];
  turns: Turn[];
  tools: ToolDefinition[];
  /** What was dropped on the way (e.g. `weight`), for the report. */
  notes: string[];
}

export type Read<T> = { ok: true; value: T } | { ok: false; problems: LineProblem[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when the value looks like an OpenAI chat example (whatever its faults). */
export function isOpenAIChat(value: unknown): boolean {
  return isObject(value) && Array.isArray(value.messages) && !('schemaVersion' in value) && !('system' in value);
}

/** A message's text: a string, or the text parts of a content list (images cannot be carried). */
function contentText(content: unknown, field: string, problems: LineProblem[]): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) {
    problems.push({ field, message: 'content must be a string or a list of parts' });
    return '';
  }
  const texts: string[] = [];
  content.forEach((part, i) => {
    if (isObject(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    else problems.push({ field: `${field}[${i}]`, message: `a ${isObject(part) && typeof part.type === 'string' ? `"${part.type}"` : 'non-text'} part cannot be carried: llmgw writes Bedrock text examples only` });
  });
  return texts.join('\n');
}

function readToolCalls(calls: unknown, field: string, problems: LineProblem[]): ToolCall[] {
  if (calls === undefined || calls === null) return [];
  if (!Array.isArray(calls)) {
    problems.push({ field, message: 'tool_calls must be a list' });
    return [];
  }
  const out: ToolCall[] = [];
  calls.forEach((call, i) => {
    const fn = isObject(call) ? call.function : undefined;
    if (!isObject(call) || typeof call.id !== 'string' || !isObject(fn) || typeof fn.name !== 'string') {
      problems.push({ field: `${field}[${i}]`, message: 'a tool call needs an "id" and a "function" with a "name"' });
      return;
    }
    let input: unknown = {};
    if (typeof fn.arguments === 'string' && fn.arguments.trim() !== '') {
      try {
        input = JSON.parse(fn.arguments);
      } catch {
        problems.push({ field: `${field}[${i}].function.arguments`, message: 'arguments are not valid JSON' });
        return;
      }
    }
    if (!isObject(input)) {
      problems.push({ field: `${field}[${i}].function.arguments`, message: 'arguments must be a JSON object' });
      return;
    }
    out.push({ id: call.id, name: fn.name, input });
  });
  return out;
}

function readTools(tools: unknown, problems: LineProblem[]): ToolDefinition[] {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) {
    problems.push({ field: 'tools', message: 'tools must be a list' });
    return [];
  }
  const out: ToolDefinition[] = [];
  tools.forEach((tool, i) => {
    const fn = isObject(tool) ? tool.function : undefined;
    if (!isObject(fn) || typeof fn.name !== 'string') {
      problems.push({ field: `tools[${i}]`, message: 'a tool needs a "function" with a "name"' });
      return;
    }
    out.push({ name: fn.name, description: typeof fn.description === 'string' ? fn.description : undefined, parameters: fn.parameters });
  });
  return out;
}

/** The example as neutral turns; consecutive tool answers join one user turn, as Bedrock expects. */
export function readOpenAIChat(value: unknown): Read<ChatExample> {
  if (!isObject(value) || !Array.isArray(value.messages)) return { ok: false, problems: [{ field: 'messages', message: 'an OpenAI chat example needs a "messages" list' }] };
  const problems: LineProblem[] = [];
  const notes: string[] = [];
  const system: string[] = [];
  const turns: Turn[] = [];
  if ('functions' in value || 'function_call' in value) problems.push({ field: 'functions', message: 'legacy "functions" cannot be carried; write them as "tools"' });
  value.messages.forEach((m, i) => {
    const field = `messages[${i}]`;
    if (!isObject(m) || typeof m.role !== 'string') {
      problems.push({ field, message: 'a message needs a "role"' });
      return;
    }
    if (m.weight !== undefined && !notes.includes('weight')) notes.push('weight');
    const text = contentText(m.content, `${field}.content`, problems);
    if (m.role === 'system' || m.role === 'developer') {
      if (turns.length > 0) problems.push({ field: `${field}.role`, message: 'a system message after the conversation has started cannot be carried: Bedrock keeps one system prompt per example' });
      else system.push(text);
      return;
    }
    if (m.role === 'tool') {
      if (typeof m.tool_call_id !== 'string') problems.push({ field: `${field}.tool_call_id`, message: 'a tool message needs the "tool_call_id" it answers' });
      const result = { id: typeof m.tool_call_id === 'string' ? m.tool_call_id : '', text };
      const last = turns.at(-1);
      if (last && last.role === 'user' && last.toolResults.length > 0) last.toolResults.push(result);
      else turns.push({ role: 'user', text: '', toolCalls: [], toolResults: [result], index: i });
      return;
    }
    if (m.role !== 'user' && m.role !== 'assistant') {
      problems.push({ field: `${field}.role`, message: `role "${m.role}" cannot be carried (Bedrock has user and assistant turns)` });
      return;
    }
    if (m.function_call !== undefined) problems.push({ field: `${field}.function_call`, message: 'legacy "function_call" cannot be carried; write it as "tool_calls"' });
    const toolCalls = m.role === 'assistant' ? readToolCalls(m.tool_calls, `${field}.tool_calls`, problems) : [];
    const last = turns.at(-1);
    // A user's words after the tool answers belong to the same user turn.
    if (m.role === 'user' && last && last.role === 'user' && last.toolResults.length > 0 && last.text === '') {
      last.text = text;
      return;
    }
    turns.push({ role: m.role, text, toolCalls, toolResults: [], index: i });
  });
  const tools = readTools(value.tools, problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { system, turns, tools, notes } };
}

/** The turn-order rules every Bedrock format shares: user first, assistant last, strictly alternating, nothing empty. */
export function checkTurns(example: ChatExample, opts: { multiTurn: boolean }): LineProblem[] {
  const { turns } = example;
  const problems: LineProblem[] = [];
  if (turns.length < 2) return [{ field: 'messages', message: 'an example needs at least a user message and an assistant answer' }];
  if (turns[0]?.role !== 'user') problems.push({ field: `messages[${turns[0]?.index ?? 0}].role`, message: 'the first message after the system prompt must be from the user' });
  const last = turns.at(-1);
  if (last?.role !== 'assistant') problems.push({ field: `messages[${last?.index ?? 0}].role`, message: 'the last message must be the assistant\'s answer' });
  turns.forEach((t, i) => {
    const before = turns[i - 1];
    if (before && before.role === t.role) problems.push({ field: `messages[${t.index}].role`, message: `two ${t.role} messages in a row: user and assistant must alternate` });
    if (t.text.trim() === '' && t.toolCalls.length === 0 && t.toolResults.length === 0) problems.push({ field: `messages[${t.index}].content`, message: 'the message is empty' });
  });
  if (!opts.multiTurn && turns.filter((t) => t.role === 'user').length > 1) {
    problems.push({ field: 'messages', message: 'this model trains on one question and one answer per example; split the conversation into single turns' });
  }
  return problems;
}

/** Tools and tool calls, for a model that cannot take them. */
export function toolProblems(example: ChatExample, modelName: string): LineProblem[] {
  const problems: LineProblem[] = [];
  if (example.tools.length > 0) problems.push({ field: 'tools', message: `${modelName} fine-tuning takes no tool definitions` });
  for (const t of example.turns) {
    if (t.toolCalls.length > 0) problems.push({ field: `messages[${t.index}].tool_calls`, message: `${modelName} fine-tuning takes no tool calls` });
    if (t.toolResults.length > 0) problems.push({ field: `messages[${t.index}]`, message: `${modelName} fine-tuning takes no tool results` });
  }
  return problems;
}
