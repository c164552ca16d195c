import { RETIREMENTS_AS_OF } from '../../../core/models/retirements.js';
import { requireAlias } from '../../../core/manifest/transitions.js';
import { answerKey, retirementFindings, routedModels, type RetirementFinding, type RoutedModel } from '../../../core/manifest/retirement-check.js';
import type { Manifest } from '../../../core/manifest/schema.js';
import { loadManifest } from '../../../core/manifest/store.js';
import { LlmgwError } from '../../../core/errors.js';
import { getProviderFactory, isProviderName } from '../../../core/providers/registry.js';
import type { FineTuningProvider, ProviderModel } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { resolveProviderSettings } from '../../settings.js';
import { pct } from './render.js';
import { displayPath, manifestPath, type ManifestOpts } from './shared.js';

interface Opts extends ManifestOpts {
  within?: number;
  offline?: boolean;
  baseUrl?: string;
}

/** A routed model the provider could not be asked about: checked against the table only. */
export interface Unchecked {
  provider: string;
  providerModelId: string;
  /** `no_adapter` (llmgw has no model lookup for this provider type) or the error's code. */
  code: string;
  reason: string;
  /** The exit code the error has on its own (3 no key, 4 provider or network); 0 for no_adapter. */
  exitCode: number;
}

export interface CheckData {
  manifest: string;
  revision: number;
  within: number;
  offline: boolean;
  /** Date of llmgw's retirement table. */
  tableAsOf: string;
  checked: number;
  findings: RetirementFinding[];
  unchecked: Unchecked[];
}

/** `llmgw models check [alias]`: exit 1 when a routed model is gone or retires within --within days. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [alias] = args;
  const path = manifestPath(ctx, opts);
  const m = await loadManifest(path);
  if (alias !== undefined) requireAlias(m, alias);
  const routed = routedModels(m, alias);
  const within = opts.within ?? 60;
  const unchecked: Unchecked[] = [];
  const answers = opts.offline ? new Map<string, ProviderModel>() : await askProviders(ctx, m, routed, opts, unchecked);
  const data: CheckData = {
    manifest: displayPath(ctx, path),
    revision: m.revision,
    within,
    offline: opts.offline === true,
    tableAsOf: RETIREMENTS_AS_OF,
    checked: routed.length,
    findings: retirementFindings(routed, answers, ctx.io.now(), within),
    unchecked,
  };
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderCheck(ctx.out.c, data));
  // A finding is the answer CI waits for; a provider that could not be asked decides the exit code
  // only when nothing was found: a missing key (3) before an outage (4).
  if (data.findings.length > 0) return 1;
  const codes = unchecked.map((u) => u.exitCode).filter((e) => e > 0);
  return codes.includes(3) ? 3 : codes.length > 0 ? Math.max(...codes) : 0;
}

/**
 * One `getModel` per distinct model, one adapter per manifest provider entry. A provider that
 * fails (no key, an outage) is recorded and the check goes on with the others; a provider type
 * llmgw has no adapter for (routing-only ones such as openrouter) is checked by the table only.
 */
async function askProviders(ctx: CommandContext, m: Manifest, routed: readonly RoutedModel[], opts: Opts, unchecked: Unchecked[]): Promise<Map<string, ProviderModel>> {
  const adapters = new Map<string, FineTuningProvider | LlmgwError>();
  const answers = new Map<string, ProviderModel>();
  const asked = new Set<string>();
  const spinner = await ctx.out.spinner('asking providers about routed models');
  try {
    for (const r of routed) {
      const key = answerKey(r.provider, r.providerModelId);
      if (asked.has(key)) continue;
      asked.add(key);
      if (!isProviderName(r.providerType)) {
        unchecked.push({ provider: r.provider, providerModelId: r.providerModelId, code: 'no_adapter', reason: `llmgw cannot look up ${r.providerType} models; checked against the retirement table only`, exitCode: 0 });
        continue;
      }
      let adapter = adapters.get(r.provider);
      if (!adapter) {
        adapter = await adapterFor(ctx, m, r, opts).catch((err: unknown) => asUserError(err));
        adapters.set(r.provider, adapter);
      }
      spinner.text(`asking ${r.provider} about ${r.providerModelId}`);
      try {
        if (adapter instanceof LlmgwError) throw adapter;
        answers.set(key, await adapter.getModel(r.providerModelId));
      } catch (err) {
        const e = asUserError(err);
        unchecked.push({ provider: r.provider, providerModelId: r.providerModelId, code: e.code, reason: `${e.message}${e.hint ? ` (${e.hint})` : ''}`, exitCode: e.exitCode });
      }
    }
  } finally {
    spinner.stop();
  }
  return answers;
}

async function adapterFor(ctx: CommandContext, m: Manifest, r: RoutedModel, opts: Opts): Promise<FineTuningProvider> {
  const entry = m.providers[r.provider];
  const factory = await getProviderFactory(r.providerType);
  const { settings } = resolveProviderSettings(ctx, factory, { baseUrl: opts.baseUrl });
  // The manifest names where this account's key and endpoint are; the usual settings fill the gaps.
  const manifestKey = entry?.apiKeyEnv && entry.apiKeyEnv !== factory.env.apiKey ? ctx.io.env[entry.apiKeyEnv] : undefined;
  return factory.create({ ...settings, apiKey: manifestKey || settings.apiKey, baseUrl: settings.baseUrl ?? entry?.baseUrl, apiVersion: settings.apiVersion ?? entry?.apiVersion });
}

/** Errors a user can fix are reported per provider; anything else is still a bug. */
function asUserError(err: unknown): LlmgwError {
  if (err instanceof LlmgwError) return err;
  throw err;
}

export function renderCheck(c: CommandContext['out']['c'], d: CheckData): string {
  const notes = d.unchecked.map((u) => c.yellow(`  ! ${u.providerModelId} on ${u.provider}: not asked: ${u.reason}`));
  return [renderFindings(c, d), ...(notes.length ? ['', 'providers not asked (the retirement table still applied):', ...notes] : [])].join('\n');
}

function renderFindings(c: CommandContext['out']['c'], d: CheckData): string {
  const source = d.offline ? `llmgw's retirement table (as of ${d.tableAsOf})` : `the providers and llmgw's retirement table (as of ${d.tableAsOf})`;
  if (d.findings.length === 0) return `${c.green('✓')} none of the ${d.checked} routed target(s) is gone or retires within ${d.within} days (checked ${source})`;
  const lines = [`${c.red('✗')} ${d.findings.length} of ${d.checked} routed target(s) gone or retiring within ${d.within} days (checked ${source}):`];
  for (const f of d.findings) {
    const when = f.status === 'gone' ? c.red('gone') : f.status === 'retired' ? c.red(`retired ${f.shutdownDate}`) : c.yellow(`retires ${f.shutdownDate} (in ${f.daysLeft} days)`);
    lines.push(`  ${c.bold(f.alias)}  ${f.target}  ${f.role}, ${pct(f.share)} of traffic  ${when}`);
    lines.push(c.dim(`    ${f.providerModelId} on ${f.provider}: ${f.note} [${f.source}]`));
  }
  lines.push('', 'fix: fine-tune a replacement on a supported base model, register it, and promote it (llmgw models promote ALIAS --model ID)');
  return lines.join('\n');
}
