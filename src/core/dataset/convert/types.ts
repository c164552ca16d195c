/**
 * The shapes every converter shares. A converter is a small pure function from one source
 * record to a neutral `Conversation`; the driver turns that into the requested OpenAI output.
 */

/** Record formats a source file can hold (`--from` may also name a container: csv, tsv, json, jsonl). */
export const RECORD_FORMATS = ['chat', 'alpaca', 'sharegpt', 'prompt-completion', 'preference', 'hh-rlhf'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export const CONTAINERS = ['csv', 'tsv', 'json', 'jsonl'] as const;
export type Container = (typeof CONTAINERS)[number];

export type OutputKind = 'chat' | 'preference';

/** One message in OpenAI's chat shape; extra keys (tool_calls, weight, name…) pass through. */
export interface ChatMessage {
  role: string;
  content: unknown;
  [key: string]: unknown;
}

/**
 * What a converter produces: a chat example (with any top-level extras, e.g. `tools`) or a
 * preference pair. `same` says the OpenAI line is the source record itself, unchanged (OpenAI
 * data passed through): the source text can then be written as it is.
 */
export type Conversation =
  | { kind: 'chat'; messages: ChatMessage[]; extras?: Record<string, unknown>; same?: boolean }
  | { kind: 'preference'; prompt: ChatMessage[]; chosen: ChatMessage; rejected: ChatMessage; extras?: Record<string, unknown>; same?: boolean };

export type Converted = { ok: true; value: Conversation } | { ok: false; reason: string };

export type SourceRecord = Record<string, unknown>;

/** Legacy prompt/completion markers found in the first records (see legacy.ts). */
export interface LegacyMarkers {
  /** The separator every prompt ends with, e.g. `" ->"` or `"\n\n###\n\n"`. */
  separator: string | null;
  /** The stop sequence every completion ends with, e.g. `"\n"` or `" END"`. */
  stop: string | null;
}

/** What a converter may use besides the record: a way to say what it changed. */
export interface ConvertContext {
  /** Records one change to the data (counted per distinct message in the report). */
  note(message: string): void;
  legacy?: LegacyMarkers | undefined;
}

/** One source format behind the common interface. */
export interface RecordConverter {
  readonly format: RecordFormat;
  /** The output this format produces unless `--to` says otherwise. */
  readonly produces: OutputKind;
  /** The top-level keys it reads; any other key of a record is dropped, and the report counts it. */
  readonly uses: readonly string[];
  /** True when a record has this format's shape (the first recognisable record decides a file's format). */
  matches(record: SourceRecord): boolean;
  convert(record: SourceRecord, ctx: ConvertContext): Converted;
}

export const ok = (value: Conversation): Converted => ({ ok: true, value });
export const fail = (reason: string): Converted => ({ ok: false, reason });

export function isRecord(v: unknown): v is SourceRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string after trimming, else undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
