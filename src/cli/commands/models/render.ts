import type { ChalkInstance } from 'chalk';
import type { AliasHistoryEntry } from '../../../core/manifest/history.js';
import type { Target } from '../../../core/manifest/schema.js';

/** Pure text helpers shared by the models verbs. */

export function pct(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1).replace(/\.0$/, '')}%`;
}

/** `support-bot.AbC  stable  100  ft:…` lines, aligned. */
export function targetLines(c: ChalkInstance, targets: readonly (Pick<Target, 'id' | 'role' | 'weight' | 'priority' | 'model'> & { share?: number })[]): string[] {
  const w = Math.max(...targets.map((t) => t.id.length), 2);
  return targets.map((t) => {
    const role = t.role === 'stable' ? c.green(t.role.padEnd(9)) : t.role === 'canary' ? c.yellow(t.role.padEnd(9)) : c.dim(t.role.padEnd(9));
    const share = t.share === undefined ? '' : ` (${pct(t.share)})`;
    const tier = t.priority > 0 ? c.dim(` priority ${t.priority}`) : '';
    return `  ${t.id.padEnd(w)}  ${role} weight ${String(t.weight).padStart(3)}${share}${tier}  ${c.dim(t.model)}`;
  });
}

export function weightsOf(targets: readonly Target[] | undefined): string {
  if (!targets) return '(none)';
  const live = targets.filter((t) => t.weight > 0);
  return live.length ? live.map((t) => `${t.id}=${t.weight}`).join(', ') : 'no traffic';
}

export function historyLine(c: ChalkInstance, e: AliasHistoryEntry): string {
  const who = e.who ? ` by ${e.who}` : '';
  const why = e.reason ? ` — ${e.reason}` : '';
  return `  r${e.revision}  ${e.at}  ${c.bold(e.action)}${e.model ? ` ${e.model}` : ''}${who}: ${weightsOf(e.before?.targets)} → ${weightsOf(e.after?.targets)}${why}`;
}
