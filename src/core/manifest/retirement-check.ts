import { findRetirement } from '../models/retirements.js';
import { shutdownDay } from '../models/shutdown-date.js';
import type { ProviderModel } from '../providers/types.js';
import { resolveAlias } from './resolve.js';
import type { Manifest, ProviderType, TargetRole } from './schema.js';

/** One target of one alias, with the share of that alias's traffic it carries. */
export interface RoutedModel {
  alias: string;
  target: string;
  role: TargetRole;
  /** Share of its priority tier's traffic, 0..1 (0 for drained targets). */
  share: number;
  model: string;
  provider: string;
  providerType: ProviderType;
  providerModelId: string;
  baseModel?: string | undefined;
}

/** Every target of every alias (or of one), traffic-carrying first. */
export function routedModels(m: Manifest, alias?: string): RoutedModel[] {
  const names = alias === undefined ? Object.keys(m.aliases).sort() : [alias];
  return names.flatMap((name) => {
    const r = resolveAlias(m, name);
    return [...r.targets, ...r.idle].map((t) => ({
      alias: name,
      target: t.id,
      role: t.role,
      share: t.share,
      model: t.model,
      provider: t.provider,
      providerType: t.providerType,
      providerModelId: t.providerModelId,
      baseModel: t.baseModel,
    }));
  });
}

export type FindingStatus = 'gone' | 'retired' | 'retiring';

export interface RetirementFinding extends RoutedModel {
  status: FindingStatus;
  /** ISO date the model stops (or stopped) serving, when known. */
  shutdownDate: string | null;
  /** Whole days from today to the shutdown date (negative once past). */
  daysLeft: number | null;
  /** Who said so: the provider's API or llmgw's dated table. */
  source: 'provider' | 'table';
  note: string;
}

const DAY_MS = 86_400_000;

/**
 * Which routed models are gone or stop serving within `withinDays` of `now`. `answers` holds what
 * each provider said per provider model id (absent when not asked, e.g. `--offline`); the dated
 * table is read in every case, and the earlier of the two dates wins.
 */
export function retirementFindings(routed: readonly RoutedModel[], answers: ReadonlyMap<string, ProviderModel>, now: number, withinDays: number): RetirementFinding[] {
  const findings: RetirementFinding[] = [];
  for (const r of routed) {
    const answer = answers.get(answerKey(r.provider, r.providerModelId));
    if (answer && !answer.exists) {
      findings.push({ ...r, status: 'gone', shutdownDate: null, daysLeft: null, source: 'provider', note: 'the provider no longer has this model' });
      continue;
    }
    const table = findRetirement(r.providerType, r.providerModelId, r.baseModel);
    const dates: { date: string; source: 'provider' | 'table'; note: string }[] = [];
    // A provider may send a date-time or a timestamp where a day is documented: compare days.
    const said = shutdownDay(answer?.shutdownDate);
    if (said) dates.push({ date: said, source: 'provider', note: 'shutdown date from the provider' });
    if (table) dates.push({ date: table.shutdownDate, source: 'table', note: `${table.family}${table.exact ? '' : ' family'}: ${table.source}` });
    const earliest = dates.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))[0];
    if (!earliest) continue;
    const daysLeft = Math.floor((Date.parse(`${earliest.date}T00:00:00Z`) - now) / DAY_MS);
    if (daysLeft > withinDays) continue;
    findings.push({ ...r, status: daysLeft < 0 ? 'retired' : 'retiring', shutdownDate: earliest.date, daysLeft, source: earliest.source, note: earliest.note });
  }
  return findings;
}

/** The key of a provider's answer about one model id. */
export function answerKey(provider: string, providerModelId: string): string {
  return `${provider}\u0000${providerModelId}`;
}
