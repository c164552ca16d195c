/**
 * The response table of a chat fake: what each model answers to each prompt, with latency and
 * faults, so a test knows every answer (and so every score) in advance. Shared by the OpenAI,
 * Gemini and Bedrock chat fakes; each renders a reply in its own API's shape.
 */

export interface ToolCallReply {
  name: string;
  /** JSON text, as the model writes it. */
  arguments: string;
}

export interface ChatReply {
  text?: string;
  toolCalls?: ToolCallReply[];
  /** Token usage reported; default: 10 in, 5 out. */
  usage?: { input: number; output: number };
  /** Wait before answering at all (the status line), ms. */
  delayMs?: number;
  /** Streamed answers: wait between the headers and the first content, ms. */
  ttftMs?: number;
  /** Answer with this HTTP error status instead. */
  status?: number;
  /** `Retry-After` (seconds) sent with an error. */
  retryAfter?: number;
  /** The error body's message and code. */
  message?: string;
  code?: string;
}

/** What the fake saw: the model and the text of the last user turn. */
export interface ChatAsk {
  model: string;
  prompt: string;
  /** The whole request body as received. */
  body: Record<string, unknown>;
}

/**
 * Replies by model, then by the last user turn's text (`*` matches any). A list answers its
 * first entry to the first such request, the second to the second, and repeats the last: e.g.
 * `[{status: 429, retryAfter: 1}, {text: 'ok'}]` refuses once, then answers.
 */
export type ChatTable = Record<string, Record<string, ChatReply | ChatReply[]>>;

export const DEFAULT_REPLY: ChatReply = { text: 'ok', usage: { input: 5, output: 1 } };

export class TableResponder {
  private readonly seen = new Map<string, number>();
  /** Requests answered, by model. */
  readonly counts: Record<string, number> = {};

  constructor(
    private readonly table: ChatTable = {},
    /** Answers a request the table has no row for. */
    private readonly fallback: (ask: ChatAsk) => ChatReply = () => DEFAULT_REPLY,
  ) {}

  reply(ask: ChatAsk): ChatReply {
    this.counts[ask.model] = (this.counts[ask.model] ?? 0) + 1;
    const rows = this.table[ask.model] ?? this.table['*'];
    const row = rows?.[ask.prompt] ?? rows?.['*'];
    if (row === undefined) return this.fallback(ask);
    if (!Array.isArray(row)) return row;
    const key = `${ask.model}\u0000${ask.prompt}`;
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return row[Math.min(n, row.length - 1)] ?? DEFAULT_REPLY;
  }
}

/** The text of a message's content (a string or text parts). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('');
  return '';
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
