import type { Alias, Target, TargetRole } from './schema.js';

const ROLE_ORDER: Record<TargetRole, number> = { stable: 0, canary: 1, previous: 2, candidate: 3 };

/** Targets in a stable order: by priority tier, then stable, canary, previous (newest first), candidate. */
export function orderTargets(targets: readonly Target[]): Target[] {
  return [...targets].sort((a, b) => a.priority - b.priority || ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

/**
 * A target id that stays the same while weights change: `<alias>.<short model name>`, e.g.
 * `support-bot.support-AbC12345` for `ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345`.
 * Gateways use it as the deployment id (LiteLLM `model_info.id`, Portkey target `name`), so it
 * includes the alias to stay unique across the whole export.
 */
export function newTargetId(aliasName: string, modelId: string, alias: Alias | undefined): string {
  const parts = modelId.replace(/^ft:/, '').split(':').filter((p) => p !== '');
  const short = (modelId.startsWith('ft:') ? parts.slice(-2) : parts).join('-').replace(/[^A-Za-z0-9._-]+/g, '-') || 'model';
  const taken = new Set(alias?.targets.map((t) => t.id) ?? []);
  const base = `${aliasName}.${short}`;
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

/** Targets of one priority tier. */
export function tierOf(targets: readonly Target[], priority: number): Target[] {
  return targets.filter((t) => t.priority === priority);
}
