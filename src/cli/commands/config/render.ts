/** Text rendering for the `config` verbs; pure functions of their data. */
import type { ChalkInstance } from 'chalk';
import type { SettingEntry } from '../../config/entries.js';

/** `OPENAI_BASE_URL` reads better as "env OPENAI_BASE_URL"; file origins already say what they are. */
export function describeOrigin(e: Pick<SettingEntry, 'source' | 'origin'>): string {
  return e.source === 'env' ? `env ${e.origin}` : e.origin;
}

export function renderList(entries: readonly SettingEntry[], c: ChalkInstance): string {
  if (entries.length === 0) return 'No settings have a value.';
  const width = Math.max(...entries.map((e) => e.key.length));
  const valueWidth = Math.max(...entries.map((e) => (e.value ?? '').length));
  return entries.map((e) => `${e.key.padEnd(width)}  ${(e.value ?? '').padEnd(valueWidth)}  ${c.dim(describeOrigin(e))}`).join('\n');
}
