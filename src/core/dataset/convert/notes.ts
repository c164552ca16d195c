/**
 * What a conversion changed on the way (a dropped key, a renamed role, stripped separators…),
 * counted per distinct message with the first place it happened, so nothing changes silently and
 * the report stays small however large the file.
 */

export interface ConvertNote {
  message: string;
  /** How many items (or, for file-wide notes, occurrences) it applies to. */
  count: number;
  /** The first item it applied to (null for a note about the whole input). */
  line: number | null;
  row: number | null;
}

/** Distinct notes kept; further distinct messages are counted in one catch-all note. */
const MAX_DISTINCT = 100;

export class Notes {
  private readonly byMessage = new Map<string, ConvertNote>();
  private other: ConvertNote | undefined;

  add(message: string, where: { line: number; row?: number | undefined } | null, count = 1): void {
    const known = this.byMessage.get(message);
    if (known) {
      known.count += count;
      return;
    }
    const note: ConvertNote = { message, count, line: where?.line ?? null, row: where?.row ?? null };
    if (this.byMessage.size < MAX_DISTINCT) this.byMessage.set(message, note);
    else if (this.other) this.other.count += count;
    else this.other = { ...note, message: 'other changes (more than 100 kinds of note; the first is listed here)' };
  }

  list(): ConvertNote[] {
    const all = [...this.byMessage.values()];
    return this.other ? [...all, this.other] : all;
  }
}
