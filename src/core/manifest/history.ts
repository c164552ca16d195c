import { appendFile, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Alias, Target } from './schema.js';
import type { HistoryAction } from './transitions.js';

/**
 * The append-only history log beside the manifest (`llmgw.routes.history.jsonl`): one JSON line
 * per write, oldest first. It is what `models show` prints and what `rollback --to` restores from.
 */
export interface HistoryEntry {
  revision: number;
  /** ISO time of the write. */
  at: string;
  action: HistoryAction;
  alias: string;
  model?: string | undefined;
  before: Alias | null;
  after: Alias | null;
  reason?: string | undefined;
  /** Who made the change, when known (a user or CI actor name; never a credential). */
  who?: string | undefined;
}

/** `llmgw.routes.json` → `llmgw.routes.history.jsonl`, in the same folder. */
export function historyPathFor(manifestPath: string): string {
  const name = basename(manifestPath);
  const stem = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
  return join(dirname(manifestPath), `${stem}.history.jsonl`);
}

/** Appends one entry as a single write of one line (callers hold the manifest lock). */
export async function appendHistory(path: string, entry: HistoryEntry): Promise<void> {
  await appendFile(path, `${JSON.stringify(entry)}\n`, 'utf8');
}

export interface HistoryRead {
  entries: HistoryEntry[];
  /** Lines that were not a JSON object (e.g. a line cut short by a crash); skipped, counted. */
  skipped: number;
}

/** Reads the log; a missing log is empty. */
export async function readHistory(path: string): Promise<HistoryRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: 0 };
    throw err;
  }
  const entries: HistoryEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v = JSON.parse(line) as HistoryEntry;
      if (typeof v === 'object' && v !== null && typeof v.revision === 'number' && typeof v.alias === 'string') entries.push(v);
      else skipped += 1;
    } catch {
      skipped += 1;
    }
  }
  return { entries, skipped };
}

/** The alias's targets as they stood at `revision` (after the last change to it at or before then). */
export function targetsAt(entries: readonly HistoryEntry[], alias: string, revision: number): Target[] | undefined {
  let found: HistoryEntry | undefined;
  for (const e of entries) if (e.alias === alias && e.revision <= revision && (!found || e.revision >= found.revision)) found = e;
  return found?.after?.targets;
}
