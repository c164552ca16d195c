/** The OpenAI chat SFT example: `{messages, tools?, functions?, parallel_tool_calls?}`. */
import type { Issue, Loc } from '../issues.js';
import { checkMessages } from './messages.js';
import { at, checkKeys, isObject, Sink, typeName } from './shared.js';
import { checkLegacyFunctions, checkToolDefinitions } from './tools.js';

const CHAT_KEYS = new Set(['messages', 'tools', 'functions', 'parallel_tool_calls']);

/** Most images one example may hold (OpenAI vision fine-tuning). */
export const MAX_IMAGES_PER_EXAMPLE = 10;

export function checkChatExample(value: unknown, loc: Loc): Issue[] {
  const sink = new Sink(loc);
  if (!isObject(value)) return sink.issues; // reported once per line as not_an_object
  checkKeys(sink, value, CHAT_KEYS, '', 'a chat example');
  checkToolContext(sink, value, '');
  const messages = value.messages;
  if (messages === undefined) {
    sink.add('missing_messages', 'messages', 'the example has no "messages"');
    return sink.issues;
  }
  if (!Array.isArray(messages)) {
    sink.add('invalid_type', 'messages', `messages must be an array, got ${typeName(messages)}`);
    return sink.issues;
  }
  if (messages.length === 0) {
    sink.add('empty_messages', 'messages', 'messages is empty');
    return sink.issues;
  }
  const found = checkMessages(sink, messages, 'messages', { images: true });
  if (found.assistants === 0) {
    if (found.badRoles === 0) sink.add('no_assistant_message', 'messages', 'the example has no assistant message');
  } else if (found.trained === 0) sink.add('no_trained_assistant', 'messages', `all ${found.assistants} assistant message${found.assistants === 1 ? ' has' : 's have'} weight 0`);
  if (found.images > MAX_IMAGES_PER_EXAMPLE) sink.add('too_many_images', 'messages', `the example has ${found.images} images; at most ${MAX_IMAGES_PER_EXAMPLE} are allowed`);
  return sink.issues;
}

/** Whether a chat example has an image part in any message (for the model's vision check). */
export function hasImagePart(value: unknown): boolean {
  if (!isObject(value) || !Array.isArray(value.messages)) return false;
  for (const message of value.messages) {
    if (!isObject(message) || !Array.isArray(message.content)) continue;
    for (const part of message.content) if (isObject(part) && part.type === 'image_url') return true;
  }
  return false;
}

/** `tools`, legacy `functions` and `parallel_tool_calls`, shared by chat examples and preference inputs. */
export function checkToolContext(sink: Sink, value: Record<string, unknown>, path: string): void {
  if (value.tools !== undefined) checkToolDefinitions(sink, value.tools, at(path, 'tools'));
  if (value.functions !== undefined) checkLegacyFunctions(sink, value.functions, at(path, 'functions'));
  const parallel = value.parallel_tool_calls;
  if (parallel !== undefined && typeof parallel !== 'boolean') sink.add('invalid_type', at(path, 'parallel_tool_calls'), `parallel_tool_calls must be a boolean, got ${typeName(parallel)}`);
}
