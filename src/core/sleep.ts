/**
 * Waiting with an abort signal, the two ways the project waits: `sleep` rejects when the signal
 * aborts (the wait is part of work that stops), `pause` resolves at once (the caller looks at the
 * signal itself afterwards).
 */

/** Resolves after `ms`; rejects with the signal's reason (an Error) when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const reason = (): Error => (signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  if (ms <= 0) return Promise.resolve();
  if (signal?.aborted) return Promise.reject(reason());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(reason());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves after `ms`, or as soon as the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(ms, signal).catch(() => undefined);
}
