/**
 * Output formats for `dataset convert --to NAME`. Every source record is first turned into an
 * OpenAI chat example or preference pair and checked with validate's rules; an output format
 * then gets each of those and returns its own line, or a skip with the reason. `chat` and
 * `preference` write the OpenAI example as it is; a provider folder adds its own format (one
 * line in `FORMATS`), e.g.
 *   gemini: () => import('../../providers/vertex/dataset-format.js').then((m) => m.geminiFormat),
 * so `--to gemini` works without convert knowing anything about Gemini.
 */
import { UsageError } from '../../errors.js';
import type { ChatMessage, OutputKind } from './types.js';

/** OpenAI's chat fine-tuning line: `messages`, plus `tools`/`functions`/`parallel_tool_calls` when the source had them. */
export interface OpenAIChatExample {
  messages: ChatMessage[];
  tools?: unknown[];
  functions?: unknown[];
  parallel_tool_calls?: boolean;
}

/** OpenAI's preference (DPO) line: one assistant message on each side. */
export interface OpenAIPreferenceExample {
  input: { messages: ChatMessage[]; tools?: unknown[]; parallel_tool_calls?: boolean };
  preferred_output: [ChatMessage];
  non_preferred_output: [ChatMessage];
}

/** One converted example, already valid OpenAI data, as an output format receives it. */
export type OpenAIExample = { kind: 'chat'; value: OpenAIChatExample } | { kind: 'preference'; value: OpenAIPreferenceExample };

/**
 * What a format makes of one example: the JSON value to write as a line, or why it is skipped.
 * `notes` say what changed on the way (a dropped field, a renamed role): the report counts each
 * distinct note and names the first line it applied to, so nothing changes silently.
 */
export type FormatResult = { line: unknown; notes?: string[] } | { skip: string; notes?: string[] };

export interface FormatWriter {
  /** Called once per example, in input order. Pure: no I/O. */
  write(example: OpenAIExample): FormatResult;
}

export interface OutputFormat {
  /** One line for `--help` and the docs. */
  summary: string;
  /**
   * The OpenAI kinds the format is made from, preferred first. Preference pairs given to a format
   * that takes only chat are handed over as chat with the chosen answer (and the report says so);
   * chat examples given to a preference-only format are refused before anything is read.
   */
  accepts: readonly OutputKind[];
  /** Whether `--model ID` is needed (a format that depends on the base model) or allowed. */
  model?: 'required' | 'optional';
  /** Starts a run (checks options such as the model; throws a UsageError with the fix). */
  create(options: { model?: string | undefined }): FormatWriter | Promise<FormatWriter>;
}

/** OpenAI's own formats: the example is the line. */
export const passThrough: FormatWriter = { write: (example) => ({ line: example.value }) };

const chat: OutputFormat = {
  summary: 'OpenAI chat JSONL ({"messages": [...]}); preference pairs keep the chosen answer',
  accepts: ['chat'],
  create: () => passThrough,
};

const preference: OutputFormat = {
  summary: 'OpenAI preference (DPO) JSONL ({"input", "preferred_output", "non_preferred_output"})',
  accepts: ['preference'],
  create: () => passThrough,
};

/** Every `--to` format by name; each loads only when asked for. */
const FORMATS: Record<string, () => Promise<OutputFormat>> = {
  chat: async () => chat,
  preference: async () => preference,
  bedrock: () => import('../../providers/bedrock/dataset-format.js').then((m) => m.bedrockFormat),
  gemini: () => import('../../providers/vertex/dataset-format.js').then((m) => m.geminiFormat),
};

/** The `--to` names, in registry order (cheap: loads nothing). */
export function outputFormatNames(): string[] {
  return Object.keys(FORMATS);
}

/** The format called `name`; an unknown name is a usage error listing the known ones. */
export async function loadOutputFormat(name: string): Promise<OutputFormat> {
  const load = Object.hasOwn(FORMATS, name) ? FORMATS[name] : undefined;
  if (load === undefined) throw new UsageError('unknown_format', `there is no output format called "${name}"`, { hint: `use --to ${outputFormatNames().join(', --to ')}` });
  return load();
}

/** Adds (or replaces) a format at run time, for a library user or a test. */
export function registerOutputFormat(name: string, format: OutputFormat): void {
  FORMATS[name] = async () => format;
}
