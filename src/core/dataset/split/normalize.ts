import { isObject } from '../kinds.js';

/**
 * The canonical text of an example, so formatting never makes two examples differ: keys sorted,
 * every string trimmed with runs of whitespace collapsed to one space, no insignificant spaces.
 * Used for duplicates (split --dedupe, stats) and for the split hash.
 */
export function normalizeExample(value: unknown): string {
  return JSON.stringify(canonical(value, 0));
}

/** Deeper than any training example nests; a deeper value is refused before it can overflow the stack. */
export const MAX_DEPTH = 64;

export class TooDeepError extends Error {
  readonly limit = MAX_DEPTH;
  constructor() {
    super(`the JSON nests more than ${MAX_DEPTH} levels deep`);
  }
}

function canonical(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.trim().replace(/\s+/g, ' ');
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) throw new TooDeepError();
  if (Array.isArray(value)) return value.map((v) => canonical(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

/**
 * What a model is asked in an example, for leak detection: the non-system messages before the
 * final assistant turn (chat), the input messages (preference) or the prompt (completion).
 * The same prompt in train and validation is a leak even when the answers differ.
 */
export function promptOf(value: unknown): string {
  if (!isObject(value)) return normalizeExample(value);
  if (Array.isArray(value.messages)) {
    const msgs: unknown[] = value.messages;
    let end = msgs.length;
    while (end > 0 && isObject(msgs[end - 1]) && (msgs[end - 1] as Record<string, unknown>).role === 'assistant') end--;
    return normalizeExample(msgs.slice(0, end).filter((m) => !(isObject(m) && (m.role === 'system' || m.role === 'developer'))));
  }
  if (isObject(value.input) && Array.isArray(value.input.messages)) {
    return normalizeExample(value.input.messages.filter((m: unknown) => !(isObject(m) && (m.role === 'system' || m.role === 'developer'))));
  }
  if ('prompt' in value) return normalizeExample(value.prompt);
  return normalizeExample(value);
}
