import { isAliasEntry, type AliasHistoryEntry } from '../../../core/manifest/history.js';
import { resolveAlias } from '../../../core/manifest/resolve.js';
import type { ModelEntry } from '../../../core/manifest/schema.js';
import { loadManifest, manifestHistory } from '../../../core/manifest/store.js';
import { requireAlias } from '../../../core/manifest/transitions.js';
import type { CommandContext } from '../../command.js';
import { cacheText, historyLine, limitsText, pct, retryText } from './render.js';
import { displayPath, manifestPath, type ManifestOpts } from './shared.js';

interface Opts extends ManifestOpts {
  history?: number;
}

export interface ShowData {
  manifest: string;
  revision: number;
  alias: string;
  fallbacks: string[];
  /** Statuses that move a request on (the default set when the alias names none). */
  fallbackOn: number[];
  retry: { attempts: number; onStatus: number[] } | null;
  timeoutMs: number | null;
  cache: { mode: 'off' | 'exact'; ttlSeconds?: number } | null;
  targets: { id: string; role: string; weight: number; share: number; priority: number; limits: { rpm?: number; tpm?: number } | null; model: ModelEntry & { id: string } }[];
  /** Newest last. */
  history: AliasHistoryEntry[];
}

/** `llmgw models show <alias>`. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [alias = ''] = args;
  const path = manifestPath(ctx, opts);
  const m = await loadManifest(path);
  const entry = requireAlias(m, alias);
  const r = resolveAlias(m, alias);
  const history = (await manifestHistory(path, m.revision)).filter((e): e is AliasHistoryEntry => isAliasEntry(e) && e.alias === alias).slice(-(opts.history ?? 10));
  const data: ShowData = {
    manifest: displayPath(ctx, path),
    revision: m.revision,
    alias,
    fallbacks: entry.fallbacks,
    fallbackOn: r.fallbackOn,
    retry: entry.retry ?? null,
    timeoutMs: entry.timeoutMs ?? null,
    cache: entry.cache ?? null,
    targets: [...r.targets, ...r.idle].map((t) => ({ id: t.id, role: t.role, weight: t.weight, share: t.share, priority: t.priority, limits: t.limits ?? null, model: { id: t.model, ...(m.models[t.model] as ModelEntry) } })),
    history,
  };
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderShow(ctx.out.c, data));
  return 0;
}

export function renderShow(c: CommandContext['out']['c'], d: ShowData): string {
  const lines = [`${c.bold(d.alias)}  (${d.manifest} revision ${d.revision})`];
  if (d.fallbacks.length) lines.push(`  falls back to: ${d.fallbacks.join(' → ')} (on ${d.fallbackOn.join(', ')})`);
  if (d.retry) lines.push(`  retry: ${retryText(d.retry)}`);
  if (d.timeoutMs !== null) lines.push(`  timeout: ${d.timeoutMs} ms`);
  if (d.cache?.mode === 'exact') lines.push(`  cache: ${cacheText(d.cache)}`);
  lines.push('', 'targets:');
  for (const t of d.targets) {
    const limits = limitsText(t.limits ?? undefined);
    lines.push(`  ${c.bold(t.id)}  ${t.role}, weight ${t.weight} (${pct(t.share)})${t.priority ? `, priority ${t.priority}` : ''}${limits ? `, ${limits}` : ''}`);
    const mm = t.model;
    lines.push(`    model ${mm.providerModelId} on ${mm.provider}${mm.deployment ? ` (deployment ${mm.deployment})` : ''}`);
    const prov = [mm.baseModel && `base ${mm.baseModel}`, mm.jobId && `job ${mm.jobId}`, mm.datasetHash && `data ${mm.datasetHash.slice(0, 12)}…`, `registered ${mm.createdAt}`].filter(Boolean);
    lines.push(c.dim(`    ${prov.join(' · ')}`));
    if (mm.metrics && Object.keys(mm.metrics).length) lines.push(c.dim(`    metrics ${Object.entries(mm.metrics).map(([k, v]) => `${k}=${v}`).join(' ')}`));
    const ev = mm.evals?.at(-1);
    if (ev) lines.push(`    eval ${ev.score.toFixed(3)} (95% CI ${ev.interval.low.toFixed(3)}–${ev.interval.high.toFixed(3)}${ev.examples ? `, ${ev.examples} examples` : ''}) by ${ev.scorer} on data ${ev.dataHash.slice(0, 12)}…${ev.latencyMs ? `, p95 ${Math.round(ev.latencyMs.p95)} ms` : ''}, ${ev.date}${mm.evals && mm.evals.length > 1 ? ` (latest of ${mm.evals.length})` : ''}`);
  }
  lines.push('', d.history.length ? 'history (newest last):' : 'history: none recorded');
  for (const e of d.history) lines.push(historyLine(c, e));
  return lines.join('\n');
}
