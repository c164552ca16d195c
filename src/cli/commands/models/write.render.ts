import type { ChalkInstance } from 'chalk';
import type { WriteResult } from '../../../core/manifest/store.js';
import type { Target } from '../../../core/manifest/schema.js';
import { targetLines } from './render.js';

/** What register, promote and rollback print (the `--json` shape). */
export interface WriteData {
  manifest: string;
  revision: number;
  action: string;
  alias: string;
  model: string | null;
  created: boolean;
  before: Target[] | null;
  targets: Target[];
}

export function writeData(manifest: string, r: WriteResult): WriteData {
  return {
    manifest,
    revision: r.manifest.revision,
    action: r.entry.action,
    alias: r.entry.alias,
    model: r.entry.model ?? null,
    created: r.created,
    before: r.entry.before?.targets ?? null,
    targets: r.entry.after?.targets ?? [],
  };
}

const VERB: Record<string, string> = {
  register: 'registered',
  'add-candidate': 'added as a candidate (no traffic) to',
  promote: 'promoted on',
  canary: 'started a canary on',
  complete: 'completed the canary on',
  rollback: 'rolled back',
};

export function renderWrite(c: ChalkInstance, d: WriteData): string {
  const what = d.action === 'rollback' ? `${VERB.rollback} ${c.bold(d.alias)}` : `${d.model ?? ''} ${VERB[d.action] ?? d.action} ${c.bold(d.alias)}`;
  const total = d.targets.reduce((s, t) => s + t.weight, 0);
  return [`${c.green('✓')} ${what.trim()} (${d.manifest} revision ${d.revision})`, ...targetLines(c, d.targets.map((t) => ({ ...t, share: total > 0 ? t.weight / total : 0 })))].join('\n');
}
