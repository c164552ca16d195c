import { CheckFailedError, UsageError } from '../../../core/errors.js';
import { route, type RouteChanges } from '../../../core/manifest/route.js';
import { loadManifest, updateManifest } from '../../../core/manifest/store.js';
import type { Alias } from '../../../core/manifest/schema.js';
import type { CommandContext } from '../../command.js';
import { parseDuration, parseList, parsePair, parseStatuses } from './policy-options.js';
import { policyLines } from './render.js';
import { displayPath, manifestPath, writeOptions, type WriteOpts } from './shared.js';
import { writeData, type WriteData } from './write.render.js';

interface Opts extends WriteOpts {
  fallback?: string;
  fallbackOn?: string;
  retry?: string;
  retryOn?: string;
  timeout?: string;
  priority?: string[];
  cache?: string;
  cacheTtl?: string;
  rpm?: string[];
  tpm?: string[];
}

export interface RouteData extends WriteData {
  /** False when the alias already had this policy (nothing written). */
  changed: boolean;
  policy: Pick<Alias, 'fallbacks' | 'fallbackOn' | 'retry' | 'timeoutMs' | 'cache'>;
}

/** `llmgw models route <alias> [--fallback …] [--retry N] [--retry-on …] [--timeout …] [--priority T=N] [--cache …] [--rpm T=N] [--tpm T=N]`. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [alias = ''] = args;
  const changes = routeChanges(opts);
  if (Object.keys(changes).length === 0) {
    throw new UsageError('nothing_to_route', 'Say what to change: --fallback, --fallback-on, --retry, --retry-on, --timeout, --priority, --cache, --rpm or --tpm.', {
      hint: `e.g. llmgw models route ${alias || 'ALIAS'} --fallback other-alias --retry 2 --retry-on 429,503 --timeout 30s`,
    });
  }
  const path = manifestPath(ctx, opts);
  // A change that changes nothing writes no revision (so CI can run it on every deploy).
  const current = await loadManifest(path);
  const preview = route(current, alias, changes);
  if (JSON.stringify(preview.before) === JSON.stringify(preview.after)) {
    if (opts.expectRevision !== undefined && opts.expectRevision !== current.revision) {
      throw new CheckFailedError('revision_conflict', `The manifest is at revision ${current.revision}, not ${opts.expectRevision}.`, { hint: `look at what changed, then run again with --expect-revision ${current.revision}` });
    }
    return finish(ctx, { manifest: displayPath(ctx, path), revision: current.revision, action: 'route', alias, model: null, created: false, before: preview.before.targets, targets: preview.after.targets, changed: false, policy: policyOf(preview.after) });
  }
  const result = await updateManifest(writeOptions(ctx, path, opts), (m) => route(m, alias, changes));
  return finish(ctx, { ...writeData(displayPath(ctx, path), result), changed: true, policy: policyOf(result.entry.after ?? preview.after) });
}

function routeChanges(opts: Opts): RouteChanges {
  const changes: RouteChanges = {};
  if (opts.fallback !== undefined) changes.fallbacks = parseList(opts.fallback);
  if (opts.fallbackOn !== undefined) changes.fallbackOn = opts.fallbackOn === 'default' ? null : parseStatuses('--fallback-on', opts.fallbackOn);
  if (opts.retry !== undefined) {
    if (opts.retry === 'none') changes.retryAttempts = null;
    else if (/^\d+$/.test(opts.retry) && Number(opts.retry) <= 10) changes.retryAttempts = Number(opts.retry);
    else throw new UsageError('invalid_retry', `--retry takes a number of further attempts from 0 to 10, or none (got "${opts.retry}").`, { hint: 'e.g. --retry 2' });
  }
  if (opts.retryOn !== undefined) changes.retryOn = opts.retryOn === 'default' ? [] : parseStatuses('--retry-on', opts.retryOn);
  if (opts.timeout !== undefined) changes.timeoutMs = parseDuration('--timeout', opts.timeout);
  if (opts.priority?.length) changes.priorities = opts.priority.map((p) => parsePair('--priority', p, false)).map((p) => ({ target: p.target, priority: p.value ?? 0 }));
  if (opts.cache !== undefined || opts.cacheTtl !== undefined) {
    const mode = opts.cache ?? 'exact';
    if (mode !== 'off' && mode !== 'exact') throw new UsageError('invalid_cache', `--cache takes off or exact (got "${mode}").`, { hint: 'e.g. --cache exact --cache-ttl 10m' });
    if (mode === 'off' && opts.cacheTtl !== undefined) throw new UsageError('invalid_cache', '--cache-ttl only goes with --cache exact.', { hint: 'drop --cache-ttl' });
    const ttl = opts.cacheTtl === undefined ? null : parseDuration('--cache-ttl', opts.cacheTtl);
    if (ttl !== null && ttl % 1000 !== 0) throw new UsageError('invalid_duration', '--cache-ttl is kept in whole seconds.', { hint: 'e.g. --cache-ttl 600s' });
    changes.cache = mode === 'off' ? { mode: 'off' } : { mode: 'exact', ...(ttl !== null ? { ttlSeconds: ttl / 1000 } : {}) };
  }
  const limits = new Map<string, { target: string; rpm?: number | null; tpm?: number | null }>();
  for (const [flag, key] of [['--rpm', 'rpm'], ['--tpm', 'tpm']] as const) {
    for (const raw of (key === 'rpm' ? opts.rpm : opts.tpm) ?? []) {
      const p = parsePair(flag, raw, true);
      if (p.value === 0) throw new UsageError('invalid_target_value', `${flag} must be at least 1 (got ${raw}); =none removes the limit.`, { hint: `e.g. ${flag} ${p.target}=600` });
      const entry = limits.get(p.target) ?? { target: p.target };
      entry[key] = p.value;
      limits.set(p.target, entry);
    }
  }
  if (limits.size > 0) changes.limits = [...limits.values()];
  return changes;
}

function policyOf(a: Alias): RouteData['policy'] {
  return { fallbacks: a.fallbacks, ...(a.fallbackOn ? { fallbackOn: a.fallbackOn } : {}), ...(a.retry ? { retry: a.retry } : {}), ...(a.timeoutMs !== undefined ? { timeoutMs: a.timeoutMs } : {}), ...(a.cache ? { cache: a.cache } : {}) };
}

function finish(ctx: CommandContext, data: RouteData): number {
  if (ctx.out.json) ctx.out.printJson(data);
  else {
    const c = ctx.out.c;
    const head = data.changed ? `${c.green('✓')} routed ${c.bold(data.alias)} (${data.manifest} revision ${data.revision})` : `${c.green('✓')} ${c.bold(data.alias)} already routes this way; nothing written (${data.manifest} revision ${data.revision})`;
    ctx.out.print([head, ...policyLines(data.policy, data.targets)].join('\n'));
  }
  return 0;
}
