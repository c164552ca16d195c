/**
 * Following a job to its end for `tune watch` and `tune start --wait`: runs the core watch loop
 * with the real clock, prints each new event once (text, or NDJSON under `--json`), keeps the
 * cursor and the outcome in the ledger, and turns the outcome into the exit code.
 */
import { InterruptedError, TimeoutError } from '../../../core/errors.js';
import type { Ledger, LedgerJob } from '../../../core/jobs/ledger.js';
import { fromJob } from '../../../core/jobs/submit.js';
import { DEFAULT_INTERVAL_MS, UnknownJobStateError, watchJob, type WatchClock } from '../../../core/jobs/watch.js';
import type { FineTuningProvider, Job, JobEvent } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { eventView, jobView, renderEvent } from './render.js';
import { writeJsonLine } from '../../output/ndjson.js';
import { printable } from '../../output/printable.js';

export interface FollowOptions {
  provider: FineTuningProvider;
  ledger: Ledger;
  jobId: string;
  entry: LedgerJob | undefined;
  intervalMs?: number | undefined;
  /** Absolute time (ms) after which the watch gives up (exit 5); every request in flight is aborted then. */
  deadline?: number | undefined;
  /** Flags that name the same project in printed commands. */
  projectFlags?: string | undefined;
  /** Flags of the watch itself the resume command must repeat (e.g. ` --register support`). */
  watchFlags?: string | undefined;
  /** What to print as the next step on success, instead of the provider's (null: nothing, the command does it itself). */
  nextStep?: string | null | undefined;
}

