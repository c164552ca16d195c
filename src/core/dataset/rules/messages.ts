/** One chat message: role, allowed keys per role, content, weight, tool calls. */
import { checkContent } from './content.js';
import { at, isObject, type Sink, typeName } from './shared.js';
import { checkFunctionCall, checkToolCalls } from './tools.js';

export const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

const KEYS_BY_ROLE: Record<Role, ReadonlySet<string>> = {
  system: new Set(['role', 'content', 'name']),
  developer: new Set(['role', 'content', 'name']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set(['role', 'content', 'name', 'weight', 'tool_calls', 'function_call', 'refusal']),
  tool: new Set(['role', 'content', 'tool_call_id']),
  function: new Set(['role', 'content', 'name']),
};

/** What the example-level checks need to know about the messages they contain. */
export interface MessagesSummary {
  assistants: number;
  /** Assistant messages with weight 1 (or no weight). */
  trained: number;
  images: number;
  /** Messages without a valid role (the assistant count is unreliable then). */
  badRoles: number;
}

export interface MessageRules {
  images: boolean;
}

/** Checks every message of a `messages` array (already known to be an array). */
export function checkMessages(sink: Sink, messages: unknown[], path: string, rules: MessageRules): MessagesSummary {
  const summary: MessagesSummary = { assistants: 0, trained: 0, images: 0, badRoles: 0 };
  const callIds = new Set<string>();
  for (let i = 0; i < messages.length; i++) checkMessage(sink, messages[i], at(path, i), rules, summary, callIds);
  return summary;
}

/**
 * Checks one message and adds what it found to `summary`. `callIds` holds the tool call ids of
 * earlier assistant messages; a tool message must answer one of them.
 */
export function checkMessage(sink: Sink, message: unknown, path: string, rules: MessageRules, summary: MessagesSummary, callIds: Set<string>): void {
  if (!isObject(message)) {
    sink.add('invalid_type', path, `each message must be an object, got ${typeName(message)}`);
    return;
  }
  const role = message.role;
  if (typeof role !== 'string' || !ROLE_SET.has(role)) {
    const lower = typeof role === 'string' ? role.toLowerCase() : '';
    const hint = ROLE_SET.has(lower) ? `write it in lower case: "${lower}"` : `use one of ${ROLES.join(', ')}`;
    summary.badRoles += 1;
    sink.add('invalid_role', at(path, 'role'), role === undefined ? 'the message has no "role"' : `unknown role ${JSON.stringify(role)}`, hint);
    return;
  }
  const r = role as Role;
  const assistant = r === 'assistant';
  checkRoleKeys(sink, message, r, path);
  if (message.name !== undefined && typeof message.name !== 'string') sink.add('invalid_type', at(path, 'name'), `name must be a string, got ${typeName(message.name)}`);

  // `null` tool_calls / function_call are what SDKs write when dumping a reply without calls: treat as absent.
  const hasCalls = assistant && (present(message.tool_calls) || present(message.function_call));
  if (assistant) {
    summary.assistants += 1;
    if (checkWeight(sink, message.weight, path)) summary.trained += 1;
    if (present(message.tool_calls)) checkToolCalls(sink, message.tool_calls, at(path, 'tool_calls'), callIds);
    if (present(message.function_call)) checkFunctionCall(sink, message.function_call, at(path, 'function_call'));
    if (message.refusal !== undefined && message.refusal !== null && typeof message.refusal !== 'string') sink.add('invalid_type', at(path, 'refusal'), `refusal must be a string or null, got ${typeName(message.refusal)}`);
  }
  if (r === 'tool') checkToolAnswer(sink, message.tool_call_id, at(path, 'tool_call_id'), callIds);
  if (r === 'function' && typeof message.name !== 'string') sink.add('missing_field', at(path, 'name'), 'a function message needs the "name" of the function it answers');

  const content = message.content;
  // Assistant turns that call tools, and legacy function results, may have null or no content.
  const contentOptional = hasCalls || r === 'function' || (assistant && typeof message.refusal === 'string');
  if (content === undefined || content === null) {
    if (!contentOptional) sink.add('missing_content', at(path, 'content'), `the ${r} message has ${content === null ? 'null' : 'no'} "content"`);
    return;
  }
  const found = checkContent(sink, content, path, { assistant, textOnly: !rules.images ? 'preference' : r === 'tool' ? 'tool' : null });
  summary.images += found.images;
  if (!found.hasText && found.images === 0 && !hasCalls) sink.add('empty_content', at(path, 'content'), `the ${r} message's content is empty`);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Keys an SDK response (or a dump of one) puts on messages, which providers ignore: null values. */
const SDK_NULL_KEYS: ReadonlySet<string> = new Set(['function_call', 'tool_calls', 'refusal', 'audio']);

function checkRoleKeys(sink: Sink, message: Record<string, unknown>, role: Role, path: string): void {
  const allowed = KEYS_BY_ROLE[role];
  for (const key in message) {
    if (allowed.has(key)) continue;
    if ((role === 'tool' && key === 'name' && typeof message.name === 'string') || (SDK_NULL_KEYS.has(key) && message[key] === null)) {
      const what = key === 'name' ? '"name" on a tool message' : `"${key}": null on a ${role} message`;
      sink.add('sdk_field', at(path, key), `${what} is a field SDK responses add; the provider ignores it`);
      continue;
    }
    if (key === 'weight') {
      sink.add('weight_not_on_assistant', at(path, key), `a ${role} message has "weight"; only assistant messages can be weighted`);
      continue;
    }
    const owners = ROLES.filter((other) => KEYS_BY_ROLE[other].has(key));
    const text = owners.length > 0 ? `"${key}" is not allowed on a ${role} message (only on ${owners.join(', ')} messages)` : `unknown key "${key}" in a ${role} message`;
    sink.add('unknown_key', at(path, key), text, `remove it; a ${role} message allows ${[...allowed].join(', ')}`);
  }
}

/** Returns whether the assistant turn at `messagePath` is trained (weight absent or 1). */
function checkWeight(sink: Sink, weight: unknown, messagePath: string): boolean {
  if (weight === undefined) return true;
  if (weight === 0 || weight === 1) return weight === 1;
  sink.add('invalid_weight', at(messagePath, 'weight'), `weight must be 0 or 1, got ${JSON.stringify(weight)}`);
  return true;
}

function checkToolAnswer(sink: Sink, id: unknown, path: string, callIds: ReadonlySet<string>): void {
  if (id === undefined) {
    sink.add('missing_field', path, 'a tool message needs "tool_call_id", the id of the call it answers');
    return;
  }
  if (typeof id !== 'string') {
    sink.add('invalid_type', path, `tool_call_id must be a string, got ${typeName(id)}`);
    return;
  }
  if (!callIds.has(id)) {
    const known = callIds.size === 0 ? 'no earlier assistant message makes a tool call' : `earlier calls: ${[...callIds].slice(0, 5).join(', ')}`;
    sink.add('unmatched_tool_message', path, `tool_call_id "${id}" matches no earlier tool call (${known})`);
  }
}
