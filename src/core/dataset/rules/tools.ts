/** Tool calls on assistant messages, tool definitions, and their legacy `function_*` forms. */
import { at, checkKeys, isObject, type Sink, typeName } from './shared.js';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const TOOL_CALL_KEYS = new Set(['id', 'type', 'function']);
const CALL_FUNCTION_KEYS = new Set(['name', 'arguments']);
const TOOL_KEYS = new Set(['type', 'function']);
const FUNCTION_DEF_KEYS = new Set(['name', 'description', 'parameters', 'strict']);
const LEGACY_FUNCTION_KEYS = new Set(['name', 'description', 'parameters']);

/** Checks `tool_calls`, adding the call ids it declares to `seenIds` (tool messages must match one). */
export function checkToolCalls(sink: Sink, calls: unknown, path: string, seenIds: Set<string>): void {
  if (!Array.isArray(calls)) {
    sink.add('invalid_type', path, `tool_calls must be an array, got ${typeName(calls)}`);
    return;
  }
  calls.forEach((call, i) => {
    const p = at(path, i);
    if (!isObject(call)) {
      sink.add('invalid_tool_call', p, `a tool call must be an object, got ${typeName(call)}`);
      return;
    }
    checkKeys(sink, call, TOOL_CALL_KEYS, p, 'a tool call');
    if (typeof call.id !== 'string' || call.id === '') sink.add('invalid_tool_call', at(p, 'id'), 'a tool call needs a non-empty string "id"', 'add "id": "call_1" and use the same id in the tool message that answers it');
    else if (seenIds.has(call.id)) sink.add('invalid_tool_call', at(p, 'id'), `tool call id "${call.id}" is used twice in this example`, 'give every tool call its own id');
    else seenIds.add(call.id);
    if (call.type !== 'function') sink.add('invalid_tool_call', at(p, 'type'), `a tool call needs "type": "function", got ${JSON.stringify(call.type ?? null)}`);
    checkFunctionCall(sink, call.function, at(p, 'function'));
  });
}

/** The `function` of a tool call, or the legacy `function_call` of an assistant message. */
export function checkFunctionCall(sink: Sink, fn: unknown, path: string): void {
  if (!isObject(fn)) {
    sink.add('invalid_tool_call', path, `${path} must be an object with "name" and "arguments", got ${typeName(fn)}`);
    return;
  }
  checkKeys(sink, fn, CALL_FUNCTION_KEYS, path, 'a called function');
  if (typeof fn.name !== 'string' || !NAME.test(fn.name)) {
    sink.add('invalid_tool_call', at(path, 'name'), `function name ${JSON.stringify(fn.name ?? null)} is missing or not ^[A-Za-z0-9_-]{1,64}$`);
  }
  const args = fn.arguments;
  if (args === undefined) {
    sink.add('invalid_tool_call', at(path, 'arguments'), 'a called function needs "arguments" (a JSON string, "{}" for none)');
  } else if (typeof args !== 'string') {
    sink.add('tool_arguments_not_string', at(path, 'arguments'), `arguments must be a JSON string, got ${typeName(args)}`, `write it as a string: "arguments": ${JSON.stringify(JSON.stringify(args)).slice(0, 80)}`);
  } else {
    const problem = argumentsProblem(args);
    if (problem) sink.add('tool_arguments_invalid_json', at(path, 'arguments'), problem);
  }
}

/** Why an arguments string is not a JSON object, or undefined when it is one. */
function argumentsProblem(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'arguments is not valid JSON';
  }
  if (isObject(parsed)) return undefined;
  if (typeof parsed === 'string') return 'arguments is JSON-encoded twice (a JSON string holding JSON); encode the object once';
  return `arguments is a JSON ${typeName(parsed)}, not an object`;
}

/** `tools: [{type: "function", function: {name, description?, parameters?, strict?}}]`. */
export function checkToolDefinitions(sink: Sink, tools: unknown, path: string): void {
  if (!Array.isArray(tools)) {
    sink.add('invalid_type', path, `tools must be an array, got ${typeName(tools)}`);
    return;
  }
  tools.forEach((tool, i) => {
    const p = at(path, i);
    if (!isObject(tool)) {
      sink.add('invalid_tool_definition', p, `a tool must be an object, got ${typeName(tool)}`);
      return;
    }
    checkKeys(sink, tool, TOOL_KEYS, p, 'a tool');
    if (tool.type !== 'function') sink.add('invalid_tool_definition', at(p, 'type'), `a tool needs "type": "function", got ${JSON.stringify(tool.type ?? null)}`);
    checkFunctionDefinition(sink, tool.function, at(p, 'function'), FUNCTION_DEF_KEYS);
  });
}

/** Legacy `functions: [{name, description?, parameters?}]`, 1 to 128 entries. */
export function checkLegacyFunctions(sink: Sink, functions: unknown, path: string): void {
  if (!Array.isArray(functions)) {
    sink.add('invalid_type', path, `functions must be an array, got ${typeName(functions)}`);
    return;
  }
  if (functions.length === 0 || functions.length > 128) sink.add('invalid_tool_definition', path, `functions must hold 1 to 128 entries, got ${functions.length}`);
  functions.forEach((fn, i) => checkFunctionDefinition(sink, fn, at(path, i), LEGACY_FUNCTION_KEYS));
}

function checkFunctionDefinition(sink: Sink, fn: unknown, path: string, allowed: ReadonlySet<string>): void {
  if (!isObject(fn)) {
    sink.add('invalid_tool_definition', path, `${path} must be an object with a "name", got ${typeName(fn)}`);
    return;
  }
  checkKeys(sink, fn, allowed, path, 'a function definition');
  if (typeof fn.name !== 'string' || !NAME.test(fn.name)) {
    sink.add('invalid_tool_definition', at(path, 'name'), `function name ${JSON.stringify(fn.name ?? null)} is missing or not ^[A-Za-z0-9_-]{1,64}$`, 'use letters, digits, _ and -, at most 64 characters');
  }
  if (fn.description !== undefined && typeof fn.description !== 'string') sink.add('invalid_type', at(path, 'description'), `description must be a string, got ${typeName(fn.description)}`);
  if (fn.parameters !== undefined && !isObject(fn.parameters)) sink.add('invalid_tool_definition', at(path, 'parameters'), `parameters must be a JSON Schema object, got ${typeName(fn.parameters)}`);
  if (fn.strict !== undefined && fn.strict !== null && typeof fn.strict !== 'boolean') sink.add('invalid_type', at(path, 'strict'), `strict must be a boolean, got ${typeName(fn.strict)}`);
}
