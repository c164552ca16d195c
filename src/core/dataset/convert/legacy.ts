import { isRecord, type LegacyMarkers, type SourceRecord } from './types.js';

/**
 * The legacy prompt/completion guide asked for a fixed separator at the end of every prompt and
 * a fixed stop sequence at the end of every completion. A chat model needs neither: they are found
 * here from the first records (a marker counts only when every sampled record has it) and
 * stripped by the converter, which notes each strip.
 */
const SEPARATORS = ['\n\n###\n\n', '\n\n###\n', '\n###\n', '\n\n###', '\n###', '###', ' ->', '->', ' =>', '=>', '\n\n'];
const STOPS = ['<|endoftext|>', '\n\n###\n\n', '\n###', ' ###', '###', ' END', 'END', '\n\n', '\n'];

export function detectLegacyMarkers(records: readonly unknown[]): LegacyMarkers {
  const pairs = records.filter(isRecord).filter((r): r is SourceRecord & { prompt: string; completion: string } => typeof r.prompt === 'string' && typeof r.completion === 'string');
  if (pairs.length === 0) return { separator: null, stop: null };
  const common = (values: string[], candidates: string[]): string | null => candidates.find((c) => values.every((v) => v.endsWith(c) && v.length > c.length)) ?? null;
  return { separator: common(pairs.map((p) => p.prompt), SEPARATORS), stop: common(pairs.map((p) => p.completion), STOPS) };
}

/** `value` without `marker` at its end (and the note to make), or as it is when it does not end so. */
export function stripEnd(value: string, marker: string | null): { value: string; stripped: boolean } {
  if (marker === null || !value.endsWith(marker)) return { value, stripped: false };
  return { value: value.slice(0, value.length - marker.length), stripped: true };
}
