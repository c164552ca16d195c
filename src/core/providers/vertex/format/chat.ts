/**
 * One OpenAI chat example → one Vertex supervised tuning example:
 * - system (and developer) messages → `systemInstruction` parts, in order;
 * - `assistant` → `model`; `tool_calls` → `functionCall` parts with the arguments parsed;
 * - `tool` messages → `functionResponse` parts in a `user` turn, named after the call they answer;
 * - consecutive turns of the same role are merged (Gemini alternates user and model);
 * - `tools` → `functionDeclarations`.
 * What has no Gemini equivalent (`weight`, `name`, `audio`, `parallel_tool_calls`…) is named in
 * the notes. Notes never carry line-specific text, so a caller can count each distinct one.
 */
import { contentParts, systemText, Unconvertible } from './parts.js';
import { convertTools } from './schema.js';
import type { GeminiChatExample, GeminiContent, GeminiConversion, GeminiPart } from './types.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const NOTES = {
  weight: '`weight` has no Gemini equivalent (dropped: Vertex trains on every model turn)',
  weightZero: 'assistant turns with `weight: 0` are trained on by Vertex (it has no per-turn weight)',
  name: 'the `name` of a message has no Gemini equivalent (dropped)',
  audio: 'assistant `audio` references have no Gemini equivalent (dropped)',
  refusal: 'an assistant `refusal` was kept as the turn\'s text',
  parallel: '`parallel_tool_calls` has no Gemini equivalent (dropped)',
  merged: 'consecutive turns of the same role were merged into one turn',
  lateSystem: 'a system message after the first turn was moved into `systemInstruction`',
  emptyTurn: 'a message with no content was left out',
} as const;

const KNOWN_TOP = new Set(['messages', 'tools', 'functions', 'parallel_tool_calls']);
const MESSAGE_KEYS = new Set(['role', 'content', 'tool_calls', 'function_call', 'tool_call_id', 'weight', 'name', 'audio', 'refusal']);

/** A tool call's or tool response's JSON text → an object (Gemini wants a Struct). */
function parseArgs(text: unknown, at: string): Record<string, unknown> {
  if (isRecord(text)) return text;
  if (typeof text !== 'string') throw new Unconvertible(`${at} is not JSON text`, 'invalid_tool_call');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Unconvertible(`${at} is not valid JSON, so it cannot become a Gemini functionCall`, 'invalid_tool_call');
  }
  if (!isRecord(value)) throw new Unconvertible(`${at} is JSON but not an object; Gemini function arguments are an object`, 'invalid_tool_call');
  return value;
}

/** A tool's answer as a Struct: a JSON object as it is, anything else wrapped as `{content}`. */
function responseOf(content: unknown): Record<string, unknown> {
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('') : '';
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value)) return value;
  } catch {
    // plain text: wrapped below
  }
  return { content: text };
}

export function chatToGemini(example: unknown): GeminiConversion {
  const notes = new Set<string>();
  try {
    const line = convertConversation(example, 'model', notes);
    return { line, notes: [...notes] };
  } catch (err) {
    if (err instanceof Unconvertible) return { skip: err.message, code: err.code, notes: [...notes] };
    throw err;
  }
}

/**
 * The walk shared by chat and preference examples: `end` is the role the last turn must have
 * (`model` for supervised examples, `user` for a preference prompt). Throws `Unconvertible`.
 */
