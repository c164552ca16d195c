/**
 * Folding a Bedrock `ConverseStream` answer into one `InferenceResponse`: text from the text
 * deltas, each tool call from its `contentBlockStart` (id, name) and the JSON text fragments of
 * its `toolUse` deltas, the stop reason from `messageStop`, the token usage from `metadata`.
 */
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ToolCall } from '../../inference/types.js';

export class ConverseStreamFold {
  text = '';
  stopReason: string | null = null;
  inputTokens: number | null = null;
  outputTokens: number | null = null;
  /** Tool-use blocks by content block index, in the order they started. */
  private readonly tools = new Map<number, { name: string; input: string }>();
  private sawContent = false;

  /** `onFirstContent` runs once, at the first content delta (text or tool input). */
  constructor(private readonly onFirstContent: () => void) {}

  add(event: ConverseStreamOutput): void {
    if (event.contentBlockStart) {
      const { start, contentBlockIndex } = event.contentBlockStart;
      if (start?.toolUse) this.tools.set(contentBlockIndex ?? this.tools.size, { name: start.toolUse.name ?? '', input: '' });
    } else if (event.contentBlockDelta) {
      const { delta, contentBlockIndex } = event.contentBlockDelta;
      if (delta?.text !== undefined) {
        this.first();
        this.text += delta.text;
      } else if (delta?.toolUse) {
        this.first();
        const index = contentBlockIndex ?? -1;
        const tool = this.tools.get(index) ?? { name: '', input: '' };
        tool.input += delta.toolUse.input ?? '';
        this.tools.set(index, tool);
      }
    } else if (event.messageStop) {
      this.stopReason = event.messageStop.stopReason ?? null;
    } else if (event.metadata) {
      this.inputTokens = event.metadata.usage?.inputTokens ?? null;
      this.outputTokens = event.metadata.usage?.outputTokens ?? null;
    }
  }

  /** The tool calls; a tool use with no input fragments had an empty input (`{}`). */
  toolCalls(): ToolCall[] {
    return [...this.tools.values()].map((t) => ({ name: t.name, arguments: t.input === '' ? '{}' : t.input }));
  }

  private first(): void {
    if (this.sawContent) return;
    this.sawContent = true;
    this.onFirstContent();
  }
}

/**
 * Exceptions Bedrock sends inside a stream that has already answered 200, so the SDK's retry
 * (which ends when the response headers arrive) never sees them, and the HTTP status each one
 * stands for. The first four are worth asking again.
 */
export const STREAM_EXCEPTION_STATUS: Record<string, number> = {
  ThrottlingException: 429,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
  ModelStreamErrorException: 424,
  ValidationException: 400,
};

export const RETRYABLE_STREAM_EXCEPTIONS = new Set(['ThrottlingException', 'ServiceUnavailableException', 'InternalServerException', 'ModelStreamErrorException']);
