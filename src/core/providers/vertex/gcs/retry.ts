/**
 * Cloud Storage's retry advice: retry 408, 429 and 5xx answers and dropped connections with
 * truncated exponential backoff (honouring Retry-After). A request that still fails after the
 * retries is returned (an answer) or thrown (no answer) to the caller.
 */
import { ProviderError } from '../../../errors.js';
import { pause } from '../../../sleep.js';

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const BASE_MS = 200;
const CAP_MS = 8_000;

export function retryableStatus(status: number): boolean {
  return RETRY_STATUSES.has(status);
}

/** The wait before retry `n` (0-based): Retry-After when given, else backoff with jitter. */
export function backoffMs(n: number, retryAfter?: string | null): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, CAP_MS * 4);
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** n);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export async function retrying(maxRetries: number, signal: AbortSignal | undefined, attempt: () => Promise<Response>): Promise<Response> {
  for (let n = 0; ; n++) {
    let res: Response;
    try {
      res = await attempt();
    } catch (err) {
      if (n >= maxRetries || signal?.aborted || !(err instanceof ProviderError && err.retryable)) throw err;
      await pause(backoffMs(n), signal);
      continue;
    }
    if (n >= maxRetries || !retryableStatus(res.status) || signal?.aborted) return res;
    await res.body?.cancel();
    await pause(backoffMs(n, res.headers.get('retry-after')), signal);
  }
}