/** The wall clock for the watch loops: `sleep` rejects when `signal` aborts. */
export const realClock = (now: () => number, signal: AbortSignal): WatchClock => ({
  now,
  sleep: (ms, s = signal) =>
    new Promise<void>((resolve, reject) => {
      if (s.aborted) return reject(new Error('aborted'));
      const timer = setTimeout(() => {
        s.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      };
      s.addEventListener('abort', onAbort, { once: true });
    }),
});

/** NDJSON line under `--json`: one object per line (the one command family whose stdout is a stream). */
function emit(ctx: CommandContext, obj: Record<string, unknown>): void {
  writeJsonLine(ctx.io, obj);
}

export interface Followed {
  exitCode: number;
  /** The job as it ended; undefined when the watch stopped first (timeout, Ctrl-C). */
  job: Job | undefined;
}

export async function followJob(ctx: CommandContext, o: FollowOptions): Promise<Followed> {
  const json = ctx.out.json;
  // A job the ledger does not hold is found at the provider named on the command line: say which.
  const flags = `${o.entry ? '' : ` --provider ${o.provider.name}`}${o.projectFlags ?? ''}`;
  let spinnerText = `watching ${o.jobId}`;
  let spinner = await ctx.out.spinner(spinnerText);
  /** Prints above the spinner: stop it, print, start it again (a terminal line cannot hold both). */
  const above = async (print: () => void): Promise<void> => {
    spinner.stop();
    print();
    spinner = await ctx.out.spinner(spinnerText);
  };
  let lastStatus = '';
  let progress = '';
  const entryId = o.entry?.ledgerId;
  const signal = ctx.io.signal;
  const clock = realClock(() => ctx.io.now(), signal);
  const time = (): string => new Date(ctx.io.now()).toISOString();
  const onJob = async (job: Job): Promise<void> => {
    spinnerText = `${job.id} ${job.status}${progress}`;
    if (job.status !== lastStatus) {
      lastStatus = job.status;
      if (json) emit(ctx, { type: 'status', jobId: job.id, status: job.status, providerStatus: job.providerStatus, at: time() });
      else await above(() => ctx.out.info(`${ctx.out.ec.dim(time().slice(11, 19))}  ${job.id}: ${job.status === 'unknown' ? `unknown state "${job.providerStatus}"` : job.status}`));
    }
    spinner.text(spinnerText);
  };
  const onEvents = async (events: JobEvent[], cursor: string | null): Promise<void> => {
    for (const e of events) {
      const step = e.data?.step;
      const total = e.data?.total_steps;
      if (typeof step === 'number' && typeof total === 'number' && total > 0) progress = ` · step ${step}/${total} (${Math.floor((step / total) * 100)}%)`;
    }
    spinnerText = `${o.jobId} ${lastStatus}${progress}`;
    if (json) for (const e of events) emit(ctx, { type: 'event', jobId: o.jobId, event: eventView(e) });
    else await above(() => ctx.out.print(events.map((e) => renderEvent(e, ctx.out.c)).join('\n')));
    if (entryId) await o.ledger.update(entryId, { eventCursor: cursor });
  };
  try {
    const result = await watchJob({
      provider: o.provider,
      jobId: o.jobId,
      cursor: o.entry?.eventCursor ?? null,
      intervalMs: o.intervalMs ?? DEFAULT_INTERVAL_MS,
      deadline: o.deadline,
      signal,
      clock,
      onJob,
      onEvents,
      resume: `llmgw tune watch ${o.jobId}${flags}${o.watchFlags ?? ''}`,
      check: `llmgw tune status ${o.jobId}${flags}`,
      onUnknownState: (job, left) =>
        above(() =>
          ctx.out.warn(`${o.provider.displayName} reports job ${job.id} as "${job.providerStatus}", a state llmgw does not know: ${left > 0 ? `watching ${left} more poll${left === 1 ? '' : 's'}, then llmgw stops (exit 4) unless it changes to a known state` : 'llmgw stops watching'}.`),
        ),
      onWarning: (message) => void above(() => ctx.out.warn(message)),
      onRetry: (err, delay) => above(() => ctx.out.warn(`${err.message} Trying again in ${Math.round(delay / 1000)}s (the job is not affected).`)),
      onRecovered: () => above(() => ctx.out.info(`${o.provider.displayName} is answering again; still watching ${o.jobId}.`)),
    });
    spinner.stop();
    const updated = entryId ? await o.ledger.update(entryId, fromJob(result.job)) : undefined;
    return { exitCode: finish(ctx, result.job, updated ?? o.entry, o.nextStep === undefined ? o.provider.capabilities.nextStep : (o.nextStep ?? undefined)), job: result.job };
  } catch (err) {
    spinner.stop();
    // The ledger keeps the provider's last word (`unknown`), never a failure: the job may still run.
    const updated = err instanceof UnknownJobStateError && entryId ? await o.ledger.update(entryId, fromJob(err.job)) : undefined;
    if (json && (err instanceof UnknownJobStateError || err instanceof InterruptedError || err instanceof TimeoutError)) {
      // Keep stdout a clean NDJSON stream: the outcome is its last line, the message goes to stderr.
      const outcome = err instanceof UnknownJobStateError ? 'unknown_state' : err instanceof TimeoutError ? 'timed_out' : 'interrupted';
      emit(ctx, { type: 'result', outcome, jobId: o.jobId, ...(err instanceof UnknownJobStateError ? { job: jobView(err.job, updated ?? o.entry) } : {}), error: err.toJSON() });
      // The message can quote the provider's own state word: printed like every user error.
      ctx.io.stderr.write(`error ${printable(err.message)}\n  fix: ${printable(err.hint ?? '')}\n`);
      return { exitCode: err.exitCode, job: undefined };
    }
    throw err;
  }
}

/** Prints the outcome; on success also what the provider needs before the model serves traffic (e.g. an Azure deployment). */
function finish(ctx: CommandContext, job: Job, entry: LedgerJob | undefined, nextStep: string | undefined): number {
  const ok = job.status === 'succeeded';
  if (ctx.out.json) {
    emit(ctx, { type: 'result', outcome: job.status, jobId: job.id, job: jobView(job, entry), nextStep: ok ? (nextStep ?? null) : null });
    return ok ? 0 : 1;
  }
  const c = ctx.out.c;
  if (ok) {
    ctx.out.print(`${c.green('succeeded')} ${job.id} → ${c.bold(job.fineTunedModel ?? '(no model id)')}`);
    if (nextStep) ctx.out.info(`next: ${nextStep}`);
    return 0;
  }
  const why = job.error ? `: ${job.error.code ? `${job.error.code}: ` : ''}${job.error.message}` : '';
  ctx.out.print(`${c.red(job.status)} ${job.id}${why}`);
  return 1;
}
