/**
 * Which format an example is in. A file's kind is decided by its first recognisable example
 * (or forced with `--kind`); a later example of another kind is a `mixed_kinds` error.
 */

export type DatasetKind = 'chat' | 'preference' | 'completion';
export type DetectedKind = DatasetKind | 'unknown';

export const DATASET_KINDS: readonly DatasetKind[] = ['chat', 'preference', 'completion'];

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kind one parsed line looks like, from its top-level keys. */
export function detectKind(value: unknown): DetectedKind {
  if (!isObject(value)) return 'unknown';
  if ('messages' in value) return 'chat';
  if ('input' in value || 'preferred_output' in value || 'non_preferred_output' in value) return 'preference';
  if ('prompt' in value || 'completion' in value) return 'completion';
  return 'unknown';
}

/**
 * Tracks a file's kind line by line. `forced` (from `--kind`) fixes it up front; otherwise the
 * first recognisable example decides.
 */
export class KindTracker {
  private current: DatasetKind | undefined;
  /** Line that decided the kind (0 when forced or not decided yet). */
  decidedAt = 0;

  constructor(readonly forced?: DatasetKind) {
    this.current = forced;
  }

  get kind(): DatasetKind | undefined {
    return this.current;
  }

  /**
   * Records one example and returns the kind to check it as, plus whether it conflicts with the
   * file's kind. An unrecognisable example is checked as the file's kind (chat until decided).
   */
  observe(value: unknown, line: number): { checkAs: DatasetKind; detected: DetectedKind; mixed: boolean } {
    return this.observeDetected(detectKind(value), line);
  }

  /** `observe` for a kind detected elsewhere (a worker thread). */
  observeDetected(detected: DetectedKind, line: number): { checkAs: DatasetKind; detected: DetectedKind; mixed: boolean } {
    if (this.current === undefined) {
      if (detected === 'unknown') return { checkAs: 'chat', detected, mixed: false };
      this.current = detected;
      this.decidedAt = line;
    }
    return { checkAs: this.current, detected, mixed: detected !== 'unknown' && detected !== this.current };
  }
}
