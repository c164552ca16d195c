import type { ChalkInstance } from 'chalk';
import type { AliasHistoryEntry } from '../../../core/manifest/history.js';
import type { Alias, Target } from '../../../core/manifest/schema.js';

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
  const what = e.action === 'route' ? `changed ${routeFields(e.before, e.after).join(', ') || 'nothing'}` : `${weightsOf(e.before?.targets)} → ${weightsOf(e.after?.targets)}`;
  return `  r${e.revision}  ${e.at}  ${c.bold(e.action)}${e.model ? ` ${e.model}` : ''}${who}: ${what}${why}`;
}

/** Which parts of an alias's policy a route change touched. */
function routeFields(before: Alias | null, after: Alias | null): string[] {
  const fields = ['fallbacks', 'fallbackOn', 'retry', 'timeoutMs', 'cache'] as const;
  const changed: string[] = fields.filter((f) => JSON.stringify(before?.[f]) !== JSON.stringify(after?.[f]));
  const tiers = (a: Alias | null) => JSON.stringify(a?.targets.map((t) => [t.id, t.priority, t.role, t.weight]));
  const limits = (a: Alias | null) => JSON.stringify(a?.targets.map((t) => [t.id, t.limits]));
  if (tiers(before) !== tiers(after)) changed.push('priorities');
  if (limits(before) !== limits(after)) changed.push('limits');
  return changed;
}

/** `2 more attempt(s) on 429, 503`. */
export function retryText(retry: NonNullable<Alias['retry']>): string {
  return `${retry.attempts} more attempt(s) on ${retry.onStatus.length ? retry.onStatus.join(', ') : 'timeouts, 429, 5xx'}`;
}

/** `exact, 300 s`, or `off`. */
export function cacheText(cache: Alias['cache']): string {
  return cache?.mode === 'exact' ? `exact${cache.ttlSeconds !== undefined ? `, ${cache.ttlSeconds} s` : ''}` : 'off';
}

/** `60 rpm, 100000 tpm`, or '' when the target has no limits. */
export function limitsText(limits: Target['limits']): string {
  return limits ? [limits.rpm !== undefined && `${limits.rpm} rpm`, limits.tpm !== undefined && `${limits.tpm} tpm`].filter(Boolean).join(', ') : '';
}

/** An alias's routing policy in a few lines, every setting shown (route); `show` prints those that are set. */
export function policyLines(p: Pick<Alias, 'fallbacks' | 'fallbackOn' | 'retry' | 'timeoutMs' | 'cache'>, targets: readonly Target[]): string[] {
  const lines: string[] = [];
  lines.push(`  falls back to: ${p.fallbacks.length ? p.fallbacks.join(' → ') : 'nothing'}${p.fallbackOn ? ` (on ${p.fallbackOn.join(', ')})` : ''}`);
  lines.push(`  retry: ${p.retry ? retryText(p.retry) : 'none'}`);
  lines.push(`  timeout: ${p.timeoutMs !== undefined ? `${p.timeoutMs} ms per attempt` : 'the gateway default'}`);
  lines.push(`  cache: ${cacheText(p.cache)}`);
  for (const t of targets) {
    if (t.weight === 0 && !t.limits) continue;
    const limits = limitsText(t.limits);
    lines.push(`  ${t.id}: priority ${t.priority}, weight ${t.weight}${limits ? `, ${limits}` : ''}`);
  }
  return lines;
}
