/**
 * A limiter per provider: at most `concurrency` requests in flight, at most `ratePerSecond`
 * started per second, and a pause for everyone when the provider says `Retry-After`. The SDKs
 * retry the refused request themselves (honouring the same header); the limiter keeps the other
 * requests from piling onto a provider that asked for quiet.
 */
import { sleep } from '../sleep.js';

export interface LimiterOptions {
  concurrency: number;
  /** Requests started per second, unlimited when undefined. */
  ratePerSecond?: number | undefined;
}

export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private pausedUntil = 0;
  private nextStart = 0;
  /** Times a `Retry-After` paused this provider, and the longest pause asked for, in ms. */
  pauses = 0;
  longestPauseMs = 0;

  constructor(private readonly opts: LimiterOptions) {}

  get capacity(): number {
    return this.opts.concurrency;
  }

  /** Waits for a slot; call the returned function when the request is done. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active >= this.opts.concurrency) {
      await new Promise<void>((resolve, reject) => {
        const go = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const i = this.waiting.indexOf(go);
          if (i !== -1) this.waiting.splice(i, 1);
          reject(signal?.reason as Error);
        };
        this.waiting.push(go);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else {
      this.active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  /** Waits out a pause and the rate spacing before one attempt is sent. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      const wait = Math.max(this.pausedUntil - now, this.opts.ratePerSecond ? this.nextStart - now : 0);
      if (wait <= 0) break;
      await sleep(wait, signal);
    }
    if (this.opts.ratePerSecond) this.nextStart = Math.max(Date.now(), this.nextStart) + 1000 / this.opts.ratePerSecond;
  }

  /** The provider asked for `ms` of quiet. */
  pause(ms: number): void {
    this.pauses++;
    this.longestPauseMs = Math.max(this.longestPauseMs, ms);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

/** `retry-after-ms`, `retry-after` in seconds or as an HTTP date; undefined when absent. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A fetch that waits for the limiter before each attempt and tells it about `Retry-After`. */
export function limitedFetch(base: typeof fetch, limiter: Limiter): typeof fetch {
  return async (input, init) => {
    await limiter.ready(init?.signal ?? undefined);
    const res = await base(input, init);
    if (res.status === 429 || res.status === 503) {
      const ms = retryAfterMs(res.headers);
      if (ms !== undefined) limiter.pause(ms);
    }
    return res;
  };
}
