import { formatFunctionDefinitions, type ChatCompletionFunctionDefinition } from 'gpt-tokenizer/functionCalling';
import { getEncoder, type EncodingName } from './encodings.js';
import { TextCounter } from './text.js';

/**
 * Per-example token counts, following the formula of OpenAI's cookbook
 * (`Chat_finetuning_data_prep.ipynb`, `num_tokens_from_messages`); docs/tokens.md shows it
 * worked through. Pure and tolerant: a malformed example counts what can be counted, never throws.
 */

export type ExampleKind = 'chat' | 'preference' | 'completion';

export interface TokenCounts {
  /** Tokens the provider bills for the example (before the per-example limit is applied). */
  total: number;
  /** Tokens of the turns the model learns from: trained assistant turns (weight ≠ 0), the preferred output of a pair, a completion. */
  trained: number;
  /** Messages in the example (input, preferred and non-preferred for a pair; 0 for prompt/completion). */
  messages: number;
  /** Runs of one character class longer than LONG_PIECE_CHARS, counted in chunks (see text.ts). */
  longPieces: number;
}

/** `<|im_start|>`, `<|im_sep|>` (or the newline after the role) and `<|im_end|>` around every message. */
export const MESSAGE_OVERHEAD = 3;
/** A `name` on a message costs one token besides its text. */
export const NAME_OVERHEAD = 1;
/** The cookbook adds 3 per conversation for the `<|im_start|>assistant<|im_sep|>` that primes the reply. */
export const CONVERSATION_OVERHEAD = 3;
/** Each tool call (or legacy function_call) is rendered with a few framing tokens around its name and arguments. */
export const TOOL_CALL_OVERHEAD = 3;
/** Tool/function definitions are rendered as a TypeScript-like namespace; this is the framing around it. */
export const FUNCTION_DEFINITIONS_OVERHEAD = 9;
/** An image part at `detail: "low"` (512×512) costs 85 tokens; llmgw counts every image so, a lower bound for high detail. */
export const IMAGE_TOKENS = 85;

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function countExampleTokens(example: unknown, kind: ExampleKind, encoding: EncodingName): TokenCounts {
  const counter = new TextCounter(getEncoder(encoding));
  const counts: TokenCounts = { total: 0, trained: 0, messages: 0, longPieces: 0 };
  if (isObj(example)) {
    if (kind === 'chat') addConversation(counter, example, counts, true);
    else if (kind === 'preference') addPreference(counter, example, counts);
    else addCompletion(counter, example, counts);
  }
  counts.longPieces = counter.longPieces;
  return counts;
}

/** `messages` (+ `tools`/`functions`) of an SFT example or of a preference pair's `input`. */
function addConversation(counter: TextCounter, conversation: Obj, counts: TokenCounts, trainAssistant: boolean): void {
  if (Array.isArray(conversation.messages)) counts.total += CONVERSATION_OVERHEAD;
  for (const message of asArray(conversation.messages)) addMessage(counter, message, counts, trainAssistant);
  counts.total += functionDefinitionTokens(counter, conversation);
}

function addPreference(counter: TextCounter, example: Obj, counts: TokenCounts): void {
  if (isObj(example.input)) addConversation(counter, example.input, counts, false);
  for (const message of asArray(example.preferred_output)) addMessage(counter, message, counts, true);
  for (const message of asArray(example.non_preferred_output)) addMessage(counter, message, counts, false);
}

function addCompletion(counter: TextCounter, example: Obj, counts: TokenCounts): void {
  const prompt = typeof example.prompt === 'string' ? counter.count(example.prompt) : 0;
  const completion = typeof example.completion === 'string' ? counter.count(example.completion) : 0;
  counts.total += prompt + completion;
  counts.trained += completion;
}

/**
 * One message: 3 + role + name (+1) + body, where body is the content, a refusal, tool calls and
 * a legacy function_call. The body of an assistant turn counts as trained unless `weight` is 0
 * (and, in a preference pair, unless it is the non-preferred output).
 */
function addMessage(counter: TextCounter, message: unknown, counts: TokenCounts, trainAssistant: boolean): void {
  counts.messages++;
  if (!isObj(message)) return;
  const text = (value: unknown): number => (typeof value === 'string' ? counter.count(value) : 0);
  let body = contentTokens(counter, message.content) + text(message.refusal);
  for (const call of asArray(message.tool_calls)) if (isObj(call)) body += callTokens(counter, call.function);
  if (message.function_call !== undefined && message.function_call !== null) body += callTokens(counter, message.function_call);
  const name = typeof message.name === 'string' ? counter.count(message.name) + NAME_OVERHEAD : 0;
  counts.total += MESSAGE_OVERHEAD + text(message.role) + name + body;
  if (trainAssistant && message.role === 'assistant' && message.weight !== 0) counts.trained += body;
}

/** A string, or content parts: text parts by their text, image parts at IMAGE_TOKENS, anything else 0. */
function contentTokens(counter: TextCounter, content: unknown): number {
  if (typeof content === 'string') return counter.count(content);
  let total = 0;
  for (const part of asArray(content)) {
    if (!isObj(part)) continue;
    if (typeof part.text === 'string') total += counter.count(part.text);
    else if (part.type === 'image_url' || isObj(part.image_url)) total += IMAGE_TOKENS;
  }
  return total;
}

/** A tool call's `function` (or a legacy `function_call`): overhead + name + arguments. */
function callTokens(counter: TextCounter, fn: unknown): number {
  if (!isObj(fn)) return TOOL_CALL_OVERHEAD;
  const name = typeof fn.name === 'string' ? counter.count(fn.name) : 0;
  const args = fn.arguments;
  const argText = typeof args === 'string' ? args : args === undefined ? '' : JSON.stringify(args);
  return TOOL_CALL_OVERHEAD + name + counter.count(argText);
}

/**
 * `tools[].function` and legacy `functions[]`, rendered the way OpenAI's models see them (a
 * TypeScript-like `namespace functions { … }`, gpt-tokenizer's formatFunctionDefinitions) + 9.
 */
function functionDefinitionTokens(counter: TextCounter, conversation: Obj): number {
  const definitions: unknown[] = [];
  for (const tool of asArray(conversation.tools)) if (isObj(tool) && isObj(tool.function)) definitions.push(tool.function);
  for (const fn of asArray(conversation.functions)) if (isObj(fn)) definitions.push(fn);
  if (definitions.length === 0) return 0;
  let rendered: string;
  try {
    rendered = formatFunctionDefinitions(definitions as ChatCompletionFunctionDefinition[]);
  } catch {
    // A malformed schema (say `enum` that is not an array) cannot be rendered; count its JSON instead.
    rendered = JSON.stringify(definitions);
  }
  return counter.count(rendered) + FUNCTION_DEFINITIONS_OVERHEAD;
}
