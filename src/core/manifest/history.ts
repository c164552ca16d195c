import { open, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Alias, ProviderEntry } from './schema.js';
import type { HistoryAction } from './transitions.js';

/**
 * The append-only history log beside the manifest (`llmgw.routes.history.jsonl`): one JSON line
 * per write, oldest first. It is what `models show` prints and what `rollback --to` restores from.
 *
 * The log and the manifest are one recoverable unit: a write appends (and fsyncs) its entry
 * before it renames the new manifest into place, so a revision the manifest has is always in the
 * log. A crash between the two leaves an entry for a revision the manifest never reached, and a
 * crash mid-append leaves a line cut short; the next write removes both before appending
 * (`repairHistory`), and readers ignore them.
 */
interface BaseEntry {
  revision: number;
  /** ISO time of the write. */
  at: string;
  action: HistoryAction;
  reason?: string | undefined;
  /** Who made the change, when known (a user or CI actor name; never a credential). */
  who?: string | undefined;
}

/** A change to one alias: the whole alias before and after. */
export interface AliasHistoryEntry extends BaseEntry {
  alias: string;
  model?: string | undefined;
  before: Alias | null;
  after: Alias | null;
}

/** A change to one provider entry (its connection facts). */
export interface ProviderHistoryEntry extends BaseEntry {
  provider: string;
  before: ProviderEntry | null;
  after: ProviderEntry | null;
}

export type HistoryEntry = AliasHistoryEntry | ProviderHistoryEntry;

export function isAliasEntry(e: HistoryEntry): e is AliasHistoryEntry {
  return typeof (e as AliasHistoryEntry).alias === 'string';
}

/** `llmgw.routes.json` → `llmgw.routes.history.jsonl`, in the same folder. */
export function historyPathFor(manifestPath: string): string {
  const name = basename(manifestPath);
  const stem = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
  return join(dirname(manifestPath), `${stem}.history.jsonl`);
}

/** Every entry starts with this (JSON.stringify keeps `revision` first), which lets a reader find an entry glued to a torn one. */
const ENTRY_START = '{"revision":';

export interface HistoryRead {
  entries: HistoryEntry[];
  /** Lines that were not an entry (e.g. a line cut short by a crash); skipped, counted. */
  skipped: number;
}

/** Reads the log; a missing log is empty. An entry written after a torn line (by an older llmgw) is recovered. */
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
    const entry = parseEntry(line);
    if (entry) {
      entries.push(entry);
      continue;
    }
    skipped += 1;
    const glued = line.lastIndexOf(ENTRY_START);
    const rescued = glued > 0 ? parseEntry(line.slice(glued)) : undefined;
    if (rescued) entries.push(rescued);
  }
  return { entries, skipped };
}

function parseEntry(line: string): HistoryEntry | undefined {
  try {
    const v = JSON.parse(line) as HistoryEntry;
    if (typeof v === 'object' && v !== null && typeof v.revision === 'number' && (typeof (v as AliasHistoryEntry).alias === 'string' || typeof (v as ProviderHistoryEntry).provider === 'string')) return v;
  } catch {
    // not an entry
  }
  return undefined;
}

/**
 * Makes the log consistent with a manifest at `manifestRevision` before an append: cuts a last
 * line without its newline (a crash mid-append) and any entries past the manifest's revision (a
 * crash between the append and the manifest's rename). Returns how many bytes it cut.
 */
export async function repairHistory(path: string, manifestRevision: number): Promise<number> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  try {
    const size = (await handle.stat()).size;
    let keep = size;
    // Walk back over the last lines (one or two in practice) until one belongs to the manifest.
    for (;;) {
      const { start, line } = await lastLine(handle, keep);
      if (start < 0) break;
      const complete = keep === size ? line.endsWith('\n') : true;
      const entry = complete ? parseEntry(line.trimEnd()) : undefined;
      if (complete && (!entry || entry.revision <= manifestRevision)) break;
      keep = start; // torn, or an entry the manifest never reached
    }
    if (keep < size) {
      await handle.truncate(keep);
      await handle.sync();
    }
    return size - keep;
  } finally {
    await handle.close();
  }
}

/** The last line of the first `end` bytes (with its newline, if any) and where it starts; start -1 when empty. */
async function lastLine(handle: Awaited<ReturnType<typeof open>>, end: number): Promise<{ start: number; line: string }> {
  if (end === 0) return { start: -1, line: '' };
  let window = Math.min(end, 64 * 1024);
  for (;;) {
    const buf = Buffer.alloc(window);
    await handle.read(buf, 0, window, end - window);
    // The line ends at `end`; it starts after the previous newline (ignoring the line's own last byte).
    const nl = window >= 2 ? buf.lastIndexOf(0x0a, window - 2) : -1;
    if (nl !== -1) return { start: end - window + nl + 1, line: buf.subarray(nl + 1).toString('utf8') };
    if (window === end) return { start: 0, line: buf.toString('utf8') };
    window = Math.min(end, window * 4);
  }
}

/**
 * Appends one entry as a single write of one line and fsyncs it (callers hold the manifest lock).
 * Returns the log's size before, so a caller whose manifest write then fails can cut it off again.
 */
export async function appendHistory(path: string, entry: HistoryEntry): Promise<number> {
  const handle = await open(path, 'a');
  try {
    const before = (await handle.stat()).size;
    await handle.write(`${JSON.stringify(entry)}\n`);
    await handle.sync();
    return before;
  } finally {
    await handle.close();
  }
}

/** Cuts the log back to `size` bytes (undoing an append whose manifest write failed). */
export async function truncateHistory(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** What the log says an alias was at a revision: exactly known, or why not. */
export type AliasStateAt = { known: true; alias: Alias | null; revision: number } | { known: false; reason: string };

/**
 * The alias as it stood at `revision` (after the last change to it at or before then), known
 * exactly only when the log holds that change and every revision after it up to `revision`: a
 * missing revision could have changed the alias without the log knowing. Entries past the
 * manifest's own revision (left by a crash) do not count.
 */
export function aliasStateAt(entries: readonly HistoryEntry[], alias: string, revision: number, manifestRevision: number): AliasStateAt {
  if (revision > manifestRevision) return { known: false, reason: `the manifest is only at revision ${manifestRevision}` };
  if (revision < 1) return { known: false, reason: 'revisions start at 1' };
  const byRevision = new Map<number, HistoryEntry>();
  for (const e of entries) if (e.revision <= manifestRevision) byRevision.set(e.revision, e); // the last line for a revision is the committed one
  let from = revision;
  let found: AliasHistoryEntry | undefined;
  for (; from >= 1; from -= 1) {
    const e = byRevision.get(from);
    if (!e) return { known: false, reason: `revision ${from} is missing from the history log, so a change to "${alias}" at or before revision ${revision} may not be recorded` };
    if (isAliasEntry(e) && e.alias === alias) {
      found = e;
      break;
    }
  }
  return { known: true, alias: found ? found.after : null, revision: found ? found.revision : 0 };
}
