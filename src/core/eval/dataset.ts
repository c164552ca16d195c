/**
 * Held-out chat examples for `llmgw eval`, streamed from a JSONL file. In each example the last
 * assistant turn is the reference and every turn before it is the prompt; the example's `tools`,
 * `tool_choice`, `parallel_tool_calls` and `response_format` are sent along. Lines that cannot be
 * an example (bad JSON, no assistant turn) are skipped and reported, never sent.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { readLines } from '../dataset/lines.js';
import type { ChatMessage, InferenceRequest, ResponseFormat, ToolCall, ToolDefinition } from '../inference/types.js';

export interface Reference {
  text: string;
  toolCalls: ToolCall[];
}

export interface EvalExample {
  /** 1-based line in the file. */
  line: number;
  /** The prompt turns and the example's tools and response format. */
  request: InferenceRequest;
  reference: Reference;
  /** sha256 of the line's text: the example's identity for seeded sampling. */
  id: string;
}

export interface SkippedLine {
  line: number;
  reason: string;
}

export type ParsedLine = { ok: true; example: EvalExample } | { ok: false; skipped: SkippedLine };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text of a message's content: a string, or the text parts of a list joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : '')).join('');
}

function toolCallsOf(message: Obj): ToolCall[] {
  if (!Array.isArray(message.tool_calls)) return [];
  return message.tool_calls.filter(isObj).map((tc) => {
    const fn = isObj(tc.function) ? tc.function : {};
    const args = fn.arguments;
    return { name: typeof fn.name === 'string' ? fn.name : '', arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
  });
}

/** One line of the file as an example, or the reason it cannot be one. Pure. */
export function parseExample(text: string, line: number): ParsedLine {
  const skip = (reason: string): ParsedLine => ({ ok: false, skipped: { line, reason } });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return skip('not valid JSON');
  }
  if (!isObj(value) || !Array.isArray(value.messages)) return skip('no "messages" list (expected chat JSONL: {"messages": [...]})');
  const messages = value.messages;
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m: unknown = messages[i];
    if (isObj(m) && m.role === 'assistant') {
      last = i;
      break;
    }
  }
  if (last === -1) return skip('no assistant turn to compare answers with');
  if (last === 0) return skip('the assistant turn is the first message, so there is no prompt before it');
  const prompt = messages.slice(0, last);
  if (!prompt.every((m) => isObj(m) && typeof m.role === 'string')) return skip('a message before the reference has no "role"');
  const ref = messages[last] as Obj;
  const request: InferenceRequest = { messages: prompt as ChatMessage[] };
  if (Array.isArray(value.tools) && value.tools.length > 0) request.tools = value.tools as ToolDefinition[];
  if (value.tool_choice !== undefined) request.toolChoice = value.tool_choice;
  if (typeof value.parallel_tool_calls === 'boolean') request.parallelToolCalls = value.parallel_tool_calls;
  if (isObj(value.response_format)) request.responseFormat = value.response_format as unknown as ResponseFormat;
  return {
    ok: true,
    example: { line, request, reference: { text: contentText(ref.content), toolCalls: toolCallsOf(ref) }, id: createHash('sha256').update(text).digest('hex') },
  };
}

export interface ReadOptions {
  signal?: AbortSignal | undefined;
  /** Called for each line that is not an example. */
  onSkip?: (s: SkippedLine) => void;
  /** Receives every byte of the file (for its sha256). */
  onBytes?: (chunk: Buffer) => void;
}

/** Streams the examples of a file; memory holds one read and one line at a time. */
export async function* readExamples(path: string, opts: ReadOptions = {}): AsyncGenerator<EvalExample> {
  await assertReadable(path);
  for await (const raw of readLines(chunks(path, opts.onBytes), { signal: opts.signal })) {
    if (raw.blank) continue;
    if (raw.text === null) {
      opts.onSkip?.({ line: raw.line, reason: 'line too long to read' });
      continue;
    }
    const parsed = parseExample(raw.text, raw.line);
    if (parsed.ok) yield parsed.example;
    else opts.onSkip?.(parsed.skipped);
  }
}

async function* chunks(path: string, onBytes: ((chunk: Buffer) => void) | undefined): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    onBytes?.(chunk as Buffer);
    yield chunk as Buffer;
  }
}

async function assertReadable(path: string): Promise<void> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
  } catch {
    throw new UsageError('data_not_found', `Cannot read the held-out data ${path}: there is no such file.`, {
      hint: 'pass a chat JSONL file with --data (e.g. the validation split `llmgw dataset split` writes)',
    });
  }
}

/** The sha256 of a file's bytes, fed chunk by chunk. */
export function fileHasher(): { update(chunk: Buffer): void; digest(): string } {
  const h = createHash('sha256');
  return { update: (c) => h.update(c), digest: () => h.digest('hex') };
}
