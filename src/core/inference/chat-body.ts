/**
 * The request body of an OpenAI-compatible `POST /chat/completions` for an `InferenceRequest`,
 * and the reader that folds a streamed answer's chunks back into one answer.
 */
import type { ChatMessage, InferenceRequest, ToolCall } from './types.js';

/** The message fields chat completions accept; training-only fields (`weight`) are dropped. */
const MESSAGE_FIELDS = ['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'refusal'] as const;

export function wireMessage(m: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of MESSAGE_FIELDS) {
    const value = (m as unknown as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

export interface BodyOptions {
  /** `max_completion_tokens` (OpenAI, Azure) or `max_tokens` (most OpenAI-compatible servers). */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  stream: boolean;
}

export function chatBody(model: string, req: InferenceRequest, opts: BodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: req.messages.map(wireMessage) };
  if (req.tools?.length) body.tools = req.tools;
  if (req.toolChoice !== undefined) body.tool_choice = req.toolChoice;
  if (req.parallelToolCalls !== undefined && req.tools?.length) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.responseFormat) body.response_format = req.responseFormat;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.maxTokens !== undefined) body[opts.maxTokensField] = req.maxTokens;
  if (req.seed !== undefined) body.seed = req.seed;
  if (opts.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

interface ChunkToolCall {
  index?: number;
  function?: { name?: string | null; arguments?: string | null } | null;
}

interface Chunk {
  model?: string;
  choices?: { delta?: { content?: string | null; tool_calls?: ChunkToolCall[] | null } | null; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/** Folds streamed chunks into an answer; `firstContent` is called once, at the first text or tool call. */
export class StreamFold {
  text = '';
  finishReason: string | null = null;
  model: string | null = null;
  inputTokens: number | null = null;
  outputTokens: number | null = null;
  private readonly calls: { name: string; arguments: string }[] = [];
  private seenContent = false;

  constructor(private readonly firstContent: () => void) {}

  add(raw: unknown): void {
    const chunk = raw as Chunk;
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) {
      this.inputTokens = chunk.usage.prompt_tokens ?? this.inputTokens;
      this.outputTokens = chunk.usage.completion_tokens ?? this.outputTokens;
    }
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta;
      if (delta?.content) {
        this.mark();
        this.text += delta.content;
      }
      for (const tc of delta?.tool_calls ?? []) {
        this.mark();
        const i = tc.index ?? this.calls.length;
        const call = (this.calls[i] ??= { name: '', arguments: '' });
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  toolCalls(): ToolCall[] {
    return this.calls.filter((c) => c !== undefined);
  }

  private mark(): void {
    if (this.seenContent) return;
    this.seenContent = true;
    this.firstContent();
  }
}

interface Completion {
  model?: string;
  choices?: { message?: { content?: string | null; tool_calls?: { function?: { name?: string; arguments?: string } }[] | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/** A non-streamed completion's first choice as text, tool calls and usage. */
export function readCompletion(raw: unknown): { text: string; toolCalls: ToolCall[]; finishReason: string | null; model: string | null; inputTokens: number | null; outputTokens: number | null } {
  const c = raw as Completion;
  const choice = c.choices?.[0];
  return {
    text: choice?.message?.content ?? '',
    toolCalls: (choice?.message?.tool_calls ?? []).map((t) => ({ name: t.function?.name ?? '', arguments: t.function?.arguments ?? '' })),
    finishReason: choice?.finish_reason ?? null,
    model: c.model ?? null,
    inputTokens: c.usage?.prompt_tokens ?? null,
    outputTokens: c.usage?.completion_tokens ?? null,
  };
}
