/**
 * The watch loop: poll the job at most once per interval, follow its events by cursor, back off
 * (to a cap) while the provider is unreachable, and stop when the job ends, the deadline passes
 * or the caller's signal fires. The deadline is hard: a request still in flight when it passes
 * is aborted (its signal reaches the SDK), so one hung request cannot outlast it. Time is
 * injected (`now`, `sleep`, `timeout`) so tests run without waiting.
 *
 * A job in a state llmgw does not know (`unknown`) is neither running nor ended: the watch warns
 * naming the provider's word and keeps polling, since a new state is often a passing one, but
 * only for `unknownStatePolls` polls in a row; then it stops with `UnknownJobStateError` (exit 4)
 * rather than wait on it to the deadline, or forever.
 */
import { InterruptedError, ProviderError, TimeoutError } from '../errors.js';
import { isTerminal, type FineTuningProvider, type Job, type JobEvent } from '../providers/types.js';
import { fetchNewEvents } from './events.js';

export const DEFAULT_INTERVAL_MS = 10_000;
export const DEFAULT_MAX_BACKOFF_MS = 120_000;
/** Polls in a row a job may stay in states llmgw does not know before the watch stops (a minute at the default interval). */
export const UNKNOWN_STATE_POLLS = 6;

/** The job stayed in a state llmgw does not know for the allowed polls. Exit 4; the job is untouched. */
export class UnknownJobStateError extends ProviderError {
  constructor(
    readonly job: Job,
    message: string,
    hint: string,
  ) {
    super('unknown_job_state', message, { provider: job.provider, retryable: false, hint });
  }
}

export interface WatchClock {
  now(): number;
  /** Resolves after `ms`, rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A signal that aborts after `ms` (default: `AbortSignal.timeout`). */
  timeout?(ms: number): AbortSignal;
}

export interface WatchOptions {
  provider: FineTuningProvider;
  jobId: string;
  /** Newest event already shown (from the ledger), or null to show them all. */
  cursor: string | null;
  intervalMs?: number;
  maxBackoffMs?: number;
  /** Absolute time (ms) after which the watch gives up with a TimeoutError. */
  deadline?: number | undefined;
  signal?: AbortSignal | undefined;
  clock: WatchClock;
  onJob?: (job: Job) => void | Promise<void>;
  onEvents?: (events: JobEvent[], cursor: string | null) => void | Promise<void>;
  /** The provider failed in a way that may pass (unreachable, 5xx, rate-limited); the loop waits `delayMs`. */
  onRetry?: (err: ProviderError, delayMs: number) => void | Promise<void>;
  /** The provider answered again after failures. */
  onRecovered?: () => void | Promise<void>;
  /** The command that resumes the watch, for the hints (default `llmgw tune watch <job>`). */
  resume?: string | undefined;
  /** The command that shows the job, for the hints (default `llmgw tune status <job>`). */
  check?: string | undefined;
  /** Polls in a row the job may stay in states llmgw does not know (default `UNKNOWN_STATE_POLLS`). */
  unknownStatePolls?: number | undefined;
  /** The job is in a state llmgw does not know (called when it enters one, and for each new word); `pollsLeft` before the watch stops. */
  onUnknownState?: ((job: Job, pollsLeft: number) => void | Promise<void>) | undefined;
  /** A list's paging went wrong and was cut short (see `providers/pages.ts`). */
  onWarning?: ((message: string) => void) | undefined;
}

export interface WatchResult {
  job: Job;
  cursor: string | null;
  /** HTTP-level calls made through the provider (job polls + event pages). */
  requests: number;
}

