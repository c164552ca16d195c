/**
 * Ledger entries still `creating` (their create call's answer never came, or is still on its
 * way), as every `tune` verb meets them: wait while another live process is creating the job,
 * otherwise settle the entry at once (found → follow it; surely absent → say how to create it;
 * undecided → exit 4 with `tune resolve`). Advice printed here is a command that works.
 */
import { relative } from 'node:path';
import { InterruptedError, TimeoutError, UsageError } from '../../../core/errors.js';
import type { Ledger, LedgerJob } from '../../../core/jobs/ledger.js';
import { undecidedError } from '../../../core/jobs/reconcile.js';
import { settle } from '../../../core/jobs/submit.js';
import type { FineTuningProvider } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { pause as sleep } from '../../../core/sleep.js';

/** How often the ledger is read while another process creates the job. */
const CREATOR_POLL_MS = 1000;

export interface SettleOptions {
  /** Wait for another live process that is creating the job (until `deadline`), rather than reporting it. */
  wait: boolean;
  /** Absolute time (ms) after which waiting gives up (exit 5). */
  deadline?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Flags that name the same project in printed commands, e.g. ` --manifest ops/routes.json`. */
  projectFlags: string;
}

/**
 * The entry once it holds a provider job id. Throws with the command that settles it when the
 * job was surely never created (exit 2) or cannot be told (exit 4).
 */
export async function settleEntry(ctx: CommandContext, provider: FineTuningProvider, ledger: Ledger, entry: LedgerJob, o: SettleOptions): Promise<LedgerJob> {
  let current = entry;
  if (current.state === 'creating' && ledger.isBeingCreated(current)) {
    if (!o.wait) throw beingCreated(current, o);
    current = await waitForCreator(ctx, ledger, current, o);
  }
  if (current.providerJobId) return current;
  if (current.state === 'create_failed') throw notCreated(ctx, ledger, current, 'the provider refused to create it', o);
  const settled = await settle(provider, ledger, current, { signal: o.signal });
  if (settled.kind === 'found') return settled.entry;
  if (settled.kind === 'unknown') throw undecidedError(provider, current, settled.lookup, o.projectFlags);
  await ledger.update(current.ledgerId, { state: 'create_failed', creator: null, error: { code: 'not_created', message: `${provider.displayName} has no job for this entry: its create call never reached it.` } });
  throw notCreated(ctx, ledger, current, `${provider.displayName} has no job for it: its create call never reached the provider`, o);
}

/** Reads the ledger until the other process has recorded the job (or given up, or died). */
export async function waitForCreator(ctx: CommandContext, ledger: Ledger, entry: LedgerJob, o: SettleOptions): Promise<LedgerJob> {
  const who = entry.creator ? `process ${entry.creator.pid} on ${entry.creator.host}` : 'another llmgw process';
  const spinner = await ctx.out.spinner(`waiting for ${who} to create ${entry.ledgerId}`);
  try {
    let current = entry;
    while (current.state === 'creating' && ledger.isBeingCreated(current)) {
      if (o.signal?.aborted) throw new InterruptedError('watch_interrupted', `Stopped waiting for ${entry.ledgerId} to be created.`, { hint: `resume with \`llmgw tune watch ${entry.ledgerId}${o.projectFlags}\`` });
      if (o.deadline !== undefined && ctx.io.now() >= o.deadline) {
        throw new TimeoutError('watch_timed_out', `${who} was still creating ${entry.ledgerId} when the time limit passed.`, { hint: `watch it again with \`llmgw tune watch ${entry.ledgerId}${o.projectFlags}\`` });
      }
      await sleep(CREATOR_POLL_MS, o.signal);
      current = (await ledger.find(entry.ledgerId)) ?? current;
    }
    return current;
  } finally {
    spinner.stop();
  }
}

function beingCreated(entry: LedgerJob, o: SettleOptions): UsageError {
  const who = entry.creator ? `process ${entry.creator.pid} on ${entry.creator.host}` : 'another llmgw process';
  return new UsageError('job_being_created', `Job ${entry.ledgerId} is being created by ${who} right now.`, {
    hint: `follow it with \`llmgw tune watch ${entry.ledgerId}${o.projectFlags}\` (it waits for the create to finish)`,
  });
}

function notCreated(ctx: CommandContext, ledger: Ledger, entry: LedgerJob, why: string, o: SettleOptions): UsageError {
  return new UsageError('job_not_created', `There is no job for ${entry.ledgerId}: ${why}.`, { hint: `start it again with \`${startCommand(ctx, ledger, entry, o.projectFlags)}\`` });
}

/** The `tune start` command that asks for the same job as `entry` (paths as seen from the working folder). */
export function startCommand(ctx: CommandContext, ledger: Ledger, entry: LedgerJob, projectFlags = ''): string {
  const path = (stored: string): string => {
    const full = ledger.filePath(stored);
    return quote(relative(ctx.io.cwd, full) || full);
  };
  const parts = ['llmgw tune start', `--provider ${entry.provider}`, `--model ${quote(entry.baseModel)}`, `--train ${path(entry.training.path)}`];
  if (entry.validation) parts.push(`--validation ${path(entry.validation.path)}`);
  if (entry.method !== 'supervised') parts.push(`--method ${entry.method}`);
  if (entry.grader) parts.push(`--grader ${path(entry.grader.path)}`);
  const h = entry.hyperparameters;
  const flags: [unknown, string][] = [
    [h.epochs, '--epochs'],
    [h.batchSize, '--batch-size'],
    [h.learningRateMultiplier, '--learning-rate-multiplier'],
    [h.beta, '--beta'],
  ];
  for (const [v, flag] of flags) if (v !== undefined) parts.push(`${flag} ${String(v)}`);
  for (const [k, v] of Object.entries(h.extra ?? {})) parts.push(`--hyperparameter ${quote(`${k}=${String(v)}`)}`);
  if (entry.suffix !== null) parts.push(`--suffix ${quote(entry.suffix)}`);
  if (entry.seed !== null) parts.push(`--seed ${entry.seed}`);
  for (const [k, v] of Object.entries(entry.metadata)) parts.push(`--metadata ${quote(`${k}=${v}`)}`);
  return parts.join(' ') + projectFlags;
}

/** Shell-quotes a word when it needs it. */
export function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

