/**
 * Announced retirements of base models, for `llmgw models check`. A fine-tuned model stops
 * serving when its base model does, so `ft:<base>:…` ids are matched by their base.
 *
 * This table is data with a date: it says what was reported as of `RETIREMENTS_AS_OF`, with a
 * source per entry. The provider's own answer (OpenAI model objects carry `shutdown_date`) is
 * asked first; the table covers what the API does not say yet.
 */

/** When this table was last reviewed against its sources. */
export const RETIREMENTS_AS_OF = '2026-11-24';

export interface Retirement {
  /** Registry name of the provider. */
  provider: string;
  /** A base model family: the bare name and its dated snapshots (`gpt-4.1` matches `gpt-4.1-2025-04-14`, not `gpt-4.1-mini`). */
  family: string;
  /** Set when only this exact snapshot retires, not the family. */
  exact?: boolean;
  /** ISO date from which the provider is reported to stop serving it. */
  shutdownDate: string;
  /** Whether the retirement covers the base model's fine-tunes, or only the base model. */
  appliesTo: 'fine-tunes' | 'all';
  source: string;
}

const FT_WIND_DOWN = 'Third-party news reports of OpenAI\'s fine-tuning wind-down (OpenAI deprecations page: developers notified on 2026-05-07); not yet on the models API';

export const RETIREMENTS: readonly Retirement[] = [
  { provider: 'openai', family: 'gpt-4o', shutdownDate: '2027-01-14', appliesTo: 'fine-tunes', source: FT_WIND_DOWN },
  { provider: 'openai', family: 'gpt-4o-mini-2024-07-18', exact: true, shutdownDate: '2027-01-14', appliesTo: 'fine-tunes', source: FT_WIND_DOWN },
  { provider: 'openai', family: 'gpt-4.1', shutdownDate: '2027-01-14', appliesTo: 'fine-tunes', source: FT_WIND_DOWN },
  { provider: 'openai', family: 'gpt-4.1-mini', shutdownDate: '2027-01-14', appliesTo: 'fine-tunes', source: FT_WIND_DOWN },
  { provider: 'openai', family: 'gpt-4.1-nano', shutdownDate: '2026-10-23', appliesTo: 'fine-tunes', source: 'Third-party news reports (gpt-4.1-nano retirement); not yet on the models API' },
];

/** `ft:gpt-4o-mini-2024-07-18:acme:support:AbC123` → `gpt-4o-mini-2024-07-18`; other ids → undefined. */
export function fineTuneBase(modelId: string): string | undefined {
  const m = /^ft:([^:]+):/.exec(modelId);
  return m?.[1];
}

/** Whether `model` is `family` or one of its dated snapshots (`-YYYY-MM-DD`). */
export function inFamily(model: string, family: string): boolean {
  return model === family || new RegExp(`^${family.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{4}-\\d{2}-\\d{2}$`).test(model);
}

/**
 * The announced retirement that applies to a model the manifest routes to, if any. The base is
 * taken from the `ft:` id, else from the registered base model.
 */
export function findRetirement(provider: string, providerModelId: string, baseModel?: string): Retirement | undefined {
  const ftBase = fineTuneBase(providerModelId);
  const isFineTune = ftBase !== undefined || (baseModel !== undefined && baseModel !== providerModelId);
  const base = ftBase ?? baseModel ?? providerModelId;
  return RETIREMENTS.find(
    (r) => r.provider === provider && (r.exact ? base === r.family : inFamily(base, r.family)) && (r.appliesTo === 'all' || isFineTune),
  );
}
