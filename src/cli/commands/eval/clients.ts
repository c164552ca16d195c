/**
 * Turns resolved candidates into clients: settings through the same resolution as the tune
 * commands (flag > environment > project > user config; keys never from a flag), then the
 * manifest's provider entry (its endpoint and the variable that holds its key), then `--via`.
 */
import { ConfigError, UsageError } from '../../../core/errors.js';
import type { Candidate, CandidateSpec } from '../../../core/eval/candidates.js';
import { Limiter, limitedFetch } from '../../../core/eval/limiter.js';
import { parsePriceOverride, tablePrice, type Price } from '../../../core/eval/prices.js';
import { createLiteLLM } from '../../../core/inference/gateways.js';
import { inferenceEntry, inferenceFactory, type InferenceEntry } from '../../../core/inference/registry.js';
import type { InferenceSettings } from '../../../core/inference/types.js';
import { getProviderFactory, isProviderName } from '../../../core/providers/registry.js';
import type { CommandContext } from '../../command.js';
import { resolveProviderSettings } from '../../settings.js';

export interface ClientOptions {
  maxRetries?: number | undefined;
  requestTimeout?: number | undefined;
  stream?: boolean | undefined;
  via?: string | undefined;
  gateway?: 'portkey' | 'litellm' | undefined;
  concurrency?: number | undefined;
  rate?: number | undefined;
  price?: string[] | undefined;
}

const DEFAULT_CONCURRENCY = 8;

