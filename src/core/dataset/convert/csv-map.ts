import { UsageError } from '../../errors.js';
import { fail, ok, type ChatMessage, type Converted } from './types.js';

export const MAP_ROLES = ['system', 'developer', 'user', 'assistant'] as const;
export type MapRole = (typeof MAP_ROLES)[number];

export interface ColumnMap {
  column: string;
  role: MapRole;
}

/** One mapped column: where it is in the row and which turn it becomes. */
export interface PlannedColumn extends ColumnMap {
  index: number;
}

export interface MappingPlan {
  columns: PlannedColumn[];
  /** Columns no `--map` names, by position (an empty name is shown as `(no name)`). */
  unmapped: { index: number; name: string }[];
}

/**
 * Parses repeated `--map FIELD=ROLE` flags (the last `=` separates, so a name may hold one). A
 * field is a CSV/TSV column name, or for JSON and JSONL a key or dotted path (`meta.answer`,
 * `instances.0.output`).
 */
export function parseMaps(specs: readonly string[]): ColumnMap[] {
  return specs.map((spec) => {
    const at = spec.lastIndexOf('=');
    const column = at > 0 ? spec.slice(0, at) : '';
    const role = spec.slice(at + 1) as MapRole;
    if (column === '' || !MAP_ROLES.includes(role)) {
      throw new UsageError('invalid_map', `--map ${JSON.stringify(spec)} is not field=role with role one of ${MAP_ROLES.join(', ')}`, {
        hint: 'e.g. --map question=user --map answer=assistant (repeat --map for each field, in turn order)',
      });
    }
    return { column, role };
  });
}

/**
 * Matches `--map` columns to the header. Columns are found by exact name; a column with an
 * empty header (a row index in many exports) can never be named, so it is never mapped.
 */
export function planMapping(header: readonly string[], maps: readonly ColumnMap[]): MappingPlan {
  const columns = maps.map((m) => {
    const index = header.indexOf(m.column);
    if (index === -1) {
      const names = header.map((h) => (h === '' ? '(no name)' : JSON.stringify(h))).join(', ');
      throw new UsageError('unknown_column', `--map names column ${JSON.stringify(m.column)}, which is not in the header (columns: ${names})`, {
        hint: 'column names are case-sensitive and must match the header row exactly',
      });
    }
    return { ...m, index };
  });
  const used = new Set(columns.map((c) => c.index));
  const unmapped = header.flatMap((name, index) => (used.has(index) ? [] : [{ index, name: name === '' ? '(no name)' : name }]));
  return { columns, unmapped };
}

/** One CSV row → a chat example (see mapValues). */
export function mapRow(cells: readonly string[], plan: MappingPlan): Converted {
  return mapValues(plan.columns.map((c) => cells[c.index] ?? ''), plan.columns, 'column');
}

/**
 * The mapped values of one row or record (in `--map` order) → a chat example: system columns
 * first, then the turns in `--map` order. Empty system values are left out; trailing empty
 * user/assistant values end the conversation early (short rows in a multi-turn sheet); an empty
 * value followed by a filled one is a gap, and the row is skipped.
 */
export function mapValues(values: readonly string[], maps: readonly ColumnMap[], noun: 'column' | 'field'): Converted {
  const system: ChatMessage[] = [];
  const messages: ChatMessage[] = [];
  let gap: string | undefined;
  for (const [i, col] of maps.entries()) {
    const value = values[i] ?? '';
    const empty = value.trim() === '';
    if (col.role === 'system' || col.role === 'developer') {
      if (!empty) system.push({ role: col.role, content: value });
      continue;
    }
    if (empty) {
      gap ??= col.column;
      continue;
    }
    if (gap !== undefined) return fail(`${noun} ${JSON.stringify(gap)} is empty but a later turn (${JSON.stringify(col.column)}) is not`);
    messages.push({ role: col.role, content: value });
  }
  if (messages.length === 0) return fail(`every mapped user/assistant ${noun === 'column' ? 'cell' : 'field'} is empty`);
  return ok({ kind: 'chat', messages: [...system, ...messages] });
}