export async function watchJob(o: WatchOptions): Promise<WatchResult> {
  const interval = o.intervalMs ?? DEFAULT_INTERVAL_MS;
  const cap = Math.max(interval, o.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
  let cursor = o.cursor;
  let requests = 0;
  let failures = 0;
  let last: Job | undefined;
  const unknownLimit = Math.max(1, o.unknownStatePolls ?? UNKNOWN_STATE_POLLS);
  let unknownPolls = 0;
  const { expiry, signal } = deadlineSignal(o.clock, o.deadline, o.signal);
  for (;;) {
    if (o.signal?.aborted) throw interrupted(o);
    if (expiry?.aborted) throw timedOut(o, last);
    try {
      requests += 1;
      const job = await abortable(o.provider.getJob(o.jobId, { signal }), signal);
      const fresh = await abortable(fetchNewEvents(o.provider, o.jobId, cursor, { signal, onWarning: o.onWarning }), signal);
      requests += fresh.requests;
      if (failures > 0) await o.onRecovered?.();
      failures = 0;
      const previous = last;
      last = job;
      await o.onJob?.(job);
      if (fresh.events.length > 0) {
        cursor = fresh.cursor;
        await o.onEvents?.(fresh.events, cursor);
      }
      if (isTerminal(job.status)) return { job, cursor, requests };
      if (job.status === 'unknown') {
        unknownPolls += 1;
        if (unknownPolls === 1 || job.providerStatus !== previous?.providerStatus) await o.onUnknownState?.(job, unknownLimit - unknownPolls);
        if (unknownPolls >= unknownLimit) throw unknownState(o, job, unknownPolls);
      } else {
        unknownPolls = 0;
      }
    } catch (err) {
      if (o.signal?.aborted) throw interrupted(o);
      if (expiry?.aborted) throw timedOut(o, last);
      if (!(err instanceof ProviderError) || !err.retryable) throw err;
      failures += 1;
      const delay = Math.min(cap, interval * 2 ** (failures - 1));
      await o.onRetry?.(err, delay);
      await pause(o, delay, last);
      continue;
    }
    await pause(o, interval, last);
  }
}

async function pause(o: WatchOptions, ms: number, last: Job | undefined): Promise<void> {
  let wait = ms;
  if (o.deadline !== undefined) {
    const left = o.deadline - o.clock.now();
    if (left <= 0) throw timedOut(o, last);
    wait = Math.min(ms, left);
  }
  try {
    await o.clock.sleep(wait, o.signal);
  } catch (err) {
    if (o.signal?.aborted) throw interrupted(o);
    throw err;
  }
  if (o.deadline !== undefined && o.clock.now() >= o.deadline) throw timedOut(o, last);
}

/** Races a provider call against the signal as well, so an adapter that ignores it cannot hold the watch. */
/**
 * A wait's hard deadline as a signal: `expiry` aborts when the deadline passes, `signal` when it
 * does or the caller's signal does. Every request of the wait takes `signal`, so none outlives it.
 */
export function deadlineSignal(clock: WatchClock, deadline: number | undefined, caller: AbortSignal | undefined): { expiry: AbortSignal | undefined; signal: AbortSignal | undefined } {
  const expiry = deadline === undefined ? undefined : (clock.timeout ?? AbortSignal.timeout)(Math.max(0, deadline - clock.now()));
  const signals = [caller, expiry].filter((s): s is AbortSignal => s !== undefined);
  return { expiry, signal: signals.length > 0 ? AbortSignal.any(signals) : undefined };
}

/** `p`, or a rejection as soon as `signal` aborts (for SDK calls that do not stop at once). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function interrupted(o: WatchOptions): InterruptedError {
  return new InterruptedError('watch_interrupted', `Stopped watching job ${o.jobId}; the job keeps running at the provider.`, {
    hint: `resume with \`${o.resume ?? `llmgw tune watch ${o.jobId}`}\``,
  });
}

function unknownState(o: WatchOptions, job: Job, polls: number): UnknownJobStateError {
  const name = o.provider.displayName;
  return new UnknownJobStateError(
    job,
    `${name} reports job ${o.jobId} as "${job.providerStatus}", a state llmgw does not know, for ${polls} poll${polls === 1 ? '' : 's'} in a row: llmgw stopped watching rather than wait on it as if it were running. The job itself is untouched.`,
    `check it with \`${o.check ?? `llmgw tune status ${o.jobId}`}\` or in ${name}'s console; once it is in a state llmgw knows, \`${o.resume ?? `llmgw tune watch ${o.jobId}`}\` follows it again`,
  );
}

function timedOut(o: WatchOptions, last: Job | undefined): TimeoutError {
  const state = last ? ` (last seen ${last.status === 'unknown' ? `"${last.providerStatus}"` : last.status})` : '';
  return new TimeoutError('watch_timed_out', `Job ${o.jobId} did not finish before the time limit${state}; it keeps running at the provider.`, {
    hint: `watch it again with \`${o.resume ?? `llmgw tune watch ${o.jobId}`} --timeout 2h\` (or a longer time)`,
  });
}
