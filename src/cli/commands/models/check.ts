import { RETIREMENTS_AS_OF } from '../../../core/models/retirements.js';
import { requireAlias } from '../../../core/manifest/transitions.js';
import { answerKey, retirementFindings, routedModels, type RetirementFinding, type RoutedModel } from '../../../core/manifest/retirement-check.js';
import type { Manifest } from '../../../core/manifest/schema.js';
import { loadManifest } from '../../../core/manifest/store.js';
import { getProviderFactory } from '../../../core/providers/registry.js';
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

export interface CheckData {
  manifest: string;
  revision: number;
  within: number;
  offline: boolean;
  /** Date of llmgw's retirement table. */
  tableAsOf: string;
  checked: number;
  findings: RetirementFinding[];
}

/** `llmgw models check [alias]`: exit 1 when a routed model is gone or retires within --within days. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [alias] = args;
  const path = manifestPath(ctx, opts);
  const m = await loadManifest(path);
  if (alias !== undefined) requireAlias(m, alias);
  const routed = routedModels(m, alias);
  const within = opts.within ?? 60;
  const answers = opts.offline ? new Map<string, ProviderModel>() : await askProviders(ctx, m, routed, opts);
  const data: CheckData = {
    manifest: displayPath(ctx, path),
    revision: m.revision,
    within,
    offline: opts.offline === true,
    tableAsOf: RETIREMENTS_AS_OF,
    checked: routed.length,
    findings: retirementFindings(routed, answers, ctx.io.now(), within),
  };
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderCheck(ctx.out.c, data));
  return data.findings.length > 0 ? 1 : 0;
}

/** One `getModel` per distinct model, one adapter per manifest provider entry. */
async function askProviders(ctx: CommandContext, m: Manifest, routed: readonly RoutedModel[], opts: Opts): Promise<Map<string, ProviderModel>> {
  const adapters = new Map<string, FineTuningProvider>();
  const answers = new Map<string, ProviderModel>();
  const spinner = await ctx.out.spinner('asking providers about routed models');
  try {
    for (const r of routed) {
      const key = answerKey(r.provider, r.providerModelId);
      if (answers.has(key)) continue;
      let adapter = adapters.get(r.provider);
      if (!adapter) {
        const entry = m.providers[r.provider];
        const factory = await getProviderFactory(r.providerType);
        const { settings } = resolveProviderSettings(ctx, factory, { baseUrl: opts.baseUrl });
        // The manifest names where this account's key and endpoint are; the usual settings fill the gaps.
        const manifestKey = entry?.apiKeyEnv && entry.apiKeyEnv !== factory.env.apiKey ? ctx.io.env[entry.apiKeyEnv] : undefined;
        adapter = factory.create({ ...settings, apiKey: manifestKey || settings.apiKey, baseUrl: settings.baseUrl ?? entry?.baseUrl, apiVersion: settings.apiVersion ?? entry?.apiVersion });
        adapters.set(r.provider, adapter);
      }
      spinner.text(`asking ${r.provider} about ${r.providerModelId}`);
      answers.set(key, await adapter.getModel(r.providerModelId));
    }
  } finally {
    spinner.stop();
  }
  return answers;
}

export function renderCheck(c: CommandContext['out']['c'], d: CheckData): string {
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
