import { countExampleTokens, type ExampleKind, type TokenCounts } from './count.js';
import type { EncodingName } from './encodings.js';

/** One JSONL line to count: its 1-based line number and its text (without the newline). */
export interface LineInput {
  line: number;
  text: string;
}

/** The counts of one line; `error` is set (and the counts are 0) when the line is not JSON. */
export type LineCounts = { line: number } & TokenCounts & { error?: 'invalid_json' };

/**
 * Parses and counts a batch of lines, in order. Used by the pool's workers and by the pool itself
 * when it runs in the calling thread. Never throws for a bad line: it becomes an `error` entry.
 */
export function countLines(kind: ExampleKind, encoding: EncodingName, batch: readonly LineInput[]): LineCounts[] {
  return batch.map(({ line, text }) => {
    let example: unknown;
    try {
      example = JSON.parse(text);
    } catch {
      return { line, total: 0, trained: 0, messages: 0, longPieces: 0, error: 'invalid_json' };
    }
    return { line, ...countExampleTokens(example, kind, encoding) };
  });
}
