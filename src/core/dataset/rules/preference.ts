/**
 * The OpenAI preference (DPO) example: `{input: {messages, tools?, parallel_tool_calls?},
 * preferred_output: [assistant message], non_preferred_output: [assistant message]}`. Text only.
 */
import type { Issue, Loc } from '../issues.js';
import { checkToolContext } from './chat.js';
import { checkMessage, checkMessages, type MessagesSummary } from './messages.js';
import { at, checkKeys, isObject, Sink, typeName } from './shared.js';

const PREFERENCE_KEYS = new Set(['input', 'preferred_output', 'non_preferred_output']);
const INPUT_KEYS = new Set(['messages', 'tools', 'functions', 'parallel_tool_calls']);
const OUTPUTS = ['preferred_output', 'non_preferred_output'] as const;

export function checkPreferenceExample(value: unknown, loc: Loc): Issue[] {
  const sink = new Sink(loc);
  if (!isObject(value)) return sink.issues;
  checkKeys(sink, value, PREFERENCE_KEYS, '', 'a preference example');
  checkInput(sink, value.input);
  const outputs = OUTPUTS.map((key) => checkOutput(sink, value[key], key));
  const [preferred, rejected] = outputs;
  if (preferred !== undefined && rejected !== undefined && sameAnswer(preferred, rejected)) {
    sink.add('preference_identical_outputs', 'non_preferred_output[0]', 'the preferred and non-preferred outputs are identical');
  }
  return sink.issues;
}

function checkInput(sink: Sink, input: unknown): void {
  if (input === undefined) {
    sink.add('missing_field', 'input', 'the preference example has no "input"', 'add "input": {"messages": [...]}');
    return;
  }
  if (!isObject(input)) {
    sink.add('invalid_type', 'input', `input must be an object with "messages", got ${typeName(input)}`);
    return;
  }
  checkKeys(sink, input, INPUT_KEYS, 'input', 'the preference input');
  checkToolContext(sink, input, 'input');
  const messages = input.messages;
  if (messages === undefined) sink.add('missing_messages', 'input.messages', 'the preference input has no "messages"');
  else if (!Array.isArray(messages)) sink.add('invalid_type', 'input.messages', `input.messages must be an array, got ${typeName(messages)}`);
  else if (messages.length === 0) sink.add('empty_messages', 'input.messages', 'input.messages is empty');
  else checkMessages(sink, messages, 'input.messages', { images: false });
}

/** Checks one output array; returns its single message when it is well-formed enough to compare. */
function checkOutput(sink: Sink, output: unknown, key: (typeof OUTPUTS)[number]): Record<string, unknown> | undefined {
  if (output === undefined) {
    sink.add('missing_field', key, `the preference example has no "${key}"`, `add "${key}": [{"role": "assistant", "content": "..."}]`);
    return undefined;
  }
  if (!Array.isArray(output)) {
    sink.add('invalid_type', key, `${key} must be an array holding one assistant message, got ${typeName(output)}`);
    return undefined;
  }
  if (output.length !== 1) {
    sink.add('preference_output_count', key, `${key} holds ${output.length} messages; it must hold exactly one`);
    return undefined;
  }
  const message = output[0];
  const path = at(key, 0);
  if (isObject(message) && typeof message.role === 'string' && message.role !== 'assistant') {
    sink.add('preference_output_role', at(path, 'role'), `${key} must be an assistant message, got role "${message.role}"`);
    return undefined;
  }
  const summary: MessagesSummary = { assistants: 0, trained: 0, images: 0, badRoles: 0 };
  checkMessage(sink, message, path, { images: false }, summary, new Set());
  return isObject(message) ? message : undefined;
}

function sameAnswer(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify([a.content ?? null, a.tool_calls ?? null]) === JSON.stringify([b.content ?? null, b.tool_calls ?? null]);
}