export function convertConversation(example: unknown, end: 'user' | 'model', notes: Set<string>): GeminiChatExample {
  if (!isRecord(example) || !Array.isArray(example.messages)) throw new Unconvertible('the example has no `messages` list', 'missing_messages');
  const out: GeminiChatExample = { contents: [] };
  for (const key of Object.keys(example)) if (!KNOWN_TOP.has(key)) notes.add(`the top-level key \`${key}\` has no Gemini equivalent (dropped)`);
  if (example.parallel_tool_calls !== undefined) notes.add(NOTES.parallel);
  const tools = example.tools ?? legacyFunctions(example.functions);
  if (tools !== undefined) {
    const converted = convertTools(tools);
    for (const n of converted.notes) notes.add(n);
    if (converted.tools.length > 0) out.tools = converted.tools;
  }
  const system: { text: string }[] = [];
  const callNames = new Map<string, string>();
  example.messages.forEach((m: unknown, i: number) => {
    const at = `messages[${i}]`;
    if (!isRecord(m) || typeof m.role !== 'string') throw new Unconvertible(`${at} has no role`, 'invalid_role');
    for (const key of Object.keys(m)) if (!MESSAGE_KEYS.has(key)) notes.add(`the message key \`${key}\` has no Gemini equivalent (dropped)`);
    if (m.name !== undefined && m.role !== 'function') notes.add(NOTES.name);
    if (m.role === 'system' || m.role === 'developer') {
      if (out.contents.length > 0) notes.add(NOTES.lateSystem);
      const text = systemText(m.content, at);
      if (text !== '') system.push({ text });
      return;
    }
    const turn = turnOf(m, at, callNames, notes);
    if (turn.parts.length === 0) {
      notes.add(NOTES.emptyTurn);
      return;
    }
    const last = out.contents[out.contents.length - 1];
    if (last && last.role === turn.role) {
      last.parts.push(...turn.parts);
      notes.add(NOTES.merged);
    } else out.contents.push(turn);
  });
  if (system.length > 0) out.systemInstruction = { parts: system };
  const last = out.contents[out.contents.length - 1];
  if (!last) throw new Unconvertible('the example has no user or assistant turn', 'invalid_role');
  if (last.role !== end) {
    throw new Unconvertible(
      end === 'model'
        ? 'the example does not end with an assistant turn (Vertex trains on the model turns and needs the last turn to be one)'
        : 'the preference prompt does not end with a user turn',
      'invalid_role',
    );
  }
  // Key order as in Google's examples: systemInstruction, contents, tools.
  return { ...(out.systemInstruction ? { systemInstruction: out.systemInstruction } : {}), contents: out.contents, ...(out.tools ? { tools: out.tools } : {}) };
}

export function turnOf(m: Record<string, unknown>, at: string, callNames: Map<string, string>, notes: Set<string>): GeminiContent {
  switch (m.role) {
    case 'user':
      return { role: 'user', parts: contentParts(m.content, at) };
    case 'assistant':
      return { role: 'model', parts: assistantParts(m, at, callNames, notes) };
    case 'tool': {
      const id = m.tool_call_id;
      const name = typeof id === 'string' ? callNames.get(id) : undefined;
      if (name === undefined) throw new Unconvertible(`${at} answers tool call ${JSON.stringify(id)}, which no earlier assistant turn made`, 'unmatched_tool_message');
      return { role: 'user', parts: [{ functionResponse: { name, response: responseOf(m.content) } }] };
    }
    case 'function':
      if (typeof m.name !== 'string') throw new Unconvertible(`${at} is a function result without a name`, 'unmatched_tool_message');
      return { role: 'user', parts: [{ functionResponse: { name: m.name, response: responseOf(m.content) } }] };
    default:
      throw new Unconvertible(`${at} has the role ${JSON.stringify(m.role)}, which has no Gemini equivalent`, 'invalid_role');
  }
}

function assistantParts(m: Record<string, unknown>, at: string, callNames: Map<string, string>, notes: Set<string>): GeminiPart[] {
  const parts = contentParts(m.content, at);
  if (typeof m.refusal === 'string' && m.refusal !== '') {
    parts.push({ text: m.refusal });
    notes.add(NOTES.refusal);
  }
  if (m.weight !== undefined) notes.add(m.weight === 0 ? NOTES.weightZero : NOTES.weight);
  if (m.audio !== undefined) notes.add(NOTES.audio);
  if (Array.isArray(m.tool_calls)) {
    m.tool_calls.forEach((call: unknown, j: number) => {
      const where = `${at}.tool_calls[${j}]`;
      if (!isRecord(call) || !isRecord(call.function) || typeof call.function.name !== 'string') throw new Unconvertible(`${where} is not a function call`, 'invalid_tool_call');
      if (typeof call.id === 'string') callNames.set(call.id, call.function.name);
      parts.push({ functionCall: { name: call.function.name, args: parseArgs(call.function.arguments, `${where}.function.arguments`) } });
    });
  }
  if (isRecord(m.function_call) && typeof m.function_call.name === 'string') {
    parts.push({ functionCall: { name: m.function_call.name, args: parseArgs(m.function_call.arguments, `${at}.function_call.arguments`) } });
  }
  return parts;
}

/** Legacy `functions: [{name, description, parameters}]` as `tools`. */
function legacyFunctions(functions: unknown): unknown {
  return Array.isArray(functions) ? functions.map((f) => ({ type: 'function', function: f })) : undefined;
}
