import { loadManifest } from '../../../core/manifest/store.js';
import { primaryTier, resolveAlias, sampleSplit, type ResolvedAlias, type ResolvedTarget } from '../../../core/manifest/resolve.js';
import type { CommandContext } from '../../command.js';
import { pct } from './render.js';
import { displayPath, manifestPath, type ManifestOpts } from './shared.js';

interface Opts extends ManifestOpts {
  samples?: number;
  seed?: number;
}

export interface ResolveData {
  manifest: string;
  revision: number;
  alias: string;
  targets: ResolvedTarget[];
  fallbacks: string[];
  samples: number;
  seed: number;
  /** Draws per target id of the first priority tier, and their share of all draws. */
  observed: { id: string; count: number; share: number; expected: number }[];
}

/** `llmgw models resolve <alias>`: the weighted targets as the gateway sends them, and a seeded split. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [alias = ''] = args;
  const path = manifestPath(ctx, opts);
  const m = await loadManifest(path);
  const r = resolveAlias(m, alias);
  const samples = opts.samples ?? 1000;
  const seed = opts.seed ?? 1;
  const counts = samples > 0 ? sampleSplit(r, samples, seed) : {};
  const data: ResolveData = {
    manifest: displayPath(ctx, path),
    revision: m.revision,
    alias,
    targets: r.targets,
    fallbacks: fallbackChain(r),
    samples,
    seed,
    observed: primaryTier(r).map((t) => ({ id: t.id, count: counts[t.id] ?? 0, share: samples > 0 ? (counts[t.id] ?? 0) / samples : 0, expected: t.share })),
  };
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderResolve(ctx.out.c, data));
  return 0;
}

/** The fallback aliases in the order the gateway tries them (depth first, each once). */
function fallbackChain(r: ResolvedAlias): string[] {
  return r.fallbacks.flatMap((f) => [f.alias, ...fallbackChain(f)]).filter((a, i, all) => all.indexOf(a) === i);
}

export function renderResolve(c: CommandContext['out']['c'], d: ResolveData): string {
  const lines = [`${c.bold(d.alias)} → (${d.manifest} revision ${d.revision})`];
  for (const t of d.targets) {
    const upstream = t.providerType === 'azure' && t.deployment ? `deployment ${t.deployment}` : t.providerModelId;
    lines.push(`  ${pct(t.share).padStart(6)}  ${t.providerType}  ${upstream}${t.priority ? c.dim(`  (priority ${t.priority}, after the tier above fails)`) : ''}  ${c.dim(t.id)}`);
  }
  if (d.fallbacks.length) lines.push(`  then falls back to: ${d.fallbacks.join(' → ')}`);
  if (d.samples > 0) {
    lines.push('', `observed split of ${d.samples} draws (seed ${d.seed}):`);
    for (const o of d.observed) lines.push(`  ${o.id}: ${o.count} (${pct(o.share)}, expected ${pct(o.expected)})`);
  }
  return lines.join('\n');
}
