/**
 * What every `tune` verb shares: the provider (by name from the registry, settings resolved by
 * `resolveProviderSettings`), the ledger beside the manifest, and naming a job by provider id
 * or ledger id.
 */
import { dirname } from 'node:path';
import { UsageError, isLlmgwError } from '../../../core/errors.js';
import { Ledger, type LedgerJob } from '../../../core/jobs/ledger.js';
import { getProviderFactory, listProviders } from '../../../core/providers/registry.js';
import type { FineTuningProvider, ProviderSettings } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { optionName, ownSettingFlags, resolveDefault, resolveProviderSettings } from '../../settings.js';
import { manifestPath } from '../models/shared.js';
import { quote, settleEntry } from './creating.js';

const DEFAULT_PROVIDER = 'openai';

export interface ProviderOpts {
  provider?: string;
  baseUrl?: string;
  maxRetries?: number;
  /** Seconds per request. */
  requestTimeout?: number;
  manifest?: string;
}

export interface OpenOptions {
  /** Build the adapter even without a key (for `--dry-run`, which sends nothing). */
  offline?: boolean;
}

export async function openProvider(ctx: CommandContext, name: string, opts: ProviderOpts, options: OpenOptions = {}): Promise<FineTuningProvider> {
  const factory = await getProviderFactory(name);
  const { settings } = resolveProviderSettings(ctx, factory, {
    baseUrl: opts.baseUrl,
    maxRetries: opts.maxRetries,
    timeoutMs: opts.requestTimeout === undefined ? undefined : opts.requestTimeout * 1000,
    extra: ownSettingFlags(name, opts as Record<string, unknown>),
  });
  const withLimits: ProviderSettings = { ...settings, uploadLimits: uploadLimitsFromEnv(ctx.io.env) ?? settings.uploadLimits };
  // A dry run only needs the capabilities and the account key; a placeholder key is never sent.
  if (options.offline && !withLimits.apiKey) return factory.create({ ...withLimits, apiKey: 'dry-run-no-key' });
  return factory.create(withLimits);
}

/**
 * Upload limits can be made smaller (never larger than the provider's) for proxies with a body
 * limit, and by the tests so the multipart path runs on small files.
 */
function uploadLimitsFromEnv(env: Readonly<Record<string, string | undefined>>): ProviderSettings['uploadLimits'] {
  const single = positiveInt(env.LLMGW_MAX_SINGLE_UPLOAD_BYTES);
  const part = positiveInt(env.LLMGW_UPLOAD_PART_BYTES);
  if (single === undefined && part === undefined) return undefined;
  return { maxSingleUploadBytes: single, uploadPartBytes: part };
}

function positiveInt(v: string | undefined): number | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `.llmgw/` sits in the manifest's folder (`--manifest`, `LLMGW_MANIFEST`, config, `./llmgw.routes.json`). */
export function openLedger(ctx: CommandContext, opts: { manifest?: string }): Ledger {
  return new Ledger({ dir: dirname(manifestPath(ctx, opts)), owner: ctx.io, now: () => ctx.io.now() });
}

/** The provider for a new job or a job id not in the ledger: `--provider`, config, then `openai`. */
export function providerName(ctx: CommandContext, opts: ProviderOpts): string {
  return resolveDefault(ctx, 'provider', { value: opts.provider, name: '--provider' }).value ?? DEFAULT_PROVIDER;
}

export interface NamedJob {
  /** The provider's job id. */
  jobId: string;
  entry: LedgerJob | undefined;
  provider: FineTuningProvider;
}

export interface NamedJobOptions {
  /** Wait while another process is still creating the job (watch), rather than stopping. */
  wait?: boolean;
  /** Absolute time (ms) after which waiting gives up. */
  deadline?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * A job named by ledger id (`lj_…`) or provider id. Ledger entries bring their own provider;
 * other ids are looked up at `--provider`. An entry still `creating` is settled first.
 */
export async function namedJob(ctx: CommandContext, ledger: Ledger, name: string, opts: ProviderOpts, o: NamedJobOptions = {}): Promise<NamedJob> {
  let entry = await ledger.find(name);
  if (!entry && name.startsWith('lj_')) throw unknownJob(name, 'it is not in this project\'s ledger');
  const provider = await openProvider(ctx, entry?.provider ?? providerName(ctx, opts), opts);
  if (entry && !entry.providerJobId) {
    entry = await settleEntry(ctx, provider, ledger, entry, { wait: o.wait === true, deadline: o.deadline, signal: o.signal ?? ctx.io.signal, projectFlags: projectFlags(opts) });
  }
  return { jobId: entry?.providerJobId ?? name, entry, provider };
}

/**
 * The flags a printed command needs to reach the same project and provider as this one: those
 * given on the command line among `--manifest`, `--base-url` and the providers' own settings
 * (`--project`, `--location`, `--region` …). Settings from config or the environment are read
 * again by the printed command, so they are left out; no setting flag holds a secret.
 */
export function projectFlags(opts: ProviderOpts): string {
  const given = opts as Record<string, unknown>;
  const parts: string[] = [];
  if (opts.manifest !== undefined) parts.push(` --manifest ${quote(opts.manifest)}`);
  if (opts.baseUrl !== undefined) parts.push(` --base-url ${quote(opts.baseUrl)}`);
  const seen = new Set<string>();
  for (const p of listProviders()) {
    for (const s of p.settings) {
      if (!s.flag || seen.has(s.flag)) continue;
      seen.add(s.flag);
      const value = given[optionName(s.flag)];
      if (typeof value === 'string') parts.push(` ${s.flag} ${quote(value)}`);
    }
  }
  return parts.join('');
}

/** Turns the provider's "no such job" into a usage error that says where to find job ids. */
export async function orUnknown<T>(name: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (isLlmgwError(err) && err.code === 'provider_not_found') throw unknownJob(name, 'the provider has no job with that id');
    throw err;
  }
}

function unknownJob(name: string, why: string): UsageError {
  return new UsageError('job_not_found', `There is no job "${name}": ${why}.`, { hint: 'see the jobs with `llmgw tune list` (name a job by its provider id or its lj_… ledger id)' });
}

/** `30s`, `10m`, `2h`, `1d` or plain seconds → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError('invalid_duration', `${flag} "${text}" is not a duration.`, { hint: `write it like 90s, 30m or 2h (e.g. ${flag} 45m)` });
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
