/**
 * A line already in Vertex's shape (`contents`, optional `systemInstruction`/`tools`; a
 * preference example's `completions`) read as the OpenAI example llmgw's rules check, so `tune
 * start --provider vertex` and `dataset validate --target vertex` take either format. The original
 * line rides along (`GEMINI_LINE`), and the Vertex profile checks it against Vertex's own rules.
 * What only Vertex forbids (another role than `user`/`model`, an empty turn…) the profile reports.
 */

/** The original Vertex line, on the OpenAI example read from it. */
export const GEMINI_LINE = Symbol('llmgw.geminiLine');

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function texts(parts: unknown): string {
  return list(parts)
    .map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : ''))
    .join('');
}

/** JSON Schema from Vertex's `Schema`: types lower-cased, `nullable` folded into the type. */
function jsonSchema(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonSchema);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'type' && typeof x === 'string') out.type = v.nullable === true ? [x.toLowerCase(), 'null'] : x.toLowerCase();
    else if (k !== 'nullable') out[k] = k === 'properties' && isRecord(x) ? Object.fromEntries(Object.entries(x).map(([p, s]) => [p, jsonSchema(s)])) : jsonSchema(x);
  }
  return out;
}

/** One Vertex turn as OpenAI messages (a user turn with function responses becomes tool messages first). */
function messagesOf(turn: unknown, calls: Map<string, string[]>, next: () => string): Record<string, unknown>[] {
  if (!isRecord(turn)) return [{ role: undefined, content: null }];
  // Another role is reported by the Vertex profile, on the line itself.
  const role = turn.role === 'user' ? 'user' : 'assistant';
  const out: Record<string, unknown>[] = [];
  const content: Record<string, unknown>[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  for (const part of list(turn.parts)) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') content.push({ type: 'text', text: part.text });
    else if (isRecord(part.fileData)) {
      const { mimeType, fileUri } = part.fileData;
      content.push(typeof mimeType === 'string' && mimeType.startsWith('image/') ? { type: 'image_url', image_url: { url: fileUri } } : { type: 'text', text: `[${String(mimeType)} ${String(fileUri)}]` });
    } else if (isRecord(part.functionCall)) {
      const id = next();
      const name = String(part.functionCall.name);
      calls.set(name, [...(calls.get(name) ?? []), id]);
      toolCalls.push({ id, type: 'function', function: { name, arguments: JSON.stringify(part.functionCall.args ?? {}) } });
    } else if (isRecord(part.functionResponse)) {
      const name = String(part.functionResponse.name);
      const id = calls.get(name)?.shift() ?? `unmatched_${name}`;
      out.push({ role: 'tool', tool_call_id: id, content: JSON.stringify(part.functionResponse.response ?? {}) });
    } else content.push({ type: 'vertex_part', keys: Object.keys(part) });
  }
  if (content.length > 0 || toolCalls.length > 0 || out.length === 0) {
    const plain = content.every((c) => c.type === 'text');
    const message: Record<string, unknown> = { role, content: content.length === 0 ? null : plain ? content.map((c) => c.text).join('') : content };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    out.push(message);
  }
  return out;
}

/** The OpenAI example a Vertex line reads as (with the line under `GEMINI_LINE`), or undefined for any other value. */
export function readGeminiLine(value: unknown): unknown {
  if (!isRecord(value) || !('contents' in value) || 'messages' in value || 'input' in value) return undefined;
  let n = 0;
  const next = (): string => `call_${++n}`;
  const calls = new Map<string, string[]>();
  const system = value.systemInstruction ?? value.system_instruction;
  const messages: Record<string, unknown>[] = isRecord(system) ? [{ role: 'system', content: texts(system.parts) }] : [];
  for (const turn of list(value.contents)) messages.push(...messagesOf(turn, calls, next));
  const tools = list(value.tools).flatMap((t) => list(isRecord(t) ? t.functionDeclarations : undefined));
  const functions = tools.map((d) => (isRecord(d) ? { type: 'function', function: { name: d.name, ...(d.description === undefined ? {} : { description: d.description }), ...(d.parameters === undefined ? {} : { parameters: jsonSchema(d.parameters) }) } } : d));
  let example: Record<string, unknown>;
  if ('completions' in value) {
    const completion = (score: number): unknown[] => {
      const c = list(value.completions).find((x) => isRecord(x) && x.score === score);
      return isRecord(c) ? messagesOf(c.completion, new Map(), next) : [];
    };
    example = { input: { messages }, preferred_output: completion(1), non_preferred_output: completion(0) };
  } else {
    example = functions.length > 0 ? { messages, tools: functions } : { messages };
  }
  Object.defineProperty(example, GEMINI_LINE, { value, enumerable: false });
  return example;
}