/** One limiter per provider (or per gateway, when everything goes through one). */
export function limiters(opts: ClientOptions): (provider: string) => Limiter {
  const byProvider = new Map<string, Limiter>();
  return (provider) => {
    const key = opts.via ? `via ${opts.via}` : provider;
    let l = byProvider.get(key);
    if (!l) byProvider.set(key, (l = new Limiter({ concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY, ratePerSecond: opts.rate })));
    return l;
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** Settings for a provider, as `tune` resolves them for the fine-tuning providers, from the environment for the others. */
async function providerSettings(ctx: CommandContext, provider: string, entry: InferenceEntry, opts: ClientOptions): Promise<InferenceSettings> {
  const env = ctx.io.env;
  const flags = { maxRetries: opts.maxRetries, timeoutMs: opts.requestTimeout === undefined ? undefined : opts.requestTimeout * 1000 };
  const fromEnv: InferenceSettings = {
    apiKey: entry.env.apiKey ? nonEmpty(env[entry.env.apiKey]) : undefined,
    baseUrl: entry.env.baseUrl ? nonEmpty(env[entry.env.baseUrl]) : undefined,
    location: entry.env.location ? nonEmpty(env[entry.env.location]) : undefined,
    project: entry.env.project ? nonEmpty(env[entry.env.project]) : undefined,
    ...flags,
  };
  if (!isProviderName(provider)) return fromEnv;
  const factory = await getProviderFactory(provider);
  const { settings } = resolveProviderSettings(ctx, { ...factory, env: { ...factory.env, ...(entry.env.baseUrl && { baseUrl: entry.env.baseUrl }) } }, flags);
  const extra = settings.extra ?? {};
  return {
    ...fromEnv,
    ...stripUndefined({
      apiKey: settings.apiKey,
      baseUrl: entry.ownBaseUrl ? fromEnv.baseUrl : settings.baseUrl,
      apiVersion: settings.apiVersion,
      organization: settings.organization,
      project: extra.project ?? settings.project,
      location: extra.location ?? extra.region,
      token: settings.token,
    }),
  };
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Portkey's provider slugs for the providers llmgw asks through it. */
const PORTKEY_PROVIDER: Record<string, string> = { openai: 'openai', together: 'together-ai', fireworks: 'fireworks-ai', openrouter: 'openrouter' };

/** The request path through a gateway: its URL as the base, its routing headers, the model as it knows it. */
function throughGateway(spec: CandidateSpec, settings: InferenceSettings, opts: ClientOptions, env: CommandContext['io']['env']): { model: string; settings: InferenceSettings } {
  const base = `${(opts.via ?? '').replace(/\/+$/, '')}/v1`;
  if (opts.gateway === 'litellm') {
    // LiteLLM routes by model_name: the alias itself (its own weights decide), or provider/model.
    const model = spec.source === 'alias' && spec.alias ? spec.alias : `${spec.provider}/${spec.model}`;
    return { model, settings: { ...settings, baseUrl: base, apiKey: nonEmpty(env.LITELLM_API_KEY) ?? 'none', headers: undefined } };
  }
  const slug = PORTKEY_PROVIDER[spec.provider];
  if (!slug) {
    throw new UsageError('gateway_provider_unsupported', `llmgw cannot send ${spec.name} (${spec.provider}) through Portkey yet: only ${Object.keys(PORTKEY_PROVIDER).join(', ')} are mapped.`, {
      hint: 'evaluate this candidate directly (without --via), or through LiteLLM with --gateway litellm',
    });
  }
  const headers: Record<string, string> = { 'x-portkey-provider': slug };
  if (settings.baseUrl) headers['x-portkey-custom-host'] = settings.baseUrl;
  return { model: spec.model, settings: { ...settings, baseUrl: base, headers } };
}

export function priceFor(spec: CandidateSpec, overrides: { name: string; input: number; output: number }[]): Price | null {
  const o = overrides.find((p) => p.name === spec.name || p.name === spec.model || p.name === spec.modelId);
  if (o) return { inputPerMillion: o.input, outputPerMillion: o.output, origin: 'override', source: `--price ${o.name}`, date: null, matched: o.name };
  return tablePrice(spec.model) ?? (spec.modelId ? tablePrice(spec.modelId) : null);
}

export async function buildCandidates(ctx: CommandContext, specs: readonly CandidateSpec[], opts: ClientOptions, limiterFor: (provider: string) => Limiter): Promise<Candidate[]> {
  const overrides = (opts.price ?? []).map(parsePriceOverride);
  const out: Candidate[] = [];
  for (const spec of specs) {
    const entry = inferenceEntry(spec.provider);
    if (!entry) throw new UsageError('unknown_provider', `llmgw cannot ask ${spec.provider} for answers (candidate ${spec.name}).`, { hint: 'evaluate it through a gateway with --via, or pick another candidate' });
    let settings = await providerSettings(ctx, spec.provider, entry, opts);
    const mp = spec.manifestProvider;
    if (mp?.baseUrl && !settings.baseUrl) settings.baseUrl = mp.baseUrl;
    if (mp?.apiKeyEnv && nonEmpty(ctx.io.env[mp.apiKeyEnv])) settings.apiKey = nonEmpty(ctx.io.env[mp.apiKeyEnv]);
    if (mp?.project) settings.project = mp.project;
    if (mp?.location) settings.location = mp.location;
    settings = { ...settings, stream: opts.stream ?? true, env: ctx.io.env, fetch: limitedFetch(globalThis.fetch, limiterFor(spec.provider)) };
    let model = spec.model;
    if (opts.via) ({ model, settings } = throughGateway(spec, settings, opts, ctx.io.env));
    let client;
    try {
      // Through a gateway every request is an OpenAI chat completion; LiteLLM's under its own key.
      if (opts.via && opts.gateway === 'litellm') client = createLiteLLM(model, settings);
      else client = (await inferenceFactory(opts.via ? 'openai' : spec.provider)).create(model, settings);
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(err.code, `${err.message} (candidate ${spec.name})`, { hint: err.hint });
      throw err;
    }
    out.push({ ...spec, model, client, price: priceFor(spec, overrides) });
  }
  // LiteLLM collapses an alias's targets into the alias: keep one candidate per gateway model.
  return opts.gateway === 'litellm' ? dedupeByModel(out) : out;
}

function dedupeByModel(cs: Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const c of cs) if (!seen.has(c.model)) seen.set(c.model, { ...c, name: c.source === 'alias' && c.alias ? c.alias : c.name, modelId: c.source === 'alias' ? undefined : c.modelId });
  return [...seen.values()];
}
